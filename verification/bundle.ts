import { z } from 'zod';
import type { ChainedEvent, PublishedResult } from '../db/chain';
import type { ReadModelEffect } from '../domain/effects';
import type { FrozenSheet, ScoreInput } from '../domain/scoring';

/**
 * Everything a campaign's verification reads, as one JSON document: the
 * definition, the chain's head and published digest, every chained event with
 * its effects, the stored marks and survey points, and the published results.
 * Read from Postgres (load.ts) or from a file someone downloaded
 * (`npm run verify -- --bundle <file>`); verify.ts checks either the same way.
 */
export const BUNDLE_FORMAT = 'par-index-verification/1';

export interface BundleEvent extends ChainedEvent {
  hash: string;
}

export interface StoredScoreEntry {
  unit_code: string;
  subcriterion_code: string;
  column: 'self' | 'round1' | 'round2';
  input: ScoreInput;
  points_centi: number;
  note: string;
  evidence: unknown[];
  set_by: string;
  /** ISO instant. */
  set_at: string;
}

export interface VerificationBundle {
  format: typeof BUNDLE_FORMAT;
  campaign_id: string;
  definition: unknown;
  chain: {
    genesis_hash: string;
    head_seq: number;
    head_hash: string;
    published_seq: number | null;
    published_digest: string | null;
  };
  /** Events recorded before the campaign's chain began: their effects were never kept, so nothing can be re-derived from them. */
  unchained_events: number;
  events: BundleEvent[];
  score_entries: StoredScoreEntry[];
  survey_points: { unit_code: string; points_centi: number }[];
  results: PublishedResult[];
}

const json = z.unknown();
const centi = z.number().int();

/** A bundle file's shape; its content is what verification judges, so only the structure is checked here. */
export const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  campaign_id: z.string().min(1),
  definition: json,
  chain: z.object({
    genesis_hash: z.string(),
    head_seq: z.number().int().min(0),
    head_hash: z.string(),
    published_seq: z.number().int().nullable(),
    published_digest: z.string().nullable(),
  }),
  unchained_events: z.number().int().min(0),
  events: z.array(
    z.object({
      campaign_id: z.string(),
      seq: z.number().int(),
      hash: z.string(),
      unit_code: z.string().nullable(),
      actor: z.string(),
      action: z.string(),
      before: json,
      after: json,
      reason: z.string().nullable(),
      occurred_at: z.string(),
      idempotency_key: z.string(),
      effects: z.array(z.looseObject({ kind: z.string() })).nullable(),
    }),
  ),
  score_entries: z.array(
    z.object({
      unit_code: z.string(),
      subcriterion_code: z.string(),
      column: z.enum(['self', 'round1', 'round2']),
      input: json,
      points_centi: centi,
      note: z.string(),
      evidence: z.array(json),
      set_by: z.string(),
      set_at: z.string(),
    }),
  ),
  survey_points: z.array(z.object({ unit_code: z.string(), points_centi: centi })),
  results: z.array(
    z.object({
      pass: z.number().int(),
      unit_code: z.string(),
      group_code: z.string(),
      assessed_centi: centi,
      survey_centi: centi.nullable(),
      bonus_centi: centi,
      penalty_centi: centi,
      total_centi: centi,
      index_centi: centi,
      rank: z.number().int(),
      classification: z.string().nullable(),
      flags: z.array(z.string()),
      sheet: json,
    }),
  ),
});

/** A parsed file as the verifier reads it: the schema checked the structure; the effects and sheets are judged by re-deriving them. */
export function bundleOf(parsed: z.infer<typeof bundleSchema>): VerificationBundle {
  return {
    ...parsed,
    events: parsed.events.map((event) => ({ ...event, effects: event.effects as ReadModelEffect[] | null })),
    score_entries: parsed.score_entries.map((entry) => ({ ...entry, input: entry.input as ScoreInput })),
    results: parsed.results.map((row) => ({ ...row, sheet: row.sheet as FrozenSheet | null })),
  };
}
