import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/connect';
import { asStoredJson } from '../db/chain';
import { publishedResults } from '../db/repositories/chain';
import { campaignEvents, campaigns, scoreEntries, surveyPoints } from '../db/schema';
import { campaignChains } from '../db/schema-chain';
import { BUNDLE_FORMAT, type VerificationBundle } from './bundle';
import { verifyBundle, type Verdict } from './verify';

/**
 * A campaign's verification bundle as Postgres holds it; null for an unknown
 * campaign. Read in one repeatable-read snapshot: the unit workflows may still
 * append events after publication, and a head read before them with events
 * read after would look like a broken chain.
 */
export function loadBundle(db: Database, campaignId: string): Promise<VerificationBundle | null> {
  return db.transaction((tx) => readBundle(tx as unknown as Database, campaignId), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function readBundle(db: Database, campaignId: string): Promise<VerificationBundle | null> {
  const [campaign] = await db.select({ definition: campaigns.definition }).from(campaigns).where(eq(campaigns.id, campaignId));
  if (campaign === undefined) return null;
  const [chain] = await db.select().from(campaignChains).where(eq(campaignChains.campaignId, campaignId));
  const [unchained] = await db
    .select({ n: count() })
    .from(campaignEvents)
    .where(and(eq(campaignEvents.campaignId, campaignId), isNull(campaignEvents.chainSeq)));
  const events = await db
    .select()
    .from(campaignEvents)
    .where(eq(campaignEvents.campaignId, campaignId))
    .orderBy(asc(campaignEvents.chainSeq));
  const entries = await db.select().from(scoreEntries).where(eq(scoreEntries.campaignId, campaignId));
  const survey = await db.select().from(surveyPoints).where(eq(surveyPoints.campaignId, campaignId));
  return {
    format: BUNDLE_FORMAT,
    campaign_id: campaignId,
    definition: campaign.definition,
    chain: {
      genesis_hash: chain?.genesisHash ?? '',
      head_seq: chain?.headSeq ?? 0,
      head_hash: chain?.headHash ?? '',
      published_seq: chain?.publishedSeq ?? null,
      published_digest: chain?.publishedDigest ?? null,
    },
    unchained_events: unchained?.n ?? 0,
    events: events
      .filter((event) => event.chainSeq !== null)
      .map((event) => ({
        campaign_id: event.campaignId,
        seq: event.chainSeq!,
        hash: event.chainHash ?? '',
        unit_code: event.unitCode,
        actor: event.actor,
        action: event.action,
        before: asStoredJson(event.before),
        after: asStoredJson(event.after),
        reason: event.reason,
        occurred_at: event.occurredAt.toISOString(),
        idempotency_key: event.idempotencyKey,
        effects: asStoredJson(event.effects),
      })),
    score_entries: entries.map((entry) => ({
      unit_code: entry.unitCode,
      subcriterion_code: entry.subcriterionCode,
      column: entry.column,
      input: entry.input,
      points_centi: entry.pointsCenti,
      note: entry.note,
      evidence: entry.evidence,
      set_by: entry.setBy,
      set_at: entry.setAt.toISOString(),
    })),
    survey_points: survey.map((row) => ({ unit_code: row.unitCode, points_centi: row.pointsCenti })),
    results: await publishedResults(db, campaignId),
  };
}

/** A stored campaign's verdict; null for an unknown campaign. */
export async function verifyStored(db: Database, campaignId: string): Promise<{ bundle: VerificationBundle; verdict: Verdict } | null> {
  const bundle = await loadBundle(db, campaignId);
  return bundle === null ? null : { bundle, verdict: verifyBundle(bundle) };
}
