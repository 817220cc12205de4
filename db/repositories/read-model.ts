import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { CampaignDefinition } from '../../domain/campaign';
import { parseChangeKey, type ReadModelChange, type ReadModelEffect } from '../../domain/effects';
import type { AggregationInput, PassRow, ScoreInput } from '../../domain/scoring';
import type { Evidence } from '../../domain/steps';
import { unitWorkflowId } from '../../domain/units';
import type { Database } from '../connect';
import {
  campaignUnits,
  campaigns,
  explanationRequests,
  guidanceContributions,
  results,
  scoreEntries,
  surveyPoints,
  unitSheets,
} from '../schema';
import { rowsOf } from '../raw-rows';
import { appendEvents, deadlineToDate } from './campaigns';
import { freezePublishedDigest, linkEvents, linkInputOf, type ChainFaults } from './chain';
import { changeTargets } from './read-model-targets';
import { rebuildUnitSheets, type FrameworkGroupsCache } from './unit-sheets';

/**
 * The read model the workflows project into (applyChange) and the API and
 * dashboard read from. Workflows stay the source of truth; every write here is
 * keyed by the change's idempotency key, so a retried activity applies nothing
 * twice.
 */

/** Postgres caps a statement at 65,535 bind parameters; these row counts stay far below it. */
const REQUEST_ROWS_PER_INSERT = 1_000;
const SURVEY_ROWS_PER_INSERT = 5_000;

const viCollator = new Intl.Collator('vi');
/** Sub-criterion codes such as 1.2 and 1.10 in tree order. */
const codeCollator = new Intl.Collator('en', { numeric: true });

export interface ScoreCell {
  input: ScoreInput;
  pointsCenti: number;
  note: string;
  evidence: Evidence[];
  setBy: string;
  setAt: Date;
}

export interface UnitScoreLine {
  subcriterionCode: string;
  self: ScoreCell | null;
  round1: ScoreCell | null;
  round2: ScoreCell | null;
}

/** A pass scored sheets that a change to the marks replaced before it could write: retrying the pass scores the new ones. */
export class SheetsChangedDuringPass extends Error {
  constructor(readonly units: number) {
    super(`The marks of ${units} unit(s) changed during the aggregation pass`);
    this.name = 'SheetsChangedDuringPass';
  }
}

/** `excluded.<column>` of an INSERT … ON CONFLICT DO UPDATE. */
function excluded(column: AnyPgColumn): SQL {
  return sql.raw(`excluded."${column.name}"`);
}

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

