import { z } from 'zod';
import { ScoreInputSchema } from './scoring/score-entry';
import { timelineSchema } from './campaign';
import { parseDeadline } from './deadlines';

/**
 * The payloads of the human steps of a campaign. The API validates request
 * bodies with these; workflow update validators then check what only the
 * workflow knows (stage, deadline, ownership, the framework's limits).
 */

const evidenceSchema = z.object({
  name: z.string().trim().min(1).max(300),
  /** A stored evidence file's id or an external link. */
  ref: z.string().trim().min(1).max(2000),
});
export type Evidence = z.infer<typeof evidenceSchema>;

const deadlineText = z.string().refine((text) => parseDeadline(text) !== null, {
  message: 'must be YYYY-MM-DD or an ISO timestamp with offset',
  params: {
    message_vi: 'phải có dạng YYYY-MM-DD hoặc thời điểm ISO có múi giờ',
    message_en: 'must be YYYY-MM-DD or an ISO timestamp with offset',
  },
});

export const guidanceSubmissionSchema = z.object({
  contributor: z.string().min(1),
  areas: z.array(z.string().min(1)).min(1),
  document: evidenceSchema,
  summary: z.string().trim().max(5000).default(''),
});
export type GuidanceSubmission = z.infer<typeof guidanceSubmissionSchema>;

export const guidancePublicationSchema = z.object({
  document: evidenceSchema,
  note: z.string().trim().max(5000).default(''),
});
export type GuidancePublication = z.infer<typeof guidancePublicationSchema>;

export const kickoffSchema = z.object({
  date: deadlineText,
  attachment: evidenceSchema.optional(),
  note: z.string().trim().max(5000).default(''),
});
export type Kickoff = z.infer<typeof kickoffSchema>;

export const selfScoreSchema = z.object({
  code: z.string().min(1),
  input: ScoreInputSchema,
  evidence: z.array(evidenceSchema).max(50).default([]),
  /** Required where evidence is required but missing: how the unit reached the score. */
  note: z.string().trim().max(5000).default(''),
});
export type SelfScore = z.infer<typeof selfScoreSchema>;

export const selfAssessmentSubmissionSchema = z.object({
  scores: z.array(selfScoreSchema).min(1),
  /** The head of the unit who approved the report (thủ trưởng đơn vị). */
  approvedBy: z.string().trim().min(1).max(300),
});
export type SelfAssessmentSubmission = z.infer<typeof selfAssessmentSubmissionSchema>;

/**
 * A self-assessment being written: the same rows as a submission, each input
 * optional, so a unit can save what it has (the dashboard's "Lưu nháp").
 * Checked against the framework only when it is submitted.
 */
export const selfAssessmentDraftSchema = z.object({
  scores: z.array(selfScoreSchema.extend({ input: ScoreInputSchema.optional() })).max(500),
  approvedBy: z.string().trim().max(300).default(''),
});
export type SelfAssessmentDraft = z.infer<typeof selfAssessmentDraftSchema>;

export const appraisedScoreSchema = z.object({
  code: z.string().min(1),
  input: ScoreInputSchema,
  /** Required whenever the appraised points differ from the column before. */
  reason: z.string().trim().max(5000).default(''),
});
export type AppraisedScore = z.infer<typeof appraisedScoreSchema>;

export const areaAppraisalSchema = z.object({
  round: z.union([z.literal(1), z.literal(2)]),
  areaCode: z.string().min(1),
  scores: z.array(appraisedScoreSchema).min(1),
  explanationRequests: z
    .array(z.object({ code: z.string().min(1), question: z.string().trim().min(1).max(5000) }))
    .default([]),
});
export type AreaAppraisal = z.infer<typeof areaAppraisalSchema>;

export const explanationAnswerSchema = z.object({
  requestId: z.string().min(1),
  note: z.string().trim().min(1).max(5000),
  evidence: z.array(evidenceSchema).max(50).default([]),
});
export type ExplanationAnswer = z.infer<typeof explanationAnswerSchema>;

export { UNIT_DEADLINE_KEYS, type UnitDeadlineKey } from './units';

export const deadlineChangeSchema = z.object({
  key: timelineSchema.keyof(),
  deadline: deadlineText,
  /** Only this unit (an extension); absent for every unit. */
  unitCode: z.string().optional(),
  reason: z.string().trim().min(1).max(2000),
});
export type DeadlineChange = z.infer<typeof deadlineChangeSchema>;

export const councilReturnSchema = z.object({
  unitCode: z.string().min(1),
  areas: z.array(z.string().min(1)).min(1),
  reason: z.string().trim().min(1).max(5000),
});

export const councilDecisionSchema = z.object({
  decision: z.enum(['approve', 'return']),
  membersPresent: z.number().int().positive(),
  votesFor: z.number().int().nonnegative(),
  note: z.string().trim().max(5000).default(''),
  returns: z.array(councilReturnSchema).default([]),
});
export type CouncilDecision = z.infer<typeof councilDecisionSchema>;

export const publicationSchema = z.object({
  decisionNumber: z.string().trim().min(1).max(100),
  decisionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
});
export type Publication = z.infer<typeof publicationSchema>;

export const surveyPlanSchema = z.object({ document: evidenceSchema, summary: z.string().trim().max(5000).default('') });
export type SurveyPlan = z.infer<typeof surveyPlanSchema>;

export const surveyPlanReviewSchema = z.object({ approve: z.boolean(), reason: z.string().trim().max(5000).default('') });
export type SurveyPlanReview = z.infer<typeof surveyPlanReviewSchema>;

export const surveyResultsSchema = z.object({
  points: z.array(z.object({ unitCode: z.string().min(1), pointsCenti: z.int().nonnegative() })).min(1),
  /** Where the numbers come from, e.g. an answer import's checksum. */
  source: z.string().trim().max(500).default(''),
});
export type SurveyResults = z.infer<typeof surveyResultsSchema>;
