/**
 * P5's survey half (bench/run.ts and bench/aggregation.ts): M answers imported
 * through the institute's importer (the code path of POST …/survey/answers;
 * timed apart, not part of the measure), then the points the institute
 * submits, computed by the service (median of 3), against rawSurveyPoints over
 * the same answers. Every unit's points must agree. Not part of the app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type postgres from 'postgres';
import { createSurveyAnswerService } from '../application/services/survey-answers';
import type { Database } from '../db/connect';
import { createSurveyAnswerRepository } from '../db/repositories/survey-answers';
import type { CampaignDefinition } from '../domain/campaign';
import { toCenti } from '../domain/scoring';
import { rawSurveyPoints } from './aggregation-floor';
import { percentile } from './stack';
import { surveyAnswerCsv } from './survey-answers-csv';

const RUNS = 3;

export interface SurveyPointsFigures {
  answers: number;
  importMs: number;
  runsMs: number[];
  baselineRunsMs: number[];
  medianMs: number;
  baselineMedianMs: number;
  /** Correctness failures; empty when every unit's points agree. */
  problems: string[];
}

export async function measureSurveyPoints(
  db: Database,
  rawSql: postgres.Sql,
  campaignId: string,
  definition: CampaignDefinition,
  answers: number,
): Promise<SurveyPointsFigures> {
  const tempDir = mkdtempSync(join(tmpdir(), 'par-bench-answers-'));
  try {
    const service = createSurveyAnswerService({
      answers: createSurveyAnswerRepository(db),
      submitResults: () => Promise.reject(new Error('not part of the benchmark')),
      options: { tempDir },
    });
    const institute = { id: 'bench', role: 'institute' as const };
    const problems: string[] = [];
    const importBegun = performance.now();
    const imported = await service.importFile(campaignId, Readable.from(surveyAnswerCsv(definition, answers)), institute);
    const importMs = performance.now() - importBegun;
    if (imported.summary.answers !== answers) problems.push(`P5 survey: ${imported.summary.answers} answers imported, expected ${answers}`);

    const runsMs: number[] = [];
    let report: Awaited<ReturnType<typeof service.points>> | undefined;
    for (let run = 0; run < RUNS; run++) {
      const begun = performance.now();
      report = await service.points(campaignId, institute);
      runsMs.push(performance.now() - begun);
    }
    const maxima = Object.entries(definition.framework.groups).flatMap(([groupCode, group]) =>
      group.survey.questions.map((question) => ({ groupCode, questionCode: question.code, maxCenti: toCenti(question.max_points) })),
    );
    // The floor scans the answers, which the service no longer reads after the import: fresh planner
    // statistics for them, or the floor runs for minutes on the estimates of an empty table.
    await rawSql`analyze survey_answers`;
    const baselineRunsMs: number[] = [];
    let floor = new Map<string, number>();
    for (let run = 0; run < RUNS; run++) {
      const begun = performance.now();
      floor = await rawSurveyPoints(rawSql, campaignId, maxima);
      baselineRunsMs.push(performance.now() - begun);
    }
    const units = report?.units ?? [];
    if (units.length !== definition.units.length) problems.push(`P5 survey: the service scored ${units.length} units, expected ${definition.units.length}`);
    const disagreeing = units.filter((unit) => unit.pointsCenti !== (floor.get(unit.unitCode) ?? 0));
    if (disagreeing.length > 0) problems.push(`P5 survey: ${disagreeing.length} units' points differ from the raw aggregate's, first ${disagreeing[0]!.unitCode}`);
    return {
      answers: imported.summary.answers,
      importMs,
      runsMs,
      baselineRunsMs,
      medianMs: percentile(runsMs, 50),
      baselineMedianMs: percentile(baselineRunsMs, 50),
      problems,
    };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}