async function applyEffect(tx: Database, change: ReadModelChange, effect: ReadModelEffect, at: Date): Promise<void> {
  const { campaignId } = change;
  switch (effect.kind) {
    case 'campaign_stage':
      await tx.update(campaigns).set({ stage: effect.stage, stageChangedAt: at }).where(eq(campaigns.id, campaignId));
      return;

    case 'campaign_timeline':
      await tx.update(campaigns).set({ timeline: effect.timeline }).where(eq(campaigns.id, campaignId));
      return;

    case 'unit_state':
      await updateUnitStates(tx, [{ campaignId, effect, at, seq: ownSeq(change, effect.unitCode) }]);
      return;

    case 'scores': {
      // One JSON document for the marks, not a drizzle insert of ten parameters a mark: building that
      // insert took 4.6 s of the worker's main thread in a profile of P2's burst of 1,000 (BENCHMARKS.md).
      const marks = effect.entries.map((entry) => ({
        code: entry.code,
        input: entry.input,
        points_centi: entry.pointsCenti,
        note: entry.note,
        evidence: entry.evidence,
      }));
      await tx.execute(sql`
        insert into ${scoreEntries} (campaign_id, unit_code, subcriterion_code, score_column, input, points_centi, note, evidence, set_by, set_at)
        select ${campaignId}, ${effect.unitCode}, mark.code, ${effect.column}, mark.input, mark.points_centi,
               mark.note, mark.evidence, ${effect.setBy}, ${effect.setAt}::timestamptz
        from json_to_recordset(${JSON.stringify(marks)}::text::json) as mark(code text, input jsonb, points_centi int, note text, evidence jsonb)
        on conflict (campaign_id, unit_code, subcriterion_code, score_column) do update set
          input = excluded.input, points_centi = excluded.points_centi, note = excluded.note,
          evidence = excluded.evidence, set_by = excluded.set_by, set_at = excluded.set_at`);
      return;
    }

    case 'explanation_requests': {
      const rows = effect.requests.map((request) => ({
        campaignId,
        unitCode: effect.unitCode,
        id: request.id,
        subcriterionCode: request.code,
        areaCode: request.areaCode,
        question: request.question,
        requestedBy: request.requestedBy,
        dueAt: deadlineToDate(request.dueAt),
        requestedAt: at,
      }));
      for (const chunk of chunks(rows, REQUEST_ROWS_PER_INSERT)) {
        await tx.insert(explanationRequests).values(chunk).onConflictDoNothing();
      }
      return;
    }

    case 'explanation_answer':
      await tx
        .update(explanationRequests)
        .set({ answerNote: effect.note, answerEvidence: effect.evidence, answeredAt: new Date(effect.answeredAt) })
        .where(
          and(
            eq(explanationRequests.campaignId, campaignId),
            eq(explanationRequests.unitCode, effect.unitCode),
            eq(explanationRequests.id, effect.requestId),
          ),
        );
      return;

    case 'guidance_contribution':
      await tx
        .insert(guidanceContributions)
        .values({
          campaignId,
          contributor: effect.contributor,
          areas: effect.areas,
          document: effect.document,
          summary: effect.summary,
          submittedAt: at,
          submittedBy: change.actor,
        })
        .onConflictDoUpdate({
          target: [guidanceContributions.campaignId, guidanceContributions.contributor],
          set: {
            areas: excluded(guidanceContributions.areas),
            document: excluded(guidanceContributions.document),
            summary: excluded(guidanceContributions.summary),
            submittedAt: excluded(guidanceContributions.submittedAt),
            submittedBy: excluded(guidanceContributions.submittedBy),
          },
        });
      return;

    case 'survey_status':
      await tx.update(campaigns).set({ surveyStatus: effect.status }).where(eq(campaigns.id, campaignId));
      return;

    case 'survey_points': {
      const rows = effect.points.map((point) => ({ campaignId, unitCode: point.unitCode, pointsCenti: point.pointsCenti }));
      for (const chunk of chunks(rows, SURVEY_ROWS_PER_INSERT)) {
        await tx
          .insert(surveyPoints)
          .values(chunk)
          .onConflictDoUpdate({
            target: [surveyPoints.campaignId, surveyPoints.unitCode],
            set: { pointsCenti: excluded(surveyPoints.pointsCenti) },
          });
      }
      return;
    }

    case 'publication': {
      await tx
        .update(campaigns)
        .set({ publishedDecisionNumber: effect.decisionNumber, publishedDecisionDate: effect.decisionDate, publishedAt: at })
        .where(eq(campaigns.id, campaignId));
      // What is published is the latest aggregation pass, the one the council approved.
      await tx
        .update(results)
        .set({ published: true })
        .where(
          and(
            eq(results.campaignId, campaignId),
            eq(results.pass, sql`(select max(${results.pass}) from ${results} where ${results.campaignId} = ${campaignId})`),
          ),
        );
      return;
    }

    default: {
      const unknown: never = effect;
      throw new TypeError(`Unknown read-model effect ${JSON.stringify(unknown)}`);
    }
  }
}

interface UnitStateUpdate {
  campaignId: string;
  effect: Extract<ReadModelEffect, { kind: 'unit_state' }>;
  at: Date;
  /** The seq of the change when the unit's own workflow made it, else null (then it always applies). */
  seq: number | null;
}

/** The seq of a change made by the unit's own workflow (its key `<unit workflow ID>#seq`); null for any other change. */
function ownSeq(change: ReadModelChange, unitCode: string): number | null {
  const key = parseChangeKey(change.idempotencyKey);
  return key !== null && key.workflowId === unitWorkflowId(change.campaignId, unitCode) ? key.seq : null;
}

/**
 * Unit states in one UPDATE (a batch of openings is 500 of them). The units
 * must be distinct: Postgres updates a row once per statement. submitted_at is
 * the first submission of the self-assessment, when the unit moves on to
 * round 1; a later reopening or resubmission keeps it.
 *
 * Monotonic per unit workflow: a state whose seq is not above the one the row
 * holds (state_seq) is older than what the row shows, and leaves stage,
 * status, flags and deadlines as they are. The API projects a submission while
 * the unit's own activities project its later moves, and the two transactions
 * may commit in either order. The submission's submitted_at is still taken.
 */
