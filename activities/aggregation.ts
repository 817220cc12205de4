import { ApplicationFailure, heartbeat, log } from '@temporalio/activity';
import { computeUnitTotals, rankUnitResults, unknownGroup, type SurveyResult, type UnitResultError, type UnitTotals } from '../domain/scoring';
import type { AggregationInput, PassRow, ReadModelRepository } from '../db/repositories/read-model';
import { beatingWhile } from './liveness';

export interface AggregationActivityDeps {
  readModel: Pick<ReadModelRepository, 'loadAggregationInput' | 'replaceResults'>;
}

export interface AggregationSummary {
  pass: number;
  units: number;
  groups: { code: string; ranked: number }[];
}

/** Failure type of an aggregation whose input the engine refuses; a retry cannot fix it. */
export const AGGREGATION_INPUT_INVALID = 'AggregationInputInvalid';

/**
 * Scores → index → ranking with domain/scoring, written to the results table for
 * one pass. Idempotent: a re-run of the same pass replaces that pass's rows in
 * one transaction (a published pass is never rewritten). Every amount is
 * integer hundredths straight from the engine.
 */
export function createAggregationActivities({ readModel }: AggregationActivityDeps) {
  return {
    async aggregateResults(input: { campaignId: string; pass: number }): Promise<AggregationSummary> {
      const { campaignId, pass } = input;
      return beatingWhile(async () => {
        const data = await readModel.loadAggregationInput(campaignId);
        if (data === null) {
          throw ApplicationFailure.nonRetryable(`Campaign ${campaignId} is not in the read model`, AGGREGATION_INPUT_INVALID);
        }
        // Beats around the computation too: it holds the event loop, and with it the timer's beats.
        heartbeat('loaded');
        const rows = computeResultRows(data, campaignId, pass, new Date());
        heartbeat('computed');
        if (!rows.ok) {
          throw ApplicationFailure.nonRetryable(
            `Aggregation of ${campaignId} pass ${pass} refused: ${rows.errors.length} problem(s), first: ${rows.errors[0]?.message_en ?? ''}`,
            AGGREGATION_INPUT_INVALID,
            rows.errors,
          );
        }
        // A mark changed since the load (SheetsChangedDuringPass) is a plain error: the retry scores the new sheets.
        const { replaced } = await readModel.replaceResults(campaignId, pass, rows.value);
        if (!replaced) log.warn('results of this pass are published and were left as they are', { campaignId, pass });

        const ranked = new Map<string, number>();
        for (const row of rows.value) ranked.set(row.groupCode, (ranked.get(row.groupCode) ?? 0) + 1);
        const summary: AggregationSummary = {
          pass,
          units: rows.value.length,
          groups: [...ranked.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, count]) => ({ code, ranked: count })),
        };
        log.info('results aggregated', { campaignId, ...summary });
        return summary;
      });
    },
  };
}

export type AggregationActivities = ReturnType<typeof createAggregationActivities>;

export type UnitAggregationError = UnitResultError & { unitCode: string };

/** Pure: the results rows of one pass from what the read model holds. Exported for tests. */
export function computeResultRows(
  data: AggregationInput,
  campaignId: string,
  pass: number,
  computedAt: Date,
): { ok: true; value: PassRow[] } | { ok: false; errors: UnitAggregationError[] } {
  const framework = data.definition.framework;
  // Hanoi's institute delivers points per unit (domain/scoring/survey.ts, kind 'points').
  const survey = new Map(data.surveyPoints.map((row) => [row.unitCode, row.pointsCenti]));

  const errors: UnitAggregationError[] = [];
  const byGroup = new Map<string, UnitTotals[]>();
  const scored = new Map<string, { flags: readonly string[]; sheetVersion: number }>();
  for (const unit of data.units) {
    // No sheet: the unit's group is not in the framework (unit_sheets.ts builds one for every other unit).
    if (unit.assessed === null || unit.sheetVersion === null) {
      errors.push({ ...unknownGroup(unit.groupCode), unitCode: unit.code });
      continue;
    }
    scored.set(unit.code, { flags: unit.flags, sheetVersion: unit.sheetVersion });
    const pointsCenti = survey.get(unit.code);
    const surveyResult: SurveyResult | undefined = pointsCenti === undefined ? undefined : { kind: 'points', pointsCenti };
    const computed = computeUnitTotals({
      framework,
      groupCode: unit.groupCode,
      unit: { code: unit.code, name_vi: unit.nameVi },
      assessed: unit.assessed,
      survey: surveyResult,
    });
    if (!computed.ok) {
      errors.push(...computed.error.map((error) => ({ ...error, unitCode: unit.code })));
      continue;
    }
    const group = byGroup.get(unit.groupCode);
    if (group === undefined) byGroup.set(unit.groupCode, [computed.value]);
    else group.push(computed.value);
  }
  if (errors.length > 0) return { ok: false, errors };

  const rows: PassRow[] = [];
  for (const [groupCode, groupResults] of byGroup) {
    const group = framework.groups[groupCode];
    if (group === undefined) continue; // computeUnitTotals already refused units of unknown groups
    for (const ranked of rankUnitResults(framework, group, groupResults)) {
      const { result } = ranked;
      const totals = result.totals;
      const { flags: unitFlags, sheetVersion } = scored.get(result.unit.code)!;
      const flags = [...new Set([...unitFlags, ...totals.flags, ...(ranked.indexDisplayTie ? ['index_display_tie'] : [])])] as PassRow['flags'];
      rows.push({
        campaignId,
        pass,
        unitCode: result.unit.code,
        groupCode,
        assessedCenti: totals.assessedCenti,
        surveyCenti: result.survey.held ? totals.surveyCenti : null,
        bonusCenti: totals.bonusCenti,
        penaltyCenti: totals.penaltyCenti,
        totalCenti: totals.totalCenti,
        indexCenti: totals.indexPercentCenti,
        rank: ranked.rank,
        classification: ranked.band?.code ?? null,
        flags,
        sheetVersion,
        computedAt,
      });
    }
  }
  return { ok: true, value: rows };
}
