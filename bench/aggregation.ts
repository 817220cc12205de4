/**
 * P5 on its own (BENCHMARKS.md): the aggregation activity against the raw SQL floor
 * on a council-ready read model of N units, with the activity's time split into
 * load, compute and write, and the survey half: the points of M answers
 * (bench/survey-points.ts). Needs Postgres only, so a change to the aggregation
 * can be measured in about three minutes instead of a full `npm run bench`.
 *
 *   npm run bench:aggregation -- --units 5000 --runs 3 --answers 1000000
 *   npm run bench:aggregation -- --answers 0      # the pass only
 *
 * DATABASE_URL names the server the scratch database is made on (default
 * postgres://postgres@127.0.0.1:5432/test); it is dropped at the end.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import postgres from 'postgres';
import { createAggregationActivities, type AggregationSummary } from '../activities/aggregation';
import { createReadModelRepository } from '../db/repositories/read-model';
import { checkSelfAssessment } from '../domain/assessment-checks';
import { computeResultRows } from '../domain/scoring';
import { fullSelfAssessment } from '../seed/scores';
import { makeCouncilReady, rawAggregate } from './aggregation-floor';
import { recordBenchCampaign } from './campaign';
import { percentile } from './stack';
import { measureSurveyPoints } from './survey-points';

const { values: args } = parseArgs({
  options: { units: { type: 'string', default: '5000' }, runs: { type: 'string', default: '3' }, answers: { type: 'string', default: '1000000' } },
});
const N = Number(args.units);
const RUNS = Number(args.runs);
const ANSWERS = Number(args.answers);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const UNITS_PER_CHANGE = 100;
const SINGLE_SUBMISSIONS = 200;

async function main() {
  const { url, db, campaignId, definition, close } = await recordBenchCampaign(ADMIN_URL, N, 'self_assessment');
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    const readModel = createReadModelRepository(db);
    // Every unit's full self-assessment, scored and projected as the unit workflow does it.
    const selfSheet = (groupCode: string) => {
      const group = definition.framework.groups[groupCode]!;
      const { entries, issues } = checkSelfAssessment(group, fullSelfAssessment(group));
      if (issues.length > 0) throw new Error(`seed self-assessment of ${groupCode} refused: ${issues[0]!.message_en}`);
      return entries;
    };
    const sheets = new Map(Object.keys(definition.framework.groups).map((code) => [code, selfSheet(code)]));
    const project = (key: string, units: typeof definition.units) =>
      readModel.applyChange({
        idempotencyKey: `${campaignId}#${key}`,
        campaignId,
        actor: 'bench',
        action: 'self_assessment_submitted',
        at: new Date().toISOString(),
        effects: units.map((unit) => ({
          kind: 'scores' as const,
          unitCode: unit.code,
          column: 'self' as const,
          entries: sheets.get(unit.group)!,
          setBy: `unit:${unit.code}`,
          setAt: new Date().toISOString(),
        })),
      });
    // The first units one change each, as a submission is projected: what the read model's work per submission costs.
    const singles = definition.units.slice(0, Math.min(SINGLE_SUBMISSIONS, definition.units.length));
    const submissionMs: number[] = [];
    for (const unit of singles) {
      const begun = performance.now();
      await project(`single-${unit.code}`, [unit]);
      submissionMs.push(performance.now() - begun);
    }
    for (let i = singles.length; i < definition.units.length; i += UNITS_PER_CHANGE) {
      await project(`seed${i}`, definition.units.slice(i, i + UNITS_PER_CHANGE));
    }
    const { rebuildMs } = await makeCouncilReady(sql, readModel, campaignId);
    const [{ rows: scoreRows } = { rows: 0 }] = await sql<{ rows: number }[]>`select count(*)::int as rows from score_entries where campaign_id = ${campaignId}`;

    // The activity's three steps, timed apart, then the activity as the worker runs it.
    const split = { loadMs: [] as number[], computeMs: [] as number[], writeMs: [] as number[], storedRowKiB: 0 };
    for (let run = 0; run < RUNS; run++) {
      let t = performance.now();
      const data = await readModel.loadAggregationInput(campaignId);
      split.loadMs.push(performance.now() - t);
      t = performance.now();
      const rows = computeResultRows(data!, campaignId, 1, new Date());
      split.computeMs.push(performance.now() - t);
      if (!rows.ok) throw new Error(`aggregation refused: ${rows.errors[0]?.message_en}`);
      t = performance.now();
      await readModel.replaceResults(campaignId, 1, rows.value);
      split.writeMs.push(performance.now() - t);
    }
    const [{ kib } = { kib: 0 }] = await sql<{ kib: number }[]>`
      select (avg(pg_column_size(r.*)) / 1024)::float as kib from results r where campaign_id = ${campaignId}`;
    split.storedRowKiB = kib;

    const aggregation = createAggregationActivities({ readModel });
    const activityEnv = new MockActivityEnvironment({}, { logger: new DefaultLogger('WARN') });
    const activityMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const begun = performance.now();
      const summary = (await activityEnv.run(aggregation.aggregateResults, { campaignId, pass: 1 })) as AggregationSummary;
      activityMs.push(performance.now() - begun);
      if (summary.units !== N) throw new Error(`the aggregation ranked ${summary.units} units, expected ${N}`);
    }
    const floorMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const begun = performance.now();
      const units = await rawAggregate(sql, campaignId);
      floorMs.push(performance.now() - begun);
      if (units !== N) throw new Error(`the raw aggregate returned ${units} units, expected ${N}`);
    }

    const survey = ANSWERS > 0 ? await measureSurveyPoints(db, sql, campaignId, definition, ANSWERS) : null;
    if (survey !== null && survey.problems.length > 0) throw new Error(survey.problems.join('; '));

    const median = (values: number[]) => percentile(values, 50);
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    process.stdout.write(
      [
        `P5 aggregation benchmark (${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version})`,
        `  read model:  ${N} units, ${scoreRows.toLocaleString('en')} score rows; every unit's sheet rebuilt in ${ms(rebuildMs)} (not part of the pass)`,
        `  projection of one self-assessment (40 marks, one change): p50 ${median(submissionMs).toFixed(1)} ms, p95 ${percentile(submissionMs, 95).toFixed(1)} ms (${submissionMs.length} units)`,
        `  activity:    ${ms(median(activityMs))} (median of ${RUNS}: ${activityMs.map(ms).join(', ')})`,
        `    load ${ms(median(split.loadMs))}, compute ${ms(median(split.computeMs))}, write ${ms(median(split.writeMs))}; ${split.storedRowKiB.toFixed(1)} KiB stored per result row`,
        `  raw SQL:     ${ms(median(floorMs))} (median of ${RUNS})`,
        `  ratio:       ${(median(activityMs) / median(floorMs)).toFixed(2)}× (target ≤ 1.5×)`,
        ...(survey === null
          ? []
          : [
              `  survey:      ${survey.answers.toLocaleString('en')} answers imported in ${ms(survey.importMs)} (not part of the measure)`,
              `    points ${ms(survey.medianMs)} (median of 3: ${survey.runsMs.map(ms).join(', ')}), raw SQL ${ms(survey.baselineMedianMs)}, ratio ${(survey.medianMs / survey.baselineMedianMs).toFixed(2)}×`,
            ]),
        '',
      ].join('\n'),
    );
  } finally {
    await sql.end();
    await close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
