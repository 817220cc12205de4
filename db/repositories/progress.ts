import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { FrameworkGroup } from '../../domain/framework';
import type { ProgressStatus } from '../../domain/progress';
import type { UnitFlag, UnitStage, UnitStatus } from '../../domain/units';
import type { Database } from '../connect';
import { dateOf, jsonOf, rowsOf, type RawTimestamp } from '../raw-rows';
import { campaignUnits, campaigns } from '../schema';
import { campaignChains } from '../schema-chain';

/**
 * The coordinators' progress view, answered from the read
 * model in two queries over campaign_units (counts, then the filtered table),
 * both served by the (campaign_id, stage, status) and (campaign_id, group_code)
 * indexes, never by one query per unit or per workflow.
 */

export interface ProgressFilters {
  group?: string;
  stage?: UnitStage;
  status?: ProgressStatus;
}

/** A unit counted as late: its self-assessment came in after the deadline and waits on round 1 (the predicate of index campaign_units_late). */
const isLate = sql`${campaignUnits.status} = 'submitted' and ${campaignUnits.stage} = 'appraisal_round_1' and ${campaignUnits.flags} @> '["submitted_late"]'::jsonb`;

const unitsWithDraft = (campaignId: string) => sql`select d.unit_code from self_assessment_drafts d where d.campaign_id = ${campaignId}`;
const unitsWithAnswer = (campaignId: string) =>
  sql`select er.unit_code from explanation_requests er where er.campaign_id = ${campaignId} and er.answered_at is not null`;

/**
 * The ProgressStatus (domain/progress.ts) of a campaign_units row of one campaign, in SQL so that it
 * can be filtered and listed there. Drafts and answers are asked as IN over
 * the campaign's rows rather than a correlated EXISTS: Postgres then hashes
 * them once (BENCHMARKS.md, P4). countByStageAndStatus counts the same statuses by
 * parts (progressCountsSql, progressCounts); a test holds the two equal.
 */
function progressStatus(campaignId: string): SQL<ProgressStatus> {
  return sql<ProgressStatus>`case
  when ${campaignUnits.status} = 'done' then 'done'
  when ${campaignUnits.status} = 'overdue' then 'overdue'
  when ${isLate} then 'late'
  when ${campaignUnits.status} = 'submitted' or ${campaignUnits.stage} = 'appraisal_round_2' then 'submitted'
  when ${campaignUnits.stage} = 'self_assessment' and ${campaignUnits.unitCode} in (${unitsWithDraft(campaignId)}) then 'draft'
  when ${campaignUnits.stage} = 'explanations' and ${campaignUnits.unitCode} in (${unitsWithAnswer(campaignId)}) then 'draft'
  else 'not_started'
end`;
}

/** One part of the count: every unit by (stage, status), or those of them that are late or have begun (a draft, an answer). */
interface CountPart {
  part: 'all' | 'late' | 'begun';
  stage: UnitStage;
  status: UnitStatus;
  units: number | string;
}

/**
 * The parts progressCounts needs, in one statement: every unit by (stage,
 * status) and the late ones, both from indexes alone, and the units that have
 * begun their stage's work, from the campaign's drafts and answers. Counting
 * progressStatus row by row read every unit's flags: 6 ms for 5,000 units
 * against 1.6 ms for the (stage, status) index (BENCHMARKS.md, P4).
 */
function progressCountsSql(campaignId: string, group: string | undefined): SQL {
  const where = and(eq(campaignUnits.campaignId, campaignId), group === undefined ? undefined : eq(campaignUnits.groupCode, group));
  const byStage = sql`group by ${campaignUnits.stage}, ${campaignUnits.status}`;
  // What the stage's own work (a draft, an answer) can no longer change: progressStatus's branches before 'draft'.
  const open = sql`${campaignUnits.status} not in ('done', 'overdue', 'submitted')`;
  return sql`
    select 'all' as part, ${campaignUnits.stage}, ${campaignUnits.status}, count(*)::int as units from ${campaignUnits} where ${where} ${byStage}
    union all
    select 'late', ${campaignUnits.stage}, ${campaignUnits.status}, count(*)::int from ${campaignUnits} where ${where} and ${isLate} ${byStage}
    union all
    select 'begun', ${campaignUnits.stage}, ${campaignUnits.status}, count(*)::int from ${campaignUnits}
      join self_assessment_drafts d on d.campaign_id = ${campaignUnits.campaignId} and d.unit_code = ${campaignUnits.unitCode}
      where ${where} and ${campaignUnits.stage} = 'self_assessment' and ${open} ${byStage}
    union all
    select 'begun', ${campaignUnits.stage}, ${campaignUnits.status}, count(*)::int from ${campaignUnits}
      where ${where} and ${campaignUnits.stage} = 'explanations' and ${open} and ${campaignUnits.unitCode} in (${unitsWithAnswer(campaignId)}) ${byStage}`;
}

