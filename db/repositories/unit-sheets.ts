import { and, eq, sql, type SQL } from 'drizzle-orm';
import { buildUnitSheet, type ScoreColumn, type ScoreInput, type StoredMark } from '../../domain/scoring';
import type { FrameworkGroup } from '../../domain/framework/schema';
import type { Database } from '../connect';
import { dateOf, jsonOf, rowsOf, type RawTimestamp } from '../raw-rows';
import { campaignUnits, campaigns, unitSheets } from '../schema';

/**
 * unit_sheets: each unit's frozen sheet and what its marks sum to, rebuilt with
 * domain/scoring from score_entries. The projection rebuilds the units whose
 * marks a change touched, in the change's transaction; an aggregation pass
 * rebuilds the units that have no sheet yet (marks stored before migration 0012).
 */

/** replace: the marks just changed. keep: fill a gap only, never overwrite a sheet the projection wrote. */
export type SheetConflict = 'replace' | 'keep';

interface RawMarkRow {
  /** Keys the cache of the campaign's framework groups with the campaign's creation. */
  campaign_created_at: RawTimestamp;
  unit_code: string;
  group_code: string;
  subcriterion_code: string | null;
  score_column: ScoreColumn;
  input: unknown;
  points_centi: number;
  note: string;
  set_by: string;
  set_at: RawTimestamp;
}

/**
 * The campaign's framework groups, parsed once per repository (so per
 * database): the definition (58 kB at 5,000 units) does not change once the
 * campaign is recorded, and reading a group out of it took a third of a
 * submission's rebuild. Keyed with the campaign's creation as well, in case
 * a campaign is deleted by hand and recorded again under its id.
 */
export type FrameworkGroupsCache = Map<string, Map<string, FrameworkGroup>>;

/**
 * Rebuilds the sheets of the campaign's units that `which` selects (a
 * condition on campaign_units), inside the caller's transaction. Resolves to
 * how many were written.
 *
 * The units' rows are locked first and the marks read after, in a statement
 * of its own: two transactions that mark one unit then see each other's marks
 * (read committed gives each statement a fresh snapshot), where reading in
 * the same statement as the lock would leave the sheet without the marks the
 * other one committed meanwhile.
 */
export async function rebuildUnitSheets(
  tx: Database,
  cache: FrameworkGroupsCache,
  campaignId: string,
  which: SQL,
  onConflict: SheetConflict,
): Promise<number> {
  const units = and(eq(campaignUnits.campaignId, campaignId), which);
  await tx.execute(sql`select 1 from ${campaignUnits} where ${units} order by ${campaignUnits.unitCode} for no key update`);
  const rows = rowsOf<RawMarkRow>(
    await tx.execute(sql`
      select ${campaigns.createdAt} as campaign_created_at, ${campaignUnits.unitCode} as unit_code, ${campaignUnits.groupCode} as group_code,
        e.subcriterion_code, e.score_column, e.input, e.points_centi, e.note, e.set_by, e.set_at
      from ${campaignUnits}
      join ${campaigns} on ${campaigns.id} = ${campaignUnits.campaignId}
      left join score_entries e on e.campaign_id = ${campaignUnits.campaignId} and e.unit_code = ${campaignUnits.unitCode}
      where ${units}
      order by 2, 4, 5`),
  );
  if (rows.length === 0) return 0;
  const groups = await frameworkGroups(tx, cache, campaignId, dateOf(rows[0]!.campaign_created_at));

  // A submission stamps all its marks with one instant: each is parsed and formatted once.
  const isoTimes = new Map<RawTimestamp, string>();
  const marksOf = new Map<string, { groupCode: string; marks: StoredMark[] }>();
  for (const row of rows) {
    let unit = marksOf.get(row.unit_code);
    if (unit === undefined) marksOf.set(row.unit_code, (unit = { groupCode: row.group_code, marks: [] }));
    if (row.subcriterion_code === null) continue; // a unit without marks: its sheet is empty
    let setAt = isoTimes.get(row.set_at);
    if (setAt === undefined) isoTimes.set(row.set_at, (setAt = dateOf(row.set_at).toISOString()));
    unit.marks.push({
      subcriterionCode: row.subcriterion_code,
      column: row.score_column,
      input: jsonOf<ScoreInput>(row.input),
      pointsCenti: row.points_centi,
      note: row.note,
      setBy: row.set_by,
      setAt,
    });
  }

  const sheets = [...marksOf].flatMap(([unitCode, { groupCode, marks }]) => {
    const group = groups.get(groupCode);
    // A unit of a group the framework lacks has no sheet; aggregation refuses it as unknown_group.
    if (group === undefined) return [];
    const { sheet, assessed } = buildUnitSheet(group, marks);
    return [{ campaign_id: campaignId, unit_code: unitCode, sheet, assessed }];
  });
  if (sheets.length === 0) return 0;
  await tx.execute(sql`
    insert into ${unitSheets} (campaign_id, unit_code, sheet, assessed)
    select campaign_id, unit_code, sheet, assessed
    from json_to_recordset(${JSON.stringify(sheets)}::text::json) as row(campaign_id text, unit_code text, sheet json, assessed jsonb)
    ${
      onConflict === 'replace'
        ? sql`on conflict (campaign_id, unit_code) do update set sheet = excluded.sheet, assessed = excluded.assessed, version = ${unitSheets}.version + 1`
        : sql`on conflict (campaign_id, unit_code) do nothing`
    }`);
  return sheets.length;
}

/** A repository reads few campaigns; the bound keeps a long-lived worker's cache small all the same. */
const CAMPAIGNS_CACHED = 16;

async function frameworkGroups(tx: Database, cache: FrameworkGroupsCache, campaignId: string, createdAt: Date): Promise<Map<string, FrameworkGroup>> {
  const key = `${campaignId}@${createdAt.toISOString()}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const rows = rowsOf<{ code: string; group: unknown }>(
    await tx.execute(sql`
      select g.key as code, g.value as group
      from ${campaigns}, jsonb_each(${campaigns.definition} -> 'framework' -> 'groups') g
      where ${campaigns.id} = ${campaignId}`),
  );
  // The definition was validated (campaignDefinitionSchema) before the campaign started.
  const groups = new Map(rows.map((row) => [row.code, jsonOf<FrameworkGroup>(row.group)]));
  if (cache.size >= CAMPAIGNS_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, groups);
  return groups;
}
