import { z } from 'zod';
import type { ScoreInput } from '../../domain/scoring/score-entry';
import {
  appraisedScoreSchema,
  areaAppraisalSchema,
  selfAssessmentDraftSchema,
  selfAssessmentSubmissionSchema,
  selfScoreSchema,
  type AreaAppraisal,
  type SelfAssessmentDraft,
  type SelfAssessmentSubmission,
} from '../../domain/steps';
import { UNIT_FLAGS, UNIT_STAGES, UNIT_STATUSES } from '../../domain/units';
import type { UnitProgress } from '../../contracts/messages';
import { evidenceWire } from './campaign';
import type { Same, SnakeKeys } from '../../application/wire-keys';

/**
 * A unit workflow's steps and progress on the wire (application/wire-keys.ts): the
 * self-assessment (submitted, or saved as a draft), an area's appraisal, and
 * the progress each step and GET …/units/:unitCode/progress answer. The bodies
 * refuse a key they do not know (an appraisal's `explanationRequests` would
 * otherwise be dropped without a word).
 */

const centi = z.int().nonnegative();

/** What the scorer enters: yes/no for boolean rules, a percent for tiers and ratio rules, points for manual rules. */
export const scoreInputWire = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('boolean'), value: z.boolean() }),
  z.strictObject({ kind: z.literal('percent'), percent_centi: centi.meta({ description: 'phần trăm × 100 / percent in hundredths' }) }),
  z.strictObject({ kind: z.literal('points'), points_centi: centi.meta({ description: 'điểm × 100 / points in hundredths' }) }),
]);
type ScoreInputWire = z.output<typeof scoreInputWire>;

export function scoreInputFromWire(input: ScoreInputWire): ScoreInput {
  switch (input.kind) {
    case 'boolean':
      return input;
    case 'percent':
      return { kind: 'percent', percentCenti: input.percent_centi };
    case 'points':
      return { kind: 'points', pointsCenti: input.points_centi };
  }
}

export function scoreInputToWire(input: ScoreInput): ScoreInputWire {
  switch (input.kind) {
    case 'boolean':
      return input;
    case 'percent':
      return { kind: 'percent', percent_centi: input.percentCenti };
    case 'points':
      return { kind: 'points', points_centi: input.pointsCenti };
  }
}

const selfScore = selfScoreSchema.shape;
const selfScoreWire = z.object({ code: selfScore.code, input: scoreInputWire, evidence: selfScore.evidence, note: selfScore.note });

export const selfAssessmentWire = z.strictObject({
  scores: z.array(selfScoreWire).min(1).max(2000),
  approved_by: selfAssessmentSubmissionSchema.shape.approvedBy.meta({ description: 'Thủ trưởng đơn vị phê duyệt báo cáo / the head of the unit who approved the report' }),
});

export function selfAssessmentFromWire(body: z.output<typeof selfAssessmentWire>): SelfAssessmentSubmission {
  return { scores: body.scores.map((score) => ({ ...score, input: scoreInputFromWire(score.input) })), approvedBy: body.approved_by };
}

/** A draft: the rows of a submission, each input optional (checked against the framework only when submitted). */
export const selfAssessmentDraftWire = z.strictObject({
  scores: z.array(selfScoreWire.extend({ input: scoreInputWire.optional() })).max(500),
  approved_by: selfAssessmentDraftSchema.shape.approvedBy,
});
type DraftWire = z.output<typeof selfAssessmentDraftWire>;

export function draftFromWire(body: DraftWire): SelfAssessmentDraft {
  return {
    scores: body.scores.map(({ input, ...score }) => ({ ...score, ...(input ? { input: scoreInputFromWire(input) } : {}) })),
    approvedBy: body.approved_by,
  };
}

export function draftToWire(draft: SelfAssessmentDraft): DraftWire {
  return {
    scores: draft.scores.map(({ input, ...score }) => ({ ...score, ...(input ? { input: scoreInputToWire(input) } : {}) })),
    approved_by: draft.approvedBy,
  };
}

