/**
 * P5's shared parts (bench/run.ts and bench/aggregation.ts): the council-ready
 * read model the aggregation runs on, and the raw SQL floor it is measured
 * against. Not part of the app.
 */
import type postgres from 'postgres';
import type { ReadModelRepository } from '../db/repositories/read-model';

/**
 * Round 1 agrees with every self-assessment, and the institute has points for
 * every unit. Round 1 is copied in SQL, around the projection, so every unit's
 * sheet is then rebuilt as the projection would have done mark by mark.
 * Resolves to the time that rebuild took.
 */
export async function makeCouncilReady(
  sql: postgres.Sql,
  readModel: Pick<ReadModelRepository, 'rebuildUnitSheets'>,
  campaignId: string,
): Promise<{ rebuildMs: number }> {
  await sql`insert into score_entries (campaign_id, unit_code, subcriterion_code, score_column, input, points_centi, note, evidence, set_by, set_at)
            select campaign_id, unit_code, subcriterion_code, 'round1', input, points_centi, '', '[]'::jsonb, 'bench', now()
            from score_entries where campaign_id = ${campaignId} and score_column = 'self'
            on conflict do nothing`;
  await sql`insert into survey_points (campaign_id, unit_code, points_centi)
            select campaign_id, unit_code, 1500 + (abs(hashtext(unit_code)) % 1000) from campaign_units where campaign_id = ${campaignId}
            on conflict do nothing`;
  const begun = performance.now();
  await readModel.rebuildUnitSheets(campaignId);
  return { rebuildMs: performance.now() - begun };
}

/** The floor: effective score per sub-criterion, totals and rank() per group, in one statement that writes nothing. Resolves to the number of units. */
export async function rawAggregate(sql: postgres.Sql, campaignId: string): Promise<number> {
  const rows = await sql`
    with effective as (
      select distinct on (unit_code, subcriterion_code) unit_code, points_centi
      from score_entries where campaign_id = ${campaignId}
      order by unit_code, subcriterion_code, case score_column when 'round2' then 0 when 'round1' then 1 else 2 end
    ), totals as (
      select u.unit_code, u.group_code, coalesce(sum(e.points_centi), 0) + coalesce(max(s.points_centi), 0) as total
      from campaign_units u
      left join effective e on e.unit_code = u.unit_code
      left join survey_points s on s.campaign_id = u.campaign_id and s.unit_code = u.unit_code
      where u.campaign_id = ${campaignId}
      group by u.unit_code, u.group_code
    )
    select unit_code, group_code, total, rank() over (partition by group_code order by total desc) as rank from totals`;
  return rows.length;
}

/**
 * The survey floor: each unit's points from the current import's answers
 * (question points = max × mean weight of the valid answers, half-up to
 * hundredths; unit points = their sum), in one statement. Resolves to points
 * per unit.
 */
export async function rawSurveyPoints(
  sql: postgres.Sql,
  campaignId: string,
  maxima: readonly { groupCode: string; questionCode: string; maxCenti: number }[],
): Promise<Map<string, number>> {
  const rows = await sql<{ unit_code: string; points: number }[]>`
    with per_question as (
      select unit_code, question_code, count(weight_hundredths) as valid, sum(weight_hundredths) as weight
      from survey_answers
      where import_id = (select id from survey_imports where campaign_id = ${campaignId} and replaced_at is null)
      group by unit_code, question_code
    ), maxima as (
      select * from unnest(${maxima.map((m) => m.groupCode)}::text[], ${maxima.map((m) => m.questionCode)}::text[], ${maxima.map((m) => m.maxCenti)}::int[])
        as m(group_code, question_code, max_centi)
    )
    select p.unit_code, sum(case when p.valid = 0 then 0 else round(m.max_centi * p.weight / (100.0 * p.valid)) end)::int as points
    from per_question p
    join campaign_units u on u.campaign_id = ${campaignId} and u.unit_code = p.unit_code
    join maxima m on m.group_code = u.group_code and m.question_code = p.question_code
    group by p.unit_code`;
  return new Map(rows.map((row) => [row.unit_code, row.points]));
}
