import type { Evidence } from './steps';

/**
 * A stored evidence file is cited as `evidence:<uuid>` (api/routes/evidence.ts
 * answers that ref on upload); anything else in a ref is an external link.
 */
export const EVIDENCE_REF_PREFIX = 'evidence:';
const STORED_REF = /^evidence:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** One cited item and where it sits in the step's body. */
export interface CitedRef {
  path: (string | number)[];
  ref: string;
}

/** Every evidence item of a list, with its path under `base`. */
export function refsAt(base: (string | number)[], items: readonly Evidence[] | undefined): CitedRef[] {
  return (items ?? []).map((item, index) => ({ path: [...base, index, 'ref'], ref: item.ref }));
}

/** The stored file a ref names: its id, `malformed` for an `evidence:` ref without a valid id, null for an external link. */
export function storedEvidenceId(ref: string): string | 'malformed' | null {
  if (!ref.toLowerCase().startsWith(EVIDENCE_REF_PREFIX)) return null;
  return STORED_REF.exec(ref)?.[1]?.toLowerCase() ?? 'malformed';
}