const appraisal = areaAppraisalSchema.shape;
const appraisedScore = appraisedScoreSchema.shape;
export const areaAppraisalWire = z.strictObject({
  round: appraisal.round,
  area_code: appraisal.areaCode,
  scores: z.array(z.object({ code: appraisedScore.code, input: scoreInputWire, reason: appraisedScore.reason })).min(1).max(2000),
  explanation_requests: appraisal.explanationRequests,
});

export function areaAppraisalFromWire(body: z.output<typeof areaAppraisalWire>): AreaAppraisal {
  return {
    round: body.round,
    areaCode: body.area_code,
    scores: body.scores.map((score) => ({ ...score, input: scoreInputFromWire(score.input) })),
    explanationRequests: body.explanation_requests,
  };
}

export const unitProgressWire = z.object({
  campaign_id: z.string(),
  unit_code: z.string(),
  group_code: z.string(),
  stage: z.enum(UNIT_STAGES),
  status: z.enum(UNIT_STATUSES),
  flags: z.array(z.enum(UNIT_FLAGS)),
  self_assessment_due: z.string(),
  explanations_due: z.string(),
  submitted_at: z.string().nullable(),
  appraised_areas: z.object({ round1: z.array(z.string()), round2: z.array(z.string()) }),
  round2_areas: z.array(z.string()),
  explanation_requests: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      area_code: z.string(),
      question: z.string(),
      requested_by: z.string(),
      answer: z.object({ note: z.string(), evidence: z.array(evidenceWire), answered_at: z.string() }).nullable(),
    }),
  ),
  pass: z.number(),
});

export type UnitProgressWire = z.input<typeof unitProgressWire>;

export function unitProgressToWire(progress: UnitProgress): UnitProgressWire {
  return {
    campaign_id: progress.campaignId,
    unit_code: progress.unitCode,
    group_code: progress.groupCode,
    stage: progress.stage,
    status: progress.status,
    flags: progress.flags,
    self_assessment_due: progress.selfAssessmentDue,
    explanations_due: progress.explanationsDue,
    submitted_at: progress.submittedAt,
    appraised_areas: { round1: progress.appraisedAreas.round1, round2: progress.appraisedAreas.round2 },
    round2_areas: progress.round2Areas,
    explanation_requests: progress.explanationRequests.map((request) => ({
      id: request.id,
      code: request.code,
      area_code: request.areaCode,
      question: request.question,
      requested_by: request.requestedBy,
      answer: request.answer && { note: request.answer.note, evidence: request.answer.evidence, answered_at: request.answer.answeredAt },
    })),
    pass: progress.pass,
  };
}

// Drift checks: each wire shape is its domain or workflow type respelt, field for field.
type Assert<T extends true> = T;
export type UnitWireMatchesDomain = [
  Assert<Same<z.output<typeof unitProgressWire>, SnakeKeys<UnitProgress>>>,
  Assert<Same<ScoreInputWire, SnakeKeys<ScoreInput>>>,
  Assert<Same<z.output<typeof selfAssessmentWire>, SnakeKeys<SelfAssessmentSubmission>>>,
  Assert<Same<DraftWire, SnakeKeys<SelfAssessmentDraft>>>,
  Assert<Same<z.output<typeof areaAppraisalWire>, SnakeKeys<AreaAppraisal>>>,
];

/**
 * Score rows of the domain's spelling (seed/scores.ts makes them) in the wire's,
 * for the project's own API clients: the demo, the production twin, the
 * benchmarks and the tests.
 */
export function scoresToWire<Row extends { input: ScoreInput }>(rows: readonly Row[]): (Omit<Row, 'input'> & { input: ScoreInputWire })[] {
  return rows.map((row) => ({ ...row, input: scoreInputToWire(row.input) }));
}