/** progressStatus of a unit that is not late and has begun nothing: what its stage and workflow status alone say. */
function statusByStage(stage: UnitStage, status: UnitStatus): ProgressStatus {
  if (status === 'done' || status === 'overdue' || status === 'submitted') return status;
  return stage === 'appraisal_round_2' ? 'submitted' : 'not_started';
}

/** The progress statuses per stage from the parts: late units move from submitted to late, begun ones from not_started to draft. */
function progressCounts(parts: CountPart[]): { stage: UnitStage; status: ProgressStatus; units: number }[] {
  const counts = new Map<string, { stage: UnitStage; status: ProgressStatus; units: number }>();
  const add = (stage: UnitStage, status: ProgressStatus, units: number) => {
    const key = `${stage} ${status}`;
    let counted = counts.get(key);
    if (!counted) counts.set(key, (counted = { stage, status, units: 0 }));
    counted.units += units;
  };
  for (const { part, stage, status, units } of parts) {
    const base = statusByStage(stage, status);
    add(stage, base, part === 'all' ? Number(units) : -Number(units));
    if (part !== 'all') add(stage, part === 'late' ? 'late' : 'draft', Number(units));
  }
  return [...counts.values()].filter((counted) => counted.units > 0);
}

/** Page of a unit table; absent: every row. */
export interface UnitPage {
  limit: number;
  offset: number;
}

/** The ICU collation the unit table is sorted by in SQL; PGlite (npm start) has no ICU and sorts in JavaScript. */
const VIETNAMESE_COLLATION = 'vi-x-icu';
const viCollator = new Intl.Collator('vi');

/** One unit in the progress table. */
export interface UnitProgressRow {
  unitCode: string;
  nameVi: string;
  groupCode: string;
  stage: UnitStage;
  workflowStatus: UnitStatus;
  status: ProgressStatus;
  flags: UnitFlag[];
  selfAssessmentDue: Date | null;
  explanationsDue: Date | null;
  submittedAt: Date | null;
  lastActivityAt: Date | null;
}

/** A campaign_units row as the drivers hand it over (db/raw-rows.ts). */
interface RawUnitRow {
  unit_code: string;
  name_vi: string;
  group_code: string;
  stage: UnitStage;
  status: UnitStatus;
  progress_status: ProgressStatus;
  flags: unknown;
  self_assessment_due: RawTimestamp | null;
  explanations_due: RawTimestamp | null;
  submitted_at: RawTimestamp | null;
  last_activity_at: RawTimestamp | null;
}

function toUnitProgressRow(row: RawUnitRow): UnitProgressRow {
  return {
    unitCode: row.unit_code,
    nameVi: row.name_vi,
    groupCode: row.group_code,
    stage: row.stage,
    workflowStatus: row.status,
    status: row.progress_status,
    flags: jsonOf<UnitFlag[]>(row.flags),
    selfAssessmentDue: dateOf(row.self_assessment_due),
    explanationsDue: dateOf(row.explanations_due),
    submittedAt: dateOf(row.submitted_at),
    lastActivityAt: dateOf(row.last_activity_at),
  };
}

