import { resolveScoringSettings, type Framework, type FrameworkGroup } from '../framework/schema';
import type { Centi, Parsed } from './points';
import { combineComponents, groupLimits, type CombinedTotals } from './combine';
import { rankGroup, type RankedEntry, type RankingEntry } from './ranking';
import { rollUpAssessed, type AssessedRollup, type ScoreSheetError, type ScoreSheetErrorCode } from './rollup';
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

/**
 * What a unit's marks come to before the survey and the adjustments: the final
 * column's points and the sub-criteria nothing scored. The read model keeps it
 * per unit as the marks change (unit_sheets), so an aggregation pass does not
 * score every mark again (BENCHMARKS.md, P5).
 */
export type AssessedSummary = { readonly finalCenti: Centi; readonly unscoredFinal: readonly string[] };

export function summariseAssessed(rollup: AssessedRollup): AssessedSummary {
  return { finalCenti: rollup.points.final, unscoredFinal: rollup.unscored.final };
}

export type UnitTotalsInput = Omit<UnitResultInput, 'scores'> & {
  /** The unit's marks summed up, or what was wrong with them (rollUpAssessed). */
  readonly assessed: Parsed<AssessedSummary, readonly ScoreSheetError[]>;
};

/** A unit's index without the roll-up tree: what ranking and the results table need. */
export type UnitTotals = Omit<UnitResult, 'assessed'>;

/** Everything that makes one unit's index: roll-up, survey, bonus/penalty, total and index %. */
export function computeUnitResult(input: UnitResultInput): Parsed<UnitResult, readonly UnitResultError[]> {
  const group = input.framework.groups[input.groupCode];
  if (group === undefined) return fail([unknownGroup(input.groupCode)]);
  const assessed = rollUpAssessed(group, input.scores);
  const totals = computeUnitTotals({ ...input, assessed: assessed.ok ? { ok: true, value: summariseAssessed(assessed.value) } : assessed });
  if (!totals.ok) return totals;
  if (!assessed.ok) return fail(assessed.error); // for the type: computeUnitTotals already refuses a failed roll-up
  return { ok: true, value: { ...totals.value, assessed: assessed.value } };
}

/** computeUnitResult from a unit's summed-up marks instead of the marks themselves. */
export function computeUnitTotals(input: UnitTotalsInput): Parsed<UnitTotals, readonly UnitResultError[]> {
  const group = input.framework.groups[input.groupCode];
  if (group === undefined) return fail([unknownGroup(input.groupCode)]);
  const settings = resolveScoringSettings(input.framework);
  const { assessed } = input;
  const survey = computeSurveyPoints(group.survey, input.survey);
  const errors: UnitResultError[] = [
    ...(assessed.ok ? [] : assessed.error),
    ...(survey.ok ? [] : survey.error),
    ...adjustmentErrors(input),
  ];
  if (assessed.ok && assessed.value.unscoredFinal.length > 0 && !settings.unscored_counts_as_zero) {
    errors.push({
      code: 'unscored_items',
      message_vi: `Còn tiêu chí thành phần chưa được chấm: ${assessed.value.unscoredFinal.join(', ')}`,
      message_en: `Sub-criteria without any score: ${assessed.value.unscoredFinal.join(', ')}`,
    });
  }
  if (!assessed.ok || !survey.ok || errors.length > 0) return fail(errors);

  const combined = combineComponents(
    groupLimits(group),
    {
      assessedCenti: assessed.value.finalCenti,
      surveyCenti: survey.value.held ? survey.value.pointsCenti : undefined,
      bonusCenti: input.bonusCenti,
      penaltyCenti: input.penaltyCenti,
    },
    settings,
  );
  const totals: CombinedTotals =
    assessed.value.unscoredFinal.length > 0 ? { ...combined, flags: ['unscored_items', ...combined.flags] } : combined;
  return { ok: true, value: { unit: input.unit, groupCode: input.groupCode, survey: survey.value, totals } };
}

export type RankedUnitResult<R extends UnitTotals = UnitResult> = RankedEntry<RankingEntry & { readonly result: R }>;

/** Ranks the results of one group with the campaign's tie rule and classification bands. */
export function rankUnitResults<R extends UnitTotals>(framework: Framework, group: FrameworkGroup, results: readonly R[]): RankedUnitResult<R>[] {
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

/** The error of a unit whose group the campaign's framework lacks. */
export function unknownGroup(groupCode: string): UnitResultError {
  return {
    code: 'unknown_group',
    message_vi: `Nhóm đơn vị "${groupCode}" không có trong bộ tiêu chí`,
    message_en: `Unit group "${groupCode}" is not in the framework`,
  };
}

function adjustmentErrors(input: Pick<UnitResultInput, 'bonusCenti' | 'penaltyCenti'>): UnitResultError[] {
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