async function updateUnitStates(tx: Database, updates: readonly UnitStateUpdate[]): Promise<void> {
  const column = (value: (update: UnitStateUpdate) => string | null) => sql.param(updates.map(value));
  const newer = sql`(state.seq is null or unit.state_seq is null or state.seq > unit.state_seq)`;
  const fresh = (name: string) => sql`case when ${newer} then state.${sql.raw(name)} else unit.${sql.raw(name)} end`;
  await tx.execute(sql`
    update ${campaignUnits} as unit set
      stage = ${fresh('stage')}, status = ${fresh('status')}, flags = ${fresh('flags')},
      self_assessment_due = ${fresh('self_assessment_due')}, explanations_due = ${fresh('explanations_due')},
      last_activity_at = greatest(unit.last_activity_at, state.at),
      state_seq = case when ${newer} then coalesce(state.seq, unit.state_seq) else unit.state_seq end,
      submitted_at = case when state.status = 'submitted' and state.stage = 'appraisal_round_1' then coalesce(unit.submitted_at, state.at) else unit.submitted_at end
    from unnest(${column((update) => update.campaignId)}::text[], ${column((update) => update.effect.unitCode)}::text[],
      ${column((update) => update.effect.stage)}::text[], ${column((update) => update.effect.status)}::text[],
      ${column((update) => JSON.stringify(update.effect.flags))}::text[]::jsonb[],
      ${column((update) => deadlineToDate(update.effect.selfAssessmentDue).toISOString())}::text[]::timestamptz[],
      ${column((update) => deadlineToDate(update.effect.explanationsDue).toISOString())}::text[]::timestamptz[],
      ${column((update) => update.at.toISOString())}::text[]::timestamptz[],
      ${column((update) => (update.seq === null ? null : String(update.seq)))}::int[])
      as state(campaign_id, unit_code, stage, status, flags, self_assessment_due, explanations_due, at, seq)
    where unit.campaign_id = state.campaign_id and unit.unit_code = state.unit_code`);
}

/**
 * Appends the changes' events and applies the effects of the new ones, in
 * order, inside the caller's transaction; returns how many were new. Events go
 * in one statement and consecutive unit states of distinct units in one
 * UPDATE: a batch of 500 unit openings took 1.8 s as 1,000 round trips
 * (`npm run bench:projection`).
 */
export async function applyInOrder(
  tx: Database,
  groups: FrameworkGroupsCache,
  changes: readonly ReadModelChange[],
  faults?: ChainFaults,
): Promise<number> {
  const events = changes.map((change) => ({
    campaignId: change.campaignId,
    unitCode: change.unitCode ?? null,
    actor: change.actor,
    action: change.action,
    before: change.before ?? null,
    after: change.after ?? null,
    reason: change.reason ?? null,
    occurredAt: new Date(change.at),
    idempotencyKey: change.idempotencyKey,
    writes: changeTargets(change),
    effects: change.effects,
  }));
  const fresh = await appendEvents(tx, events);
  const toLink = events.filter((event) => fresh.has(event.idempotencyKey));
  let applied = 0;
  const markedUnits = new Map<string, Set<string>>();
  const states: UnitStateUpdate[] = [];
  const statesOf = new Set<string>();
  const flushStates = async () => {
    if (states.length > 0) await updateUnitStates(tx, states);
    states.length = 0;
    statesOf.clear();
  };
  for (const change of changes) {
    // delete: a key given twice in the batch is applied once, the first time.
    if (!fresh.delete(change.idempotencyKey)) continue;
    applied += 1;
    const at = new Date(change.at);
    for (const effect of change.effects) {
      if (effect.kind === 'scores') {
        const units = markedUnits.get(change.campaignId) ?? new Set<string>();
        markedUnits.set(change.campaignId, units.add(effect.unitCode));
      }
      if (effect.kind !== 'unit_state') {
        await flushStates();
        await applyEffect(tx, change, effect, at);
        continue;
      }
      const unit = JSON.stringify([change.campaignId, effect.unitCode]);
      if (statesOf.has(unit)) await flushStates();
      states.push({ campaignId: change.campaignId, effect, at, seq: ownSeq(change, effect.unitCode) });
      statesOf.add(unit);
    }
  }
  await flushStates();
  // Once per unit, after all of the batch's marks: the sheet is rebuilt from every mark the unit has.
  for (const [campaignId, units] of markedUnits) {
    await rebuildUnitSheets(tx, groups, campaignId, inArray(campaignUnits.unitCode, [...units]), 'replace');
  }
  // Last, after every write of the batch: the chain head's lock is held for these few statements only.
  const links = await linkEvents(tx, dedupeByKey(toLink).map(linkInputOf), faults);
  for (const change of changes) {
    if (!change.effects.some((effect) => effect.kind === 'publication')) continue;
    const link = links.get(change.idempotencyKey);
    if (link !== undefined) await freezePublishedDigest(tx, change.campaignId, link, new Date(change.at));
  }
  return applied;
}

