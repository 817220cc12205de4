import { resolveScoringSettings, type Framework, type FrameworkGroup } from '../framework/schema';
import type { Centi, Parsed } from './points';
import { combineComponents, groupLimits, type CombinedTotals } from './combine';
import { rankGroup, type RankedEntry, type RankingEntry } from './ranking';
import { rollUpAssessed, type AssessedRollup, type ScoreSheetErrorCode } from './rollup';
import type { SubcriterionScore } from './score-entry';
import { computeSurveyPoints, type SurveyBreakdown, type SurveyErrorCode, type SurveyResult } from './survey';

export type UnitRef = { readonly code: string; readonly name_vi: string };

export type UnitResultInput = {
  readonly framework: Framework;
  readonly groupCode: string;
  readonly unit: UnitRef;
  readonly scores: readonly SubcriterionScore[];
  /** undefined: no survey result for this unit. */
  readonly survey?: SurveyResult;
  readonly bonusCenti?: Centi;
  readonly penaltyCenti?: Centi;
};

export type UnitResult = {
  readonly unit: UnitRef;
  readonly groupCode: string;
  readonly assessed: AssessedRollup;
  readonly survey: SurveyBreakdown;
  /** Built from the final column of the assessed roll-up. */
  readonly totals: CombinedTotals;
};

export type UnitResultErrorCode =
  | 'unknown_group'
  | 'unscored_items'
  | 'invalid_adjustment'
  | ScoreSheetErrorCode
  | SurveyErrorCode;

export type UnitResultError = {
  readonly code: UnitResultErrorCode;
  readonly subcriterionCode?: string;
  readonly questionCode?: string;
  readonly message_vi: string;
  readonly message_en: string;
};

/** Everything that makes one unit's index: roll-up, survey, bonus/penalty, total and index %. */
export function computeUnitResult(input: UnitResultInput): Parsed<UnitResult, readonly UnitResultError[]> {
  const group = input.framework.groups[input.groupCode];
  if (group === undefined) {
    return fail([
      {
        code: 'unknown_group',
        message_vi: `Nhóm đơn vị "${input.groupCode}" không có trong bộ tiêu chí`,
        message_en: `Unit group "${input.groupCode}" is not in the framework`,
      },
    ]);
  }
  const settings = resolveScoringSettings(input.framework);
  const assessed = rollUpAssessed(group, input.scores);
  const survey = computeSurveyPoints(group.survey, input.survey);
  const errors: UnitResultError[] = [
    ...(assessed.ok ? [] : assessed.error),
    ...(survey.ok ? [] : survey.error),
    ...adjustmentErrors(input),
  ];
  if (assessed.ok && assessed.value.unscored.final.length > 0 && !settings.unscored_counts_as_zero) {
    errors.push({
      code: 'unscored_items',
      message_vi: `Còn tiêu chí thành phần chưa được chấm: ${assessed.value.unscored.final.join(', ')}`,
      message_en: `Sub-criteria without any score: ${assessed.value.unscored.final.join(', ')}`,
    });
  }
  if (!assessed.ok || !survey.ok || errors.length > 0) return fail(errors);

  const combined = combineComponents(
    groupLimits(group),
    {
      assessedCenti: assessed.value.points.final,
      surveyCenti: survey.value.held ? survey.value.pointsCenti : undefined,
      bonusCenti: input.bonusCenti,
      penaltyCenti: input.penaltyCenti,
    },
    settings,
  );
  const totals: CombinedTotals =
    assessed.value.unscored.final.length > 0 ? { ...combined, flags: ['unscored_items', ...combined.flags] } : combined;
  return { ok: true, value: { unit: input.unit, groupCode: input.groupCode, assessed: assessed.value, survey: survey.value, totals } };
}

export type RankedUnitResult = RankedEntry<RankingEntry & { readonly result: UnitResult }>;

/** Ranks the results of one group with the campaign's tie rule and classification bands. */
export function rankUnitResults(framework: Framework, group: FrameworkGroup, results: readonly UnitResult[]): RankedUnitResult[] {
  const settings = resolveScoringSettings(framework);
  return rankGroup(
    results.map((result) => ({
      unitCode: result.unit.code,
      unitName: result.unit.name_vi,
      totalCenti: result.totals.totalCenti,
      assessedCenti: result.totals.assessedCenti,
      indexPercentCenti: result.totals.indexPercentCenti,
      result,
    })),
    { tieBreakByAssessed: settings.tie_break_by_assessed, classification: group.classification },
  );
}

function adjustmentErrors(input: UnitResultInput): UnitResultError[] {
  return [input.bonusCenti, input.penaltyCenti]
    .filter((value): value is number => value !== undefined && (!Number.isSafeInteger(value) || value < 0))
    .map((value) => ({
      code: 'invalid_adjustment',
      message_vi: `Điểm cộng/trừ ${value} phải là số nguyên không âm (đơn vị: phần trăm điểm)`,
      message_en: `Bonus/penalty ${value} must be a non-negative integer (hundredths of a point)`,
    }));
}

function fail(errors: readonly UnitResultError[]): Parsed<never, readonly UnitResultError[]> {
  return { ok: false, error: errors };
}
