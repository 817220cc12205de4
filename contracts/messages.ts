import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../domain/actors';
import type { Timeline } from '../domain/campaign';
import type { ReturnedChange } from '../domain/returned-marks';
import type { CampaignStage } from '../domain/stages';
import type {
  AreaAppraisal,
  CouncilDecision,
  DeadlineChange,
  Evidence,
  ExplanationAnswer,
  GuidancePublication,
  GuidanceSubmission,
  Kickoff,
  Publication,
  SelfAssessmentSubmission,
  SurveyPlan,
  SurveyPlanReview,
  SurveyResults,
} from '../domain/steps';
import type { SurveyStatus } from '../domain/survey-status';
import type { UnitFlag, UnitStage, UnitStatus } from '../domain/units';

/**
 * Every message of the campaign, unit and survey workflows, defined once and
 * imported by both the workflows and the API so names and payloads cannot drift.
 * Human steps are updates: the caller gets an accept or a reason at once.
 */

/** Every human step carries who takes it; the API fills it from the caller's credentials. */
export type Step<T> = T & { actor: Actor };

/**
 * A step's answer when its caller projects the step: the answer, and the
 * read-model changes the step made, in order, without the step's own marks
 * (domain/returned-marks.ts: the caller has them).
 */
export interface Returned<T> {
  answer: T;
  changes: ReturnedChange[];
}

// ---------------------------------------------------------------- campaign

export interface GuidanceState {
  contributions: { contributor: string; areas: string[]; document: Evidence; submittedAt: string }[];
  /** Contributors that had not sent guidance when it was published. */
  missingAtPublication: string[] | null;
  publishedAt: string | null;
  publishedDocument: Evidence | null;
  kickoff: (Kickoff & { recordedAt: string }) | null;
}

export interface CouncilRound {
  round: number;
  decision: 'approve' | 'return';
  decidedAt: string;
  returns: { unitCode: string; areas: string[]; reason: string }[];
}

export interface CampaignProgress {
  campaignId: string;
  year: number;
  stage: CampaignStage;
  stageLabelVi: string;
  unitCount: number;
  /** True once the read model holds the campaign (the first activity finished). */
  recorded: boolean;
  timeline: Timeline;
  guidance: GuidanceState;
  unitsStarted: number;
  unitsAppraised: number;
  surveyAccepted: boolean;
  aggregationPass: number;
  council: CouncilRound[];
  publication: (Publication & { publishedAt: string }) | null;
}

export const progressQuery = defineQuery<CampaignProgress>('progress');

/** Resolves once the campaign is in the read model; lets POST /campaigns answer with data a GET will find. */
export const awaitRecordedUpdate = defineUpdate<CampaignProgress>('awaitRecorded');

export const submitGuidanceUpdate = defineUpdate<CampaignProgress, [Step<GuidanceSubmission>]>('submitGuidance');
export const publishGuidanceUpdate = defineUpdate<CampaignProgress, [Step<GuidancePublication>]>('publishGuidance');
export const recordKickoffUpdate = defineUpdate<CampaignProgress, [Step<Kickoff>]>('recordKickoff');
/** Moves a campaign-wide deadline; a unitCode makes it an extension for that unit only. */
export const moveDeadlineUpdate = defineUpdate<CampaignProgress, [Step<DeadlineChange>]>('moveDeadline');
export const councilDecisionUpdate = defineUpdate<CampaignProgress, [Step<CouncilDecision>]>('councilDecision');
export const publishResultsUpdate = defineUpdate<CampaignProgress, [Step<Publication>]>('publishResults');

/** A unit workflow tells its campaign that its appraisal (for this pass) is final. */
export const unitAppraisedSignal = defineSignal<[{ unitCode: string; pass: number }]>('unitAppraised');

/** The survey track tells its campaign that the survey results were accepted. */
export const surveyAcceptedSignal = defineSignal<[{ unitsCovered: number }]>('surveyAccepted');

// ---------------------------------------------------------------- unit

export interface ExplanationRequestState {
  id: string;
  code: string;
  areaCode: string;
  question: string;
  requestedBy: string;
  answer: { note: string; evidence: Evidence[]; answeredAt: string } | null;
}