/** The first of each idempotency key, as appendEvents keeps it. */
function dedupeByKey<T extends { idempotencyKey: string }>(events: readonly T[]): T[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.idempotencyKey) && seen.add(event.idempotencyKey) !== undefined);
}

// Drift check: a pass's row is a results row, column for column, but for what the insert derives itself
// (the sheet copied at `sheetVersion`, the explanation of older passes, the publication flag), so a
// column added, dropped or retyped on either side fails to compile here.
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type PassRowMatchesResults = Assert<Same<Required<Omit<typeof results.$inferInsert, 'sheet' | 'explanation' | 'published'>>, Omit<PassRow, 'sheetVersion'>>>;

/**
 * A pass's rows as one JSON document that Postgres unpacks, in one statement,
 * instead of drizzle's 200-row inserts and their 75,000 bind parameters. Each
 * row's sheet is copied inside Postgres from unit_sheets, at the version the
 * pass scored: the 29 MB of a pass's sheets never cross the wire (BENCHMARKS.md, P5).
 * Resolves to the number of rows written: fewer than given when a unit's sheet
 * changed since the pass read it.
 */
async function insertResults(tx: Database, rows: readonly PassRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const document = JSON.stringify(
    rows.map((row) => ({
      campaign_id: row.campaignId,
      pass: row.pass,
      unit_code: row.unitCode,
      group_code: row.groupCode,
      assessed_centi: row.assessedCenti,
      survey_centi: row.surveyCenti,
      bonus_centi: row.bonusCenti,
      penalty_centi: row.penaltyCenti,
      total_centi: row.totalCenti,
      index_centi: row.indexCenti,
      rank: row.rank,
      classification: row.classification,
      flags: row.flags,
      sheet_version: row.sheetVersion,
      computed_at: row.computedAt,
      // A pass is published later, as a whole, by the publication effect.
      published: false,
    })),
  );
  const [written] = rowsOf<{ rows: number }>(
    await tx.execute(sql`
      with written as (
        insert into ${results} (campaign_id, pass, unit_code, group_code, assessed_centi, survey_centi, bonus_centi, penalty_centi,
          total_centi, index_centi, rank, classification, flags, sheet, computed_at, published)
        select row.campaign_id, row.pass, row.unit_code, row.group_code, row.assessed_centi, row.survey_centi, row.bonus_centi, row.penalty_centi,
          row.total_centi, row.index_centi, row.rank, row.classification, row.flags, sheet.sheet, row.computed_at, row.published
        from json_to_recordset(${document}::text::json) as row(campaign_id text, pass int, unit_code text, group_code text,
          assessed_centi int, survey_centi int, bonus_centi int, penalty_centi int, total_centi int, index_centi int, rank int,
          classification text, flags jsonb, sheet_version int, computed_at timestamptz, published boolean)
        join ${unitSheets} sheet on sheet.campaign_id = row.campaign_id and sheet.unit_code = row.unit_code and sheet.version = row.sheet_version
        returning 1
      )
      select count(*)::int as rows from written`),
  );
  return written?.rows ?? 0;
}

function toCell(row: typeof scoreEntries.$inferSelect): ScoreCell {
  return { input: row.input, pointsCenti: row.pointsCenti, note: row.note, evidence: row.evidence, setBy: row.setBy, setAt: row.setAt };
}

/** A unit's figures in a pass, with its name (results joined to campaign_units). */
const RESULT_FIGURES = {
  unitCode: results.unitCode,
  nameVi: campaignUnits.nameVi,
  groupCode: results.groupCode,
  assessedCenti: results.assessedCenti,
  surveyCenti: results.surveyCenti,
  bonusCenti: results.bonusCenti,
  penaltyCenti: results.penaltyCenti,
  totalCenti: results.totalCenti,
  indexCenti: results.indexCenti,
  rank: results.rank,
  classification: results.classification,
};

