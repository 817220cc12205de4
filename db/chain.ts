import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ReadModelEffect } from '../domain/effects';
import type { FrozenSheet } from '../domain/scoring';

/**
 * The hash chain over a campaign's event log: each link is the SHA-256 of the
 * RFC 8785 canonical JSON of the event's content and the previous link's hash,
 * the first link following the hash of the campaign's definition (its frozen
 * framework, units and timeline). Deleting, editing or reordering an event, or
 * editing the definition, changes every later link; the digest frozen at
 * publication (resultsDigest) ties the published results to the chain head.
 */

/** An event as the chain hashes it: every column that says what happened, none that the database assigns. */
export interface ChainedEvent {
  campaign_id: string;
  seq: number;
  unit_code: string | null;
  actor: string;
  action: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  /** ISO instant. */
  occurred_at: string;
  idempotency_key: string;
  effects: ReadModelEffect[] | null;
}

/** A published results row as the digest and the bundle hold it. */
export interface PublishedResult {
  pass: number;
  unit_code: string;
  group_code: string;
  assessed_centi: number;
  survey_centi: number | null;
  bonus_centi: number;
  penalty_centi: number;
  total_centi: number;
  index_centi: number;
  rank: number;
  classification: string | null;
  flags: string[];
  /** null only for passes computed before results kept their sheet. */
  sheet: FrozenSheet | null;
}

/** What jsonb gives back for a value: the chain hashes that, so a row read back hashes as it was written. */
export function asStoredJson<T>(value: T | undefined): T | null {
  return value === undefined || value === null ? null : (JSON.parse(JSON.stringify(value)) as T);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function canonical(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('Nothing to hash');
  return text;
}

export function genesisHash(campaignId: string, definition: unknown): string {
  return sha256Hex(canonical({ campaign_id: campaignId, definition }));
}

export function linkHash(previous: string, event: ChainedEvent): string {
  return sha256Hex(canonical({ previous, event }));
}

/** The digest frozen at publication: the chain's link of the publication event, the definition's hash and every published result, by unit code. */
export function resultsDigest(input: { genesis_hash: string; seq: number; link_hash: string; results: readonly PublishedResult[] }): string {
  const results = [...input.results].sort((a, b) => (a.unit_code < b.unit_code ? -1 : a.unit_code > b.unit_code ? 1 : 0));
  return sha256Hex(canonical({ genesis_hash: input.genesis_hash, seq: input.seq, link_hash: input.link_hash, results }));
}