export function createProgressRepository(db: Database) {
  // A campaign's definition never changes once recorded, so neither do its group
  // names: read once per campaign instead of de-TOASTing the definition (it holds
  // every unit) on every progress request (BENCHMARKS.md, P4).
  const groupNames = new Map<string, Promise<Record<string, string>>>();
  let icu: Promise<boolean> | null = null;
  const hasIcu = () =>
    (icu ??= db
      .execute(sql`select 1 from pg_collation where collname = ${VIETNAMESE_COLLATION}`)
      .then((result) => rowsOf(result).length > 0));

  async function findGroupNames(campaignId: string): Promise<Record<string, string>> {
    const cached = groupNames.get(campaignId);
    if (cached) return cached;
    const loading = db
      .select({
        names: sql<Record<string, string> | null>`(
          select jsonb_object_agg(g.key, g.value->>'name_vi') from jsonb_each(${campaigns.definition}->'framework'->'groups') g
        )`,
      })
      .from(campaigns)
      .where(eq(campaigns.id, campaignId))
      .then(([row]) => row?.names ?? {});
    groupNames.set(campaignId, loading);
    // A failed read, or a campaign not recorded yet, is asked again next time.
    void loading.then(
      (names) => Object.keys(names).length === 0 && groupNames.delete(campaignId),
      () => groupNames.delete(campaignId),
    );
    return loading;
  }

  function conditions(campaignId: string, filters: ProgressFilters): SQL[] {
    const where: SQL[] = [eq(campaignUnits.campaignId, campaignId)];
    if (filters.group !== undefined) where.push(eq(campaignUnits.groupCode, filters.group));
    if (filters.stage !== undefined) where.push(eq(campaignUnits.stage, filters.stage));
    if (filters.status !== undefined) where.push(sql`(${progressStatus(campaignId)}) = ${filters.status}`);
    return where;
  }

  return {
    /** What the progress view needs of the campaign, without its (large) definition: the group names are read once and kept. */
    async findCampaignSummary(campaignId: string) {
      const [row] = await db
        .select({
          id: campaigns.id,
          year: campaigns.year,
          nameVi: campaigns.nameVi,
          stage: campaigns.stage,
          timeline: campaigns.timeline,
          publishedDecisionNumber: campaigns.publishedDecisionNumber,
          publishedDecisionDate: campaigns.publishedDecisionDate,
          verificationDigest: campaignChains.publishedDigest,
        })
        .from(campaigns)
        .leftJoin(campaignChains, eq(campaignChains.campaignId, campaigns.id))
        .where(eq(campaigns.id, campaignId));
      if (!row) return null;
      return { ...row, groupNames: await findGroupNames(campaignId) };
    },

    /** One group's criteria tree from the campaign definition (the unit page shows scores by area). */
    async findFrameworkGroup(campaignId: string, groupCode: string): Promise<FrameworkGroup | null> {
      const [row] = await db
        .select({ group: sql<FrameworkGroup | null>`${campaigns.definition}->'framework'->'groups'->${groupCode}` })
        .from(campaigns)
        .where(eq(campaigns.id, campaignId));
      return row?.group ?? null;
    },

    /** How many units stand at each (stage, progress status); only the group filter applies. */
    async countByStageAndStatus(campaignId: string, filters: Pick<ProgressFilters, 'group'> = {}) {
      return progressCounts(rowsOf<CountPart>(await db.execute(progressCountsSql(campaignId, filters.group))));
    },

    /**
     * The units that match the filters with their progress status, by Vietnamese
     * name (then code), one page of them when a page is given. Paged in
     * Postgres in the order of the ICU index of migration 0009, so a page reads
     * only its own rows whatever the campaign's size (BENCHMARKS.md, P4); without ICU
     * (PGlite) sorted with Intl.Collator('vi') and sliced here.
     */
    async listUnits(campaignId: string, filters: ProgressFilters = {}, page?: UnitPage): Promise<UnitProgressRow[]> {
      const inSql = await hasIcu();
      const order = inSql
        ? sql`order by ${campaignUnits.nameVi} collate ${sql.identifier(VIETNAMESE_COLLATION)}, ${campaignUnits.unitCode} collate "C"
              ${page ? sql`limit ${page.limit} offset ${page.offset}` : sql``}`
        : sql``;
      let rows = rowsOf<RawUnitRow>(
        await db.execute(sql`
          select unit_code, name_vi, group_code, stage, status, ${progressStatus(campaignId)} as progress_status, flags,
            self_assessment_due, explanations_due, submitted_at, last_activity_at
          from ${campaignUnits} where ${and(...conditions(campaignId, filters))} ${order}`),
      ).map(toUnitProgressRow);
      if (!inSql) {
        rows.sort((a, b) => viCollator.compare(a.nameVi, b.nameVi) || (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0));
        if (page) rows = rows.slice(page.offset, page.offset + page.limit);
      }
      return rows;
    },
  };
}

export type ProgressRepository = ReturnType<typeof createProgressRepository>;