export interface UnitProgress {
  campaignId: string;
  unitCode: string;
  groupCode: string;
  stage: UnitStage;
  status: UnitStatus;
  flags: UnitFlag[];
  selfAssessmentDue: string;
  explanationsDue: string;
  submittedAt: string | null;
  /** Areas appraised in the current round (1 or 2). */
  appraisedAreas: { round1: string[]; round2: string[] };
  /** Areas the current round-2 pass must appraise (those with explanation requests, or returned by the council). */
  round2Areas: string[];
  explanationRequests: ExplanationRequestState[];
  /** Aggregation passes: 1 at first, +1 for each council return that reopened this unit. */
  pass: number;
}

export const unitProgressQuery = defineQuery<UnitProgress>('unitProgress');
export const submitSelfAssessmentUpdate = defineUpdate<UnitProgress, [Step<SelfAssessmentSubmission>]>('submitSelfAssessment');
/**
 * The self-assessment as the API takes it: the same validator and the same
 * step, but the workflow answers as soon as the step is recorded in its
 * history, with the read-model changes it stamped (its own `workflowId#seq`
 * keys, in order), and the API projects them (application/services/returned-projection.ts).
 * A message of its own rather than a patch of submitSelfAssessment: no
 * recorded history can hold it, so the histories of running units replay
 * unchanged and a new run writes no patch marker per submission.
 */
export const submitSelfAssessmentReturningUpdate = defineUpdate<Returned<UnitProgress>, [Step<SelfAssessmentSubmission>]>('submitSelfAssessmentReturning');
export const appraiseAreaUpdate = defineUpdate<UnitProgress, [Step<AreaAppraisal>]>('appraiseArea');
export const answerExplanationUpdate = defineUpdate<UnitProgress, [Step<ExplanationAnswer>]>('answerExplanation');
/** The deadlines a unit workflow keeps its own timers for. */
export const UNIT_TIMER_KEYS = ['self_assessment_due', 'appraisal_round_1_due', 'explanations_due', 'appraisal_round_2_due'] as const;
export type UnitTimerKey = (typeof UNIT_TIMER_KEYS)[number];

/**
 * From the campaign: a deadline moved for every unit (scope campaign) or was
 * extended for this unit only (scope unit). changeId makes a re-delivered
 * signal (a retried fan-out) change nothing.
 */
export interface UnitDeadlineChange {
  changeId: string;
  scope: 'campaign' | 'unit';
  key: UnitTimerKey;
  deadline: string;
  actor: string;
  reason: string;
}
export const unitDeadlinesSignal = defineSignal<[UnitDeadlineChange]>('unitDeadlines');
/** From the campaign: the council returned these areas of this unit; appraisal reopens for exactly them. */
export const reopenAppraisalSignal = defineSignal<[{ pass: number; areas: string[]; reason: string }]>('reopenAppraisal');
/** From the campaign: results are published; the unit workflow closes. */
export const unitPublishedSignal = defineSignal<[{ decisionNumber: string }]>('unitPublished');

// ---------------------------------------------------------------- survey

export type { SurveyStatus };

export interface SurveyProgress {
  campaignId: string;
  status: SurveyStatus;
  plan: (SurveyPlan & { submittedAt: string }) | null;
  planReviews: (SurveyPlanReview & { reviewedAt: string })[];
  fieldworkOpenedAt: string | null;
  fieldworkClosedAt: string | null;
  acceptedAt: string | null;
  unitsCovered: number;
}

export const surveyProgressQuery = defineQuery<SurveyProgress>('surveyProgress');
export const submitSurveyPlanUpdate = defineUpdate<SurveyProgress, [Step<SurveyPlan>]>('submitSurveyPlan');
export const reviewSurveyPlanUpdate = defineUpdate<SurveyProgress, [Step<SurveyPlanReview>]>('reviewSurveyPlan');
export const openFieldworkUpdate = defineUpdate<SurveyProgress, [Step<object>]>('openFieldwork');
export const closeFieldworkUpdate = defineUpdate<SurveyProgress, [Step<object>]>('closeFieldwork');
export const submitSurveyResultsUpdate = defineUpdate<SurveyProgress, [Step<SurveyResults>]>('submitSurveyResults');
