import { z } from 'zod';
import { codeText, plainText } from '../text';

/**
 * The criteria framework (bộ tiêu chí) of one campaign, in exactly the JSON
 * shape of seed/framework-2019-sample.json (snake_case keys). Objects are
 * strict: an unknown key is a mistake to report (a misspelt "max_point" would
 * otherwise vanish silently and the import would not round-trip).
 *
 * Rule semantics (from the sample's "rule_kinds"):
 *  - boolean: input true/false; true gives max_points, false 0.
 *  - tiers:   input a percent; the points of the first tier whose min the input
 *             reaches, tiers ordered by min descending; below the last tier 0.
 *  - ratio:   input a percent 0..100; max_points × input / 100, rounded to 2 decimals.
 *  - manual:  the scorer enters points, 0..max_points in multiples of step.
 */

export const RULE_KINDS = ['boolean', 'tiers', 'ratio', 'manual'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const code = codeText();
/**
 * Survey codes become column headers of the answer file and its template
 * (formats/survey-template.ts) and values the institute types: letters,
 * digits, '.', '_' and '-', starting with a letter or digit.
 */
const SURVEY_CODE_MESSAGE = {
  message_vi: 'chỉ gồm chữ cái không dấu, chữ số, ".", "_" hoặc "-", bắt đầu bằng chữ cái hoặc chữ số, tối đa 40 ký tự',
  message_en: 'only unaccented letters, digits, ".", "_" or "-", starting with a letter or a digit, at most 40 characters',
};
const surveyCode = z.string().refine((value) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(value), { message: SURVEY_CODE_MESSAGE.message_en, params: SURVEY_CODE_MESSAGE });
const text = plainText({ min: 1, max: 5000, multiline: true });
const amount = z.number().nonnegative();

export const TierSchema = z.strictObject({ min: amount, points: amount });

export const BooleanRuleSchema = z.strictObject({ kind: z.literal('boolean') });
export const TiersRuleSchema = z.strictObject({
  kind: z.literal('tiers'),
  input: z.literal('percent').optional(),
  tiers: z.array(TierSchema).min(1),
});
export const RatioRuleSchema = z.strictObject({
  kind: z.literal('ratio'),
  input: z.literal('percent').optional(),
});
export const ManualRuleSchema = z.strictObject({ kind: z.literal('manual'), step: z.number().positive() });

export const RuleSchema = z.discriminatedUnion('kind', [
  BooleanRuleSchema,
  TiersRuleSchema,
  RatioRuleSchema,
  ManualRuleSchema,
]);

const RULE_SCHEMA_BY_KIND: Record<RuleKind, z.ZodType> = {
  boolean: BooleanRuleSchema,
  tiers: TiersRuleSchema,
  ratio: RatioRuleSchema,
  manual: ManualRuleSchema,
};

export function isRuleKind(kind: string): kind is RuleKind {
  return (RULE_KINDS as readonly string[]).includes(kind);
}

/**
 * Accepts any rule kind so that an unknown kind is reported by the semantic
 * validation next to every other mistake, instead of stopping the parse.
 * Known kinds are still checked against their own schema.
 */
const LenientRuleSchema = z.looseObject({ kind: z.string() }).superRefine((rule, ctx) => {
  if (!isRuleKind(rule.kind)) return;
  const parsed = RULE_SCHEMA_BY_KIND[rule.kind].safeParse(rule, { reportInput: true });
  if (parsed.success) return;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
});

function buildFrameworkSchema<R extends z.ZodType>(rule: R) {
  const subcriterion = z.strictObject({
    code,
    name_vi: text,
    max_points: amount,
    rule,
    owner: code,
    evidence_required: z.boolean(),
  });
  const criterion = z.strictObject({
    code,
    name_vi: text,
    max_points: amount,
    subcriteria: z.array(subcriterion),
  });
  const area = z.strictObject({
    code,
    name_vi: text,
    name_en: text.optional(),
    max_points: amount,
    criteria: z.array(criterion),
  });
  const survey = z.strictObject({
    max_points: amount,
    respondent_groups: z.array(z.strictObject({ code: surveyCode, name_vi: text })),
    // weight null: an option such as "no opinion" that is excluded from the mean.
    answer_options: z.array(z.strictObject({ code: surveyCode, label_vi: text, weight: z.number().nullable() })),
    questions: z.array(z.strictObject({ code: surveyCode, text_vi: text, max_points: amount })),
    method: text.optional(),
  });
  const group = z.strictObject({
    name_vi: text,
    max_points: z.number().positive(),
    assessed_max_points: z.number().positive(),
    areas: z.array(area),
    survey,
    bonus_penalty: z.strictObject({ bonus_max: amount, penalty_max: amount, note: text.optional() }),
    classification: z.array(z.strictObject({ code, name_vi: text, min_percent: z.number() })).optional(),
  });
  return z.strictObject({
    code,
    title_vi: text,
    note: text.optional(),
    rule_kinds: z.record(code, text).optional(),
    scoring_settings: ScoringSettingsSchema.optional(),
    groups: z.record(code, group),
  });
}

/**
 * How a campaign turns scores into an index. They live in the framework because
 * they are part of the published method of that year's index, like the points.
 *  - rescale_assessed_when_no_survey: when a unit has no survey result, its
 *    assessed points are rescaled to the group's max_points (a rule of Hanoi's
 *    district-division index). Default false: missing survey counts 0, flagged.
 *  - tie_break_by_assessed: equal totals are ordered by assessed points.
 *    Default false: equal totals share a rank (1, 2, 2, 4).
 *  - unscored_counts_as_zero: a sub-criterion with no final score counts 0 and
 *    is flagged (default true); false makes such a unit's result an error.
 */
export const ScoringSettingsSchema = z.strictObject({
  rescale_assessed_when_no_survey: z.boolean().optional(),
  tie_break_by_assessed: z.boolean().optional(),
  unscored_counts_as_zero: z.boolean().optional(),
});

export const FrameworkSchema = buildFrameworkSchema(RuleSchema);

/** Shape-only schema used by validation: like FrameworkSchema but any rule kind passes. */
export const FrameworkShapeSchema = buildFrameworkSchema(LenientRuleSchema);

export type Framework = z.infer<typeof FrameworkSchema>;
export type FrameworkShape = z.infer<typeof FrameworkShapeSchema>;
export type FrameworkGroup = Framework['groups'][string];
export type Area = FrameworkGroup['areas'][number];
export type Criterion = Area['criteria'][number];
export type Subcriterion = Criterion['subcriteria'][number];
export type Rule = z.infer<typeof RuleSchema>;
export type Tier = z.infer<typeof TierSchema>;
export type Survey = FrameworkGroup['survey'];
export type SurveyQuestion = Survey['questions'][number];
export type AnswerOption = Survey['answer_options'][number];
export type ClassificationBand = NonNullable<FrameworkGroup['classification']>[number];
export type ScoringSettings = z.infer<typeof ScoringSettingsSchema>;
export type ResolvedScoringSettings = Required<ScoringSettings>;

export function resolveScoringSettings(framework: Pick<Framework, 'scoring_settings'>): ResolvedScoringSettings {
  return {
    rescale_assessed_when_no_survey: framework.scoring_settings?.rescale_assessed_when_no_survey ?? false,
    tie_break_by_assessed: framework.scoring_settings?.tie_break_by_assessed ?? false,
    unscored_counts_as_zero: framework.scoring_settings?.unscored_counts_as_zero ?? true,
  };
}
