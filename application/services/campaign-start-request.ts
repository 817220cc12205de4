import { createHash } from 'node:crypto';
import type { CampaignDefinition } from '../../domain/campaign';

/**
 * What makes a second POST of a campaign the same request as the first: the
 * same Idempotency-Key, the same definition and the same actor. The campaign
 * workflow's memo keeps it from the start (one short string and a hash, not the
 * definition again), so the API process that answers a retry need not be the
 * one that started the campaign; a retry whose key matches and whose definition
 * or actor does not is another request, and a conflict.
 */
export const START_REQUEST_MEMO = 'startRequest';

export interface StartRequest {
  idempotencyKey: string;
  /** sha256 of the definition as the API parsed it and of who started it. */
  fingerprint: string;
}

export function startRequest(idempotencyKey: string, definition: CampaignDefinition, startedBy: string): StartRequest {
  // The definition as parsed: a retry of the same body parses to the same JSON.
  const fingerprint = createHash('sha256').update(JSON.stringify({ definition, startedBy })).digest('hex');
  return { idempotencyKey, fingerprint };
}

/** Whether the memo of an existing campaign records this very request. */
export function isSameStartRequest(recorded: unknown, request: StartRequest): boolean {
  if (typeof recorded !== 'object' || recorded === null) return false;
  const { idempotencyKey, fingerprint } = recorded as Partial<StartRequest>;
  return idempotencyKey === request.idempotencyKey && fingerprint === request.fingerprint;
}
