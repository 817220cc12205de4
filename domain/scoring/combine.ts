import type { FrameworkGroup, ResolvedScoringSettings } from '../framework/schema';
import { divideRoundHalfUp, toCenti, type Centi } from './points';

/**
 * From components to the index of one unit:
 *   total = assessed + survey + bonus − penalty, kept within 0..group max;
 *   index % = total / group max × 100, rounded half-up to two decimals.
 * Bonus and penalty are first clamped to their caps. When the unit has no
 * survey result and the campaign says so, the assessed points are rescaled to
 * the group max instead (Hanoi's district-division rule); otherwise the
 * missing survey counts 0 and is flagged.
 */

export type GroupLimits = {
  readonly maxCenti: Centi;
  readonly assessedMaxCenti: Centi;
  readonly surveyMaxCenti: Centi;
  readonly bonusMaxCenti: Centi;
  readonly penaltyMaxCenti: Centi;
};

export function groupLimits(group: FrameworkGroup): GroupLimits {
  return {
    maxCenti: toCenti(group.max_points),
    assessedMaxCenti: toCenti(group.assessed_max_points),
    surveyMaxCenti: toCenti(group.survey.max_points),
    bonusMaxCenti: toCenti(group.bonus_penalty.bonus_max),
    penaltyMaxCenti: toCenti(group.bonus_penalty.penalty_max),
  };
}

export type Components = {
  readonly assessedCenti: Centi;
  /** undefined: the unit has no survey result. */
  readonly surveyCenti: Centi | undefined;
  readonly bonusCenti?: Centi;
  readonly penaltyCenti?: Centi;
};

export type ResultFlag =
  | 'unscored_items'
  | 'survey_missing'
  | 'assessed_rescaled'
  | 'bonus_capped'
  | 'penalty_capped'
  | 'total_capped_at_max'
  | 'total_floored_at_zero';

export type CombinedTotals = {
  readonly assessedCenti: Centi;
  /** The assessed points rescaled to the group max; set only when the rescale rule applied. */
  readonly rescaledAssessedCenti: Centi | undefined;
  readonly surveyCenti: Centi;
  readonly bonusCenti: Centi;
  readonly penaltyCenti: Centi;
  readonly totalCenti: Centi;
  readonly indexPercentCenti: Centi;
  readonly flags: readonly ResultFlag[];
};

export function combineComponents(
  limits: GroupLimits,
  components: Components,
  settings: Pick<ResolvedScoringSettings, 'rescale_assessed_when_no_survey'>,
): CombinedTotals {
  const flags: ResultFlag[] = [];
  const noSurvey = components.surveyCenti === undefined || limits.surveyMaxCenti === 0;
  const rescale = noSurvey && settings.rescale_assessed_when_no_survey && limits.assessedMaxCenti > 0;
  if (components.surveyCenti === undefined && limits.surveyMaxCenti > 0) flags.push('survey_missing');

  // Rounding place 3 of points.ts.
  const rescaledAssessedCenti = rescale
    ? divideRoundHalfUp(BigInt(components.assessedCenti) * BigInt(limits.maxCenti), BigInt(limits.assessedMaxCenti))
    : undefined;
  if (rescale) flags.push('assessed_rescaled');
  const surveyCenti = rescale ? 0 : (components.surveyCenti ?? 0);

  const bonusCenti = clampToCap(components.bonusCenti ?? 0, limits.bonusMaxCenti);
  if (bonusCenti !== (components.bonusCenti ?? 0)) flags.push('bonus_capped');
  const penaltyCenti = clampToCap(components.penaltyCenti ?? 0, limits.penaltyMaxCenti);
  if (penaltyCenti !== (components.penaltyCenti ?? 0)) flags.push('penalty_capped');

  const uncapped = (rescaledAssessedCenti ?? components.assessedCenti) + surveyCenti + bonusCenti - penaltyCenti;
  let totalCenti = uncapped;
  if (uncapped > limits.maxCenti) {
    totalCenti = limits.maxCenti;
    flags.push('total_capped_at_max');
  } else if (uncapped < 0) {
    totalCenti = 0;
    flags.push('total_floored_at_zero');
  }

  return {
    assessedCenti: components.assessedCenti,
    rescaledAssessedCenti,
    surveyCenti,
    bonusCenti,
    penaltyCenti,
    totalCenti,
    indexPercentCenti: indexPercent(totalCenti, limits.maxCenti),
    flags,
  };
}

/** Rounding place 4 of points.ts: total / max × 100, half-up to two decimals. */
export function indexPercent(totalCenti: Centi, maxCenti: Centi): Centi {
  return divideRoundHalfUp(BigInt(totalCenti) * 10_000n, BigInt(maxCenti));
}

function clampToCap(value: Centi, cap: Centi): Centi {
  return Math.min(Math.max(value, 0), cap);
}
