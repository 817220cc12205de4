import { z } from 'zod';

/**
 * The contract of a score for one unit and one sub-criterion. Real appraisal
 * keeps three columns side by side: the unit's self-assessment, appraisal
 * round 1 and appraisal round 2 (final). Each column holds what the scorer
 * entered (the input), the points the rule derived from it, who set it, when,
 * and their note or reason.
 *
 * Numbers are integer hundredths (see points.ts), so the contract is exact on
 * the wire and in storage. Times are ISO strings passed in by the caller: the
 * domain never reads a clock.
 */

export const SCORE_COLUMNS = ['self', 'round1', 'round2'] as const;
export type ScoreColumn = (typeof SCORE_COLUMNS)[number];

export const SCORE_COLUMN_LABEL_VI: Record<ScoreColumn | 'final', string> = {
  self: 'Tự đánh giá',
  round1: 'Thẩm định vòng 1',
  round2: 'Thẩm định vòng 2',
  final: 'Điểm cuối cùng',
};

const centi = z.int().nonnegative();

/** What the scorer enters: yes/no for boolean rules, a percent for tiers and ratio rules, points for manual rules. */
export const ScoreInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('boolean'), value: z.boolean() }),
  z.strictObject({ kind: z.literal('percent'), percentCenti: centi }),
  z.strictObject({ kind: z.literal('points'), pointsCenti: centi }),
]);
export type ScoreInput = z.infer<typeof ScoreInputSchema>;
export type ScoreInputKind = ScoreInput['kind'];

export const ScoreMarkSchema = z.strictObject({
  input: ScoreInputSchema,
  /** Derived by the sub-criterion's rule from the input (see rules.ts); stored for the audit trail. */
  pointsCenti: centi,
  setBy: z.string().min(1),
  setAt: z.iso.datetime({ offset: true }),
  note: z.string().optional(),
});
export type ScoreMark = z.infer<typeof ScoreMarkSchema>;

export const SubcriterionScoreSchema = z.strictObject({
  subcriterionCode: z.string().min(1),
  self: ScoreMarkSchema.optional(),
  round1: ScoreMarkSchema.optional(),
  round2: ScoreMarkSchema.optional(),
});
export type SubcriterionScore = z.infer<typeof SubcriterionScoreSchema>;

export const UnitScoreSheetSchema = z.strictObject({
  unitCode: z.string().min(1),
  groupCode: z.string().min(1),
  scores: z.array(SubcriterionScoreSchema),
});
export type UnitScoreSheet = z.infer<typeof UnitScoreSheetSchema>;

/** The column whose mark counts: round 2, else round 1, else the self-assessment. */
export function finalMark(score: SubcriterionScore | undefined): { column: ScoreColumn; mark: ScoreMark } | undefined {
  if (score?.round2) return { column: 'round2', mark: score.round2 };
  if (score?.round1) return { column: 'round1', mark: score.round1 };
  if (score?.self) return { column: 'self', mark: score.self };
  return undefined;
}
