import type { Rule, Subcriterion } from '../framework/schema';
import { divideRoundHalfUp, formatCentiVi, formatPercentVi, toCenti, type Centi, type Parsed } from './points';
import type { ScoreInput, ScoreInputKind, ScoreMark } from './score-entry';

export type RuleErrorCode = 'input_kind_mismatch' | 'percent_out_of_range' | 'points_above_max' | 'points_off_step';

/** Why an input cannot be scored; always names the sub-criterion. */
export type RuleError = {
  readonly code: RuleErrorCode;
  readonly subcriterionCode: string;
  readonly message_vi: string;
  readonly message_en: string;
};

const ONE_HUNDRED_PERCENT: Centi = 10_000;

export function expectedInputKind(rule: Rule): ScoreInputKind {
  switch (rule.kind) {
    case 'boolean':
      return 'boolean';
    case 'tiers':
    case 'ratio':
      return 'percent';
    case 'manual':
      return 'points';
  }
}

/** The points a sub-criterion's rule gives for an input, or why the input is not acceptable. */
export function evaluateRule(sub: Subcriterion, input: ScoreInput): Parsed<Centi, RuleError> {
  const max = toCenti(sub.max_points);
  const rule = sub.rule;
  const expected = expectedInputKind(rule);
  if (input.kind !== expected) {
    return fail(
      sub,
      'input_kind_mismatch',
      `Tiêu chí thành phần ${sub.code}: cần nhập ${INPUT_KIND_VI[expected]}, không phải ${INPUT_KIND_VI[input.kind]}`,
      `Sub-criterion ${sub.code}: expects ${expected} input, got ${input.kind}`,
    );
  }
  // A percent is a share of something (documents on time, procedures online): above 100% is a typing mistake, for tiers as for ratios.
  if (input.kind === 'percent' && input.percentCenti > ONE_HUNDRED_PERCENT) {
    return fail(
      sub,
      'percent_out_of_range',
      `Tiêu chí thành phần ${sub.code}: tỷ lệ ${formatPercentVi(input.percentCenti)} vượt quá 100%`,
      `Sub-criterion ${sub.code}: ratio ${input.percentCenti / 100}% is above 100%`,
    );
  }
  switch (rule.kind) {
    case 'boolean':
      return ok(input.kind === 'boolean' && input.value ? max : 0);
    case 'tiers': {
      const percent = input.kind === 'percent' ? input.percentCenti : 0;
      const reached = rule.tiers.find((tier) => percent >= toCenti(tier.min));
      return ok(reached === undefined ? 0 : toCenti(reached.points));
    }
    case 'ratio': {
      const percent = input.kind === 'percent' ? input.percentCenti : 0;
      // Rounding place 1 of points.ts: half-up to hundredths.
      return ok(divideRoundHalfUp(BigInt(max) * BigInt(percent), BigInt(ONE_HUNDRED_PERCENT)));
    }
    case 'manual': {
      const points = input.kind === 'points' ? input.pointsCenti : 0;
      const step = toCenti(rule.step);
      if (points > max) {
        return fail(
          sub,
          'points_above_max',
          `Tiêu chí thành phần ${sub.code}: ${formatCentiVi(points)} điểm vượt điểm tối đa ${formatCentiVi(max)}`,
          `Sub-criterion ${sub.code}: ${points / 100} points is above the max ${max / 100}`,
        );
      }
      if (points % step !== 0) {
        return fail(
          sub,
          'points_off_step',
          `Tiêu chí thành phần ${sub.code}: ${formatCentiVi(points)} điểm không phải bội số của bước ${formatCentiVi(step)}`,
          `Sub-criterion ${sub.code}: ${points / 100} points is not a multiple of the step ${step / 100}`,
        );
      }
      return ok(points);
    }
  }
}

/** A score column entry with its points derived from the input by the rule. */
export function createScoreMark(
  sub: Subcriterion,
  input: ScoreInput,
  meta: { readonly setBy: string; readonly setAt: string; readonly note?: string },
): Parsed<ScoreMark, RuleError> {
  const points = evaluateRule(sub, input);
  if (!points.ok) return points;
  return ok({ input, pointsCenti: points.value, ...meta });
}

/** The rule in words, as a unit reads it in an explanation. */
export function describeRuleVi(sub: Subcriterion): string {
  const max = toCenti(sub.max_points);
  const rule = sub.rule;
  switch (rule.kind) {
    case 'boolean':
      return `Có: ${formatCentiVi(max)} điểm; Không: 0 điểm`;
    case 'tiers': {
      const tiers = rule.tiers.map((tier) => `từ ${formatPercentVi(toCenti(tier.min))}: ${formatCentiVi(toCenti(tier.points))} điểm`);
      const lowest = rule.tiers[rule.tiers.length - 1];
      const below = lowest === undefined ? '' : `; dưới ${formatPercentVi(toCenti(lowest.min))}: 0 điểm`;
      return `${tiers.join('; ')}${below}`;
    }
    case 'ratio':
      return `Điểm = ${formatCentiVi(max)} × tỷ lệ % / 100, làm tròn đến 2 chữ số thập phân`;
    case 'manual':
      return `Chấm trực tiếp từ 0 đến ${formatCentiVi(max)} điểm, theo bước ${formatCentiVi(toCenti(rule.step))} điểm`;
  }
}

export function describeInputVi(input: ScoreInput): string {
  switch (input.kind) {
    case 'boolean':
      return input.value ? 'Có' : 'Không';
    case 'percent':
      return formatPercentVi(input.percentCenti);
    case 'points':
      return `${formatCentiVi(input.pointsCenti)} điểm`;
  }
}

const INPUT_KIND_VI: Record<ScoreInputKind, string> = {
  boolean: 'có/không',
  percent: 'tỷ lệ %',
  points: 'số điểm',
};

function ok<T>(value: T): Parsed<T, never> {
  return { ok: true, value };
}

function fail(sub: Subcriterion, code: RuleErrorCode, message_vi: string, message_en: string): Parsed<never, RuleError> {
  return { ok: false, error: { code, subcriterionCode: sub.code, message_vi, message_en } };
}