export function createReadModelRepository(db: Database, options: { chainFaults?: ChainFaults } = {}) {
  const groups: FrameworkGroupsCache = new Map();
  async function latestPass(campaignId: string): Promise<number | null> {
    const [row] = await db
      .select({ pass: sql<number | null>`max(${results.pass})` })
      .from(results)
      .where(eq(results.campaignId, campaignId));
    return row?.pass ?? null;
  }

  /** A result with the unit's name and the frozen sheet (or, before migration 0008, the stored explanation). */
  function resultSheetQuery() {
    return db
      .select({ ...RESULT_FIGURES, flags: results.flags, pass: results.pass, published: results.published, sheet: results.sheet, explanation: results.explanation })
      .from(results)
      .innerJoin(campaignUnits, and(eq(campaignUnits.campaignId, results.campaignId), eq(campaignUnits.unitCode, results.unitCode)));
  }

  return {
    /**
     * Appends the change's event and applies its effects in one transaction,
     * exactly once per idempotency key: when the event is already there (a retry,
     * a replay), nothing is applied. Returns whether this call applied it.
     */
    async applyChange(change: ReadModelChange): Promise<{ applied: boolean }> {
      return db.transaction(async (transaction) => ({ applied: (await applyInOrder(transaction as unknown as Database, groups, [change], options.chainFaults)) > 0 }));
    },

    /**
     * applyChange for several changes, in order and in one transaction (one
     * round trip of the worker instead of one per change); each is still
     * applied at most once by its own key. Returns how many this call applied.
     */
    async applyChanges(changes: readonly ReadModelChange[]): Promise<{ applied: number }> {
      return db.transaction(async (transaction) => ({ applied: await applyInOrder(transaction as unknown as Database, groups, changes, options.chainFaults) }));
    },

    /**
     * The campaign definition, units with their flags and summed-up marks, and
     * the survey points. Units without a sheet yet get one first.
     */
    async loadAggregationInput(campaignId: string): Promise<AggregationInput | null> {
      const [campaign] = await db.select({ definition: campaigns.definition }).from(campaigns).where(eq(campaigns.id, campaignId));
      if (campaign === undefined) return null;
      const sheetless = sql`not exists (select 1 from ${unitSheets} where ${unitSheets.campaignId} = ${campaignUnits.campaignId} and ${unitSheets.unitCode} = ${campaignUnits.unitCode})`;
      await db.transaction(async (transaction) => rebuildUnitSheets(transaction as unknown as Database, groups, campaignId, sheetless, 'keep'));
      const [units, survey] = await Promise.all([
        db
          .select({
            code: campaignUnits.unitCode,
            nameVi: campaignUnits.nameVi,
            groupCode: campaignUnits.groupCode,
            flags: campaignUnits.flags,
            assessed: unitSheets.assessed,
            sheetVersion: unitSheets.version,
          })
          .from(campaignUnits)
          .leftJoin(unitSheets, and(eq(unitSheets.campaignId, campaignUnits.campaignId), eq(unitSheets.unitCode, campaignUnits.unitCode)))
          .where(eq(campaignUnits.campaignId, campaignId)),
        db
          .select({ unitCode: surveyPoints.unitCode, pointsCenti: surveyPoints.pointsCenti })
          .from(surveyPoints)
          .where(eq(surveyPoints.campaignId, campaignId)),
      ]);
      // The definition was validated (campaignDefinitionSchema) before the campaign started.
      return { definition: campaign.definition as CampaignDefinition, units, surveyPoints: survey };
    },

    /** Rebuilds every unit's sheet from its marks: for marks written around the projection, as bench/aggregation-floor.ts does. */
    async rebuildUnitSheets(campaignId: string): Promise<{ units: number }> {
      return db.transaction(async (transaction) => ({ units: await rebuildUnitSheets(transaction as unknown as Database, groups, campaignId, sql`true`, 'replace') }));
    },

    /**
     * Replaces the results of one aggregation pass in one transaction, so a
     * re-run of the same pass leaves exactly one row per unit. A published pass
     * is immutable: it is left as it is and `replaced` is false.
     */
    async replaceResults(campaignId: string, pass: number, rows: readonly PassRow[]): Promise<{ replaced: boolean }> {
      return db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        const passRows = and(eq(results.campaignId, campaignId), eq(results.pass, pass));
        const [published] = await tx
          .select({ unitCode: results.unitCode })
          .from(results)
          .where(and(passRows, eq(results.published, true)))
          .limit(1);
        if (published !== undefined) return { replaced: false };
        await tx.delete(results).where(passRows);
        const written = await insertResults(tx, rows);
        if (written < rows.length) throw new SheetsChangedDuringPass(rows.length - written);
        return { replaced: true };
      });
    },

    /** The three-column score sheet of one unit, one line per scored sub-criterion, in code order. */
    async getUnitScores(campaignId: string, unitCode: string): Promise<UnitScoreLine[]> {
      const rows = await db
        .select()
        .from(scoreEntries)
        .where(and(eq(scoreEntries.campaignId, campaignId), eq(scoreEntries.unitCode, unitCode)));
      const lines = new Map<string, UnitScoreLine>();
      for (const row of rows) {
        const line = lines.get(row.subcriterionCode) ?? { subcriterionCode: row.subcriterionCode, self: null, round1: null, round2: null };
        line[row.column] = toCell(row);
        lines.set(row.subcriterionCode, line);
      }
      return [...lines.values()].sort((a, b) => codeCollator.compare(a.subcriterionCode, b.subcriterionCode));
    },

    async listExplanationRequests(campaignId: string, unitCode?: string) {
      const conditions = [eq(explanationRequests.campaignId, campaignId)];
      if (unitCode !== undefined) conditions.push(eq(explanationRequests.unitCode, unitCode));
      return db
        .select()
        .from(explanationRequests)
        .where(and(...conditions))
        .orderBy(asc(explanationRequests.requestedAt), asc(explanationRequests.unitCode), asc(explanationRequests.id));
    },

    async listGuidance(campaignId: string) {
      return db
        .select()
        .from(guidanceContributions)
        .where(eq(guidanceContributions.campaignId, campaignId))
        .orderBy(asc(guidanceContributions.submittedAt), asc(guidanceContributions.contributor));
    },

    /**
     * The results of one pass (default: the latest) per group, in rank order,
     * then by Vietnamese name; without the per-unit sheet (getResultSheet).
     * null when the campaign has no results yet.
     */
    async getResults(campaignId: string, pass?: number) {
      const chosen = pass ?? (await latestPass(campaignId));
      if (chosen === null) return null;
      const rows = await db
        .select({ ...RESULT_FIGURES, flags: results.flags, computedAt: results.computedAt, published: results.published })
        .from(results)
        .innerJoin(campaignUnits, and(eq(campaignUnits.campaignId, results.campaignId), eq(campaignUnits.unitCode, results.unitCode)))
        .where(and(eq(results.campaignId, campaignId), eq(results.pass, chosen)));
      if (rows.length === 0) return null;
      const groups = new Map<string, typeof rows>();
      for (const row of rows) groups.set(row.groupCode, [...(groups.get(row.groupCode) ?? []), row]);
      return {
        pass: chosen,
        published: rows.every((row) => row.published),
        computedAt: rows[0]!.computedAt,
        groups: [...groups.entries()]
          .sort(([a], [b]) => codeCollator.compare(a, b))
          .map(([code, units]) => ({
            code,
            units: units.sort((a, b) => a.rank - b.rank || viCollator.compare(a.nameVi, b.nameVi) || codeCollator.compare(a.unitCode, b.unitCode)),
          })),
      };
    },

    /**
     * Every unit's result of one pass (the latest by default) with what its
     * explanation is rebuilt from, for the results workbook; by unit code.
     */
    async listResultSheets(campaignId: string, pass?: number) {
      const chosen = pass ?? (await latestPass(campaignId));
      if (chosen === null) return [];
      const rows = await resultSheetQuery().where(and(eq(results.campaignId, campaignId), eq(results.pass, chosen)));
      return rows.sort((a, b) => codeCollator.compare(a.unitCode, b.unitCode));
    },

    /** One unit's result (default the latest pass) with what its explanation is rebuilt from. */
    async getResultSheet(campaignId: string, unitCode: string, pass?: number) {
      const chosen = pass ?? (await latestPass(campaignId));
      if (chosen === null) return null;
      const [row] = await resultSheetQuery().where(and(eq(results.campaignId, campaignId), eq(results.pass, chosen), eq(results.unitCode, unitCode)));
      return row ?? null;
    },

    async getSurveyPoints(campaignId: string) {
      const rows = await db
        .select({ unitCode: surveyPoints.unitCode, pointsCenti: surveyPoints.pointsCenti })
        .from(surveyPoints)
        .where(eq(surveyPoints.campaignId, campaignId));
      return rows.sort((a, b) => codeCollator.compare(a.unitCode, b.unitCode));
    },
  };
}

export type ReadModelRepository = ReturnType<typeof createReadModelRepository>;
