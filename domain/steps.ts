import { z } from 'zod';
import { ScoreInputSchema } from './scoring/score-entry';
import { timelineSchema } from './campaign';
import { parseDeadline } from './deadlines';
import { codeText, nameText, noteText, plainText, unitCodeText } from './text';

/**
 * The payloads of the human steps of a campaign. The API validates request
 * bodies with these; workflow update validators then check what only the
 * workflow knows (stage, deadline, ownership, the framework's limits).
 */

const evidenceSchema = z.object({
  name: nameText(),
  /** A stored evidence file's id or an external link. */
  ref: plainText({ min: 1, max: 2000 }),
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
  contributor: unitCodeText(),
  areas: z.array(codeText()).min(1).max(100),
  document: evidenceSchema,
  summary: noteText().default(''),
});
export type GuidanceSubmission = z.infer<typeof guidanceSubmissionSchema>;

export const guidancePublicationSchema = z.object({
  document: evidenceSchema,
  note: noteText().default(''),
});
export type GuidancePublication = z.infer<typeof guidancePublicationSchema>;

export const kickoffSchema = z.object({
  date: deadlineText,
  attachment: evidenceSchema.optional(),
  note: noteText().default(''),
});
export type Kickoff = z.infer<typeof kickoffSchema>;

export const selfScoreSchema = z.object({
  code: codeText(),
  input: ScoreInputSchema,
  evidence: z.array(evidenceSchema).max(50).default([]),
  /** Required where evidence is required but missing: how the unit reached the score. */
  note: noteText().default(''),
});
export type SelfScore = z.infer<typeof selfScoreSchema>;

export const selfAssessmentSubmissionSchema = z.object({
  scores: z.array(selfScoreSchema).min(1).max(2000),
  /** The head of the unit who approved the report (thủ trưởng đơn vị). */
  approvedBy: nameText(),
});
export type SelfAssessmentSubmission = z.infer<typeof selfAssessmentSubmissionSchema>;

/**
 * A self-assessment being written: the same rows as a submission, each input
 * optional, so a unit can save what it has (the dashboard's "Lưu nháp").
 * Checked against the framework only when it is submitted.
 */
export const selfAssessmentDraftSchema = z.object({
  scores: z.array(selfScoreSchema.extend({ input: ScoreInputSchema.optional() })).max(500),
  approvedBy: nameText({ min: 0 }).default(''),
});
export type SelfAssessmentDraft = z.infer<typeof selfAssessmentDraftSchema>;

export const appraisedScoreSchema = z.object({
  code: codeText(),
  input: ScoreInputSchema,
  /** Required whenever the appraised points differ from the column before. */
  reason: noteText().default(''),
});
export type AppraisedScore = z.infer<typeof appraisedScoreSchema>;

export const areaAppraisalSchema = z.object({
  round: z.union([z.literal(1), z.literal(2)]),
  areaCode: codeText(),
  scores: z.array(appraisedScoreSchema).min(1).max(2000),
  explanationRequests: z
    .array(z.object({ code: codeText(), question: noteText({ min: 1 }) }))
    .max(2000)
    .default([]),
});
export type AreaAppraisal = z.infer<typeof areaAppraisalSchema>;

/** An explanation request's id as the unit workflow names it (e.g. r1-3-12-0); older runs prefixed their workflow ID. */
export const explanationRequestIdText = () => codeText(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/, 'r1-3-12-0');

export const explanationAnswerSchema = z.object({
  requestId: explanationRequestIdText(),
  note: noteText({ min: 1 }),
  evidence: z.array(evidenceSchema).max(50).default([]),
});
export type ExplanationAnswer = z.infer<typeof explanationAnswerSchema>;

export { UNIT_DEADLINE_KEYS, type UnitDeadlineKey } from './units';

export const deadlineChangeSchema = z.object({
  key: timelineSchema.keyof(),
  deadline: deadlineText,
  /** Only this unit (an extension); absent for every unit. */
  unitCode: unitCodeText().optional(),
  reason: noteText({ min: 1, max: 2000 }),
});
export type DeadlineChange = z.infer<typeof deadlineChangeSchema>;

export const councilReturnSchema = z.object({
  unitCode: unitCodeText(),
  areas: z.array(codeText()).min(1).max(100),
  reason: noteText({ min: 1 }),
});

export const councilDecisionSchema = z.object({
  decision: z.enum(['approve', 'return']),
  membersPresent: z.number().int().positive().max(1000),
  votesFor: z.number().int().nonnegative().max(1000),
  note: noteText().default(''),
  returns: z.array(councilReturnSchema).max(20_000).default([]),
});
export type CouncilDecision = z.infer<typeof councilDecisionSchema>;

export const publicationSchema = z.object({
  decisionNumber: plainText({ min: 1, max: 100 }),
  decisionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
});
export type Publication = z.infer<typeof publicationSchema>;

export const surveyPlanSchema = z.object({ document: evidenceSchema, summary: noteText().default('') });
export type SurveyPlan = z.infer<typeof surveyPlanSchema>;

export const surveyPlanReviewSchema = z.object({ approve: z.boolean(), reason: noteText().default('') });
export type SurveyPlanReview = z.infer<typeof surveyPlanReviewSchema>;

export const surveyResultsSchema = z.object({
  points: z.array(z.object({ unitCode: unitCodeText(), pointsCenti: z.int().nonnegative().max(1_000_000) })).min(1).max(20_000),
  /** Where the numbers come from, e.g. an answer import's checksum. */
  source: plainText({ max: 500 }).default(''),
});
export type SurveyResults = z.infer<typeof surveyResultsSchema>;
