import type { FrameworkGroup } from '../framework/schema';
import { findSubcriterion } from '../framework/tree';
import { sumCenti, toCenti, type Centi, type Parsed } from './points';
import { evaluateRule, type RuleErrorCode } from './rules';
import { finalMark, SCORE_COLUMNS, type ScoreColumn, type ScoreMark, type SubcriterionScore } from './score-entry';

/**
 * Roll-up sub-criterion → criterion → area → assessed total, for each column.
 *
 * Columns self, round1 and round2 add up what was entered in that column; an
 * empty cell counts 0 and its sub-criterion is listed as unscored for the
 * column. The final column takes, per sub-criterion, round2 ?? round1 ?? self:
 * appraisers only re-enter the items they change, so the latest entered column
 * is the one that stands. Every sum is exact (integer hundredths).
 */

export const ROLLUP_COLUMNS = [...SCORE_COLUMNS, 'final'] as const;
export type RollupColumn = (typeof ROLLUP_COLUMNS)[number];
export type ColumnPoints = Readonly<Record<RollupColumn, Centi>>;

export type SubcriterionLine = {
  readonly code: string;
  readonly name_vi: string;
  readonly maxCenti: Centi;
  readonly score: SubcriterionScore | undefined;
  /** Which column the final points come from; undefined when nothing was entered. */
  readonly finalColumn: ScoreColumn | undefined;
  readonly points: ColumnPoints;
};

export type CriterionRollup = {
  readonly code: string;
  readonly name_vi: string;
  readonly maxCenti: Centi;
  readonly points: ColumnPoints;
  readonly subcriteria: readonly SubcriterionLine[];
};

export type AreaRollup = {
  readonly code: string;
  readonly name_vi: string;
  readonly maxCenti: Centi;
  readonly points: ColumnPoints;
  readonly criteria: readonly CriterionRollup[];
};

export type AssessedRollup = {
  readonly maxCenti: Centi;
  readonly points: ColumnPoints;
  readonly areas: readonly AreaRollup[];
  /** Sub-criterion codes with no mark in each column (final: none in any column). */
  readonly unscored: Readonly<Record<RollupColumn, readonly string[]>>;
};

export type ScoreSheetErrorCode = 'unknown_subcriterion' | 'duplicate_score' | 'points_mismatch' | RuleErrorCode;

export type ScoreSheetError = {
  readonly code: ScoreSheetErrorCode;
  readonly subcriterionCode: string;
  readonly column?: ScoreColumn;
  readonly message_vi: string;
  readonly message_en: string;
};

/**
 * Checks that every score belongs to the group's framework, appears once, and
 * that each column's stored points are what the rule gives for its input
 * (a framework edited after scoring, or a tampered row, shows up here).
 */
export function checkScoreSheet(group: FrameworkGroup, scores: readonly SubcriterionScore[]): ScoreSheetError[] {
  const seen = new Set<string>();
  const errors: ScoreSheetError[] = [];
  for (const score of scores) {
    const code = score.subcriterionCode;
    const sub = findSubcriterion(group, code)?.subcriterion;
    if (sub === undefined) {
      errors.push({
        code: 'unknown_subcriterion',
        subcriterionCode: code,
        message_vi: `Tiêu chí thành phần ${code} không có trong bộ tiêu chí của nhóm`,
        message_en: `Sub-criterion ${code} is not in the group's framework`,
      });
      continue;
    }
    if (seen.has(code)) {
      errors.push({
        code: 'duplicate_score',
        subcriterionCode: code,
        message_vi: `Tiêu chí thành phần ${code} được chấm nhiều lần`,
        message_en: `Sub-criterion ${code} is scored more than once`,
      });
    }
    seen.add(code);
    for (const column of SCORE_COLUMNS) {
      const mark = score[column];
      if (mark === undefined) continue;
      const evaluated = evaluateRule(sub, mark.input);
      if (!evaluated.ok) {
        errors.push({ ...evaluated.error, column });
      } else if (evaluated.value !== mark.pointsCenti) {
        errors.push({
          code: 'points_mismatch',
          subcriterionCode: code,
          column,
          message_vi: `Tiêu chí thành phần ${code} (${column}): điểm lưu ${mark.pointsCenti / 100} khác điểm tính theo quy tắc ${evaluated.value / 100}`,
          message_en: `Sub-criterion ${code} (${column}): stored points ${mark.pointsCenti / 100} differ from the rule's ${evaluated.value / 100}`,
        });
      }
    }
  }
  return errors;
}

/** Rolls a unit's scores up the group's tree; fails with every score sheet error found. */
export function rollUpAssessed(
  group: FrameworkGroup,
  scores: readonly SubcriterionScore[],
): Parsed<AssessedRollup, readonly ScoreSheetError[]> {
  const errors = checkScoreSheet(group, scores);
  if (errors.length > 0) return { ok: false, error: errors };

  const byCode = new Map(scores.map((score) => [score.subcriterionCode, score]));
  const unscored: Record<RollupColumn, string[]> = { self: [], round1: [], round2: [], final: [] };

  const areas = group.areas.map((area): AreaRollup => {
    const criteria = area.criteria.map((criterion): CriterionRollup => {
      const subcriteria = criterion.subcriteria.map((sub): SubcriterionLine => {
        const score = byCode.get(sub.code);
        const final = finalMark(score);
        const points = {
          self: markPoints(score?.self),
          round1: markPoints(score?.round1),
          round2: markPoints(score?.round2),
          final: markPoints(final?.mark),
        };
        for (const column of SCORE_COLUMNS) if (score?.[column] === undefined) unscored[column].push(sub.code);
        if (final === undefined) unscored.final.push(sub.code);
        return { code: sub.code, name_vi: sub.name_vi, maxCenti: toCenti(sub.max_points), score, finalColumn: final?.column, points };
      });
      return { code: criterion.code, name_vi: criterion.name_vi, maxCenti: toCenti(criterion.max_points), points: sumColumns(subcriteria), subcriteria };
    });
    return { code: area.code, name_vi: area.name_vi, maxCenti: toCenti(area.max_points), points: sumColumns(criteria), criteria };
  });

  return {
    ok: true,
    value: { maxCenti: toCenti(group.assessed_max_points), points: sumColumns(areas), areas, unscored },
  };
}

function markPoints(mark: ScoreMark | undefined): Centi {
  return mark?.pointsCenti ?? 0;
}

function sumColumns(children: readonly { readonly points: ColumnPoints }[]): ColumnPoints {
  return {
    self: sumCenti(children.map((child) => child.points.self)),
    round1: sumCenti(children.map((child) => child.points.round1)),
    round2: sumCenti(children.map((child) => child.points.round2)),
    final: sumCenti(children.map((child) => child.points.final)),
  };
}
