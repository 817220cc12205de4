import { sql } from 'drizzle-orm';
import type { Database } from '../db/connect';
import { campaignEvents, campaignUnits, campaigns, results, scoreEntries, surveyPoints } from '../db/schema';
import { campaignChains } from '../db/schema-chain';
import { campaignDefinitionSchema } from '../domain/campaign';
import type { VerificationBundle } from './bundle';

/** Rows per insert: Postgres caps a statement at 65,535 bind parameters. */
const ROWS = 500;

async function insertChunked<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += ROWS) await insert(rows.slice(i, i + ROWS));
}

/**
 * Records a bundle's campaign in another database, as it stood when the
 * bundle was exported, so the same verification runs there; the bundle is
 * written as it is, right or wrong, for verification to judge. Refuses a
 * definition that is not a campaign definition. Returns false, writing
 * nothing, when the database already holds the campaign.
 */
export async function importBundle(db: Database, bundle: VerificationBundle): Promise<boolean> {
  const definition = campaignDefinitionSchema.safeParse(bundle.definition);
  if (!definition.success) throw new TypeError(`The bundle's definition is not a campaign definition: ${definition.error.issues[0]?.message ?? ''}`);
  const campaignId = bundle.campaign_id;
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    const created = await tx
      .insert(campaigns)
      .values({
        id: campaignId,
        year: definition.data.year,
        nameVi: definition.data.name_vi,
        stage: 'published',
        status: 'completed',
        // The definition as the bundle holds it: its hash is the chain's first link.
        definition: bundle.definition,
        timeline: definition.data.timeline,
      })
      .onConflictDoNothing()
      .returning({ id: campaigns.id });
    if (created.length === 0) return false;
    await insertChunked(definition.data.units, (chunk) =>
      tx.insert(campaignUnits).values(chunk.map((unit) => ({ campaignId, unitCode: unit.code, nameVi: unit.name_vi, groupCode: unit.group }))),
    );
    await insertChunked(bundle.events, (chunk) =>
      tx.insert(campaignEvents).values(
        chunk.map((event) => ({
          campaignId,
          unitCode: event.unit_code,
          actor: event.actor,
          action: event.action,
          before: event.before,
          after: event.after,
          reason: event.reason,
          occurredAt: new Date(event.occurred_at),
          idempotencyKey: event.idempotency_key,
          effects: event.effects,
          chainSeq: event.seq,
          chainHash: event.hash,
        })),
      ),
    );
    await tx.insert(campaignChains).values({
      campaignId,
      genesisHash: bundle.chain.genesis_hash,
      headSeq: bundle.chain.head_seq,
      headHash: bundle.chain.head_hash,
      publishedSeq: bundle.chain.published_seq,
      publishedDigest: bundle.chain.published_digest,
    });
    await insertChunked(bundle.score_entries, (chunk) =>
      tx.insert(scoreEntries).values(
        chunk.map((entry) => ({
          campaignId,
          unitCode: entry.unit_code,
          subcriterionCode: entry.subcriterion_code,
          column: entry.column,
          input: entry.input,
          pointsCenti: entry.points_centi,
          note: entry.note,
          evidence: entry.evidence as never,
          setBy: entry.set_by,
          setAt: new Date(entry.set_at),
        })),
      ),
    );
    await insertChunked(bundle.survey_points, (chunk) =>
      tx.insert(surveyPoints).values(chunk.map((row) => ({ campaignId, unitCode: row.unit_code, pointsCenti: row.points_centi }))),
    );
    await insertChunked(bundle.results, (chunk) =>
      tx.insert(results).values(
        chunk.map((row) => ({
          campaignId,
          pass: row.pass,
          unitCode: row.unit_code,
          groupCode: row.group_code,
          assessedCenti: row.assessed_centi,
          surveyCenti: row.survey_centi,
          bonusCenti: row.bonus_centi,
          penaltyCenti: row.penalty_centi,
          totalCenti: row.total_centi,
          indexCenti: row.index_centi,
          rank: row.rank,
          classification: row.classification,
          flags: row.flags as never,
          sheet: row.sheet,
          // The explanation check needs one of sheet and explanation; a bundle's row without a sheet keeps an empty explanation.
          explanation: row.sheet === null ? sql`'{}'::jsonb` : null,
          computedAt: new Date(0),
          published: true,
        })),
      ),
    );
    return true;
  });
}
