import { z } from 'zod';
import type { Permission } from '../../domain/permissions';
import { refsAt } from '../../domain/evidence-refs';
import {
  explanationAnswerSchema,
  explanationRequestIdText,
  guidancePublicationSchema,
  guidanceSubmissionSchema,
  kickoffSchema,
  surveyPlanReviewSchema,
  surveyPlanSchema,
} from '../../domain/steps';
import {
  answerExplanationUpdate,
  appraiseAreaUpdate,
  closeFieldworkUpdate,
  councilDecisionUpdate,
  moveDeadlineUpdate,
  openFieldworkUpdate,
  publishGuidanceUpdate,
  publishResultsUpdate,
  recordKickoffUpdate,
  reviewSurveyPlanUpdate,
  submitGuidanceUpdate,
  submitSelfAssessmentReturningUpdate,
  submitSelfAssessmentUpdate,
  submitSurveyPlanUpdate,
  submitSurveyResultsUpdate,
  type CampaignProgress,
  type SurveyProgress,
  type UnitProgress,
} from '../../contracts/messages';
import { campaignIdSchema, unitCodeSchema } from '../schemas';
import type { CampaignAt, StepCall, StepContext, UnitAt } from '../../application/services/steps';
import { councilDecisionFromWire, councilDecisionWire, deadlineChangeFromWire, deadlineChangeWire, publicationFromWire, publicationWire } from '../wire/campaign';
import { surveyResultsFromWire, surveyResultsWire } from '../wire/survey';
import { areaAppraisalFromWire, areaAppraisalWire, selfAssessmentFromWire, selfAssessmentWire } from '../wire/unit';

/**
 * Every human step of a campaign, declared once: its method and path, who may
 * take it (the route's `config.access`, which the auth hook, the authorization
 * test and the step service all read), the body it takes (api/wire/, or
 * domain/steps.ts where the domain's fields are already snake_case), its
 * OpenAPI summary, and the call: which workflow update, with which translation
 * of the wire body into the workflow's step, after which checks of the
 * caller's scope. The route files register these; the step service runs them.
 */

/** One step's declaration, its types checked entry by entry. */
interface StepDeclaration<At extends CampaignAt, Params extends At, Wire, Body extends object, Ret> extends StepCall<At, Body, Ret> {
  method: 'POST';
  path: string;
  tags: string[];
  summary: string;
  description?: string;
  /** The path parameters, when the step has more than its workflow's. */
  params?: z.ZodType<Params>;
  body: z.ZodType<Wire>;
  /** The validated body (and path) as the workflow's step. */
  toStep(body: Wire, params: Params): NoInfer<Body>;
}

/** How a route runs a step: the step service's `take` for the step's workflow. */
export type TakeStep<At extends CampaignAt> = <Body extends object, Ret>(call: StepCall<At, Body, Ret>, at: At, body: Body, ctx: StepContext) => Promise<Ret>;

/** A declared step as a route registers it (the types of its body are checked where it is declared). */
export interface StepRoute<At extends CampaignAt, Ret> {
  method: 'POST';
  path: string;
  access: Permission;
  tags: string[];
  summary: string;
  description?: string;
  params: z.ZodType<At>;
  body: z.ZodType;
  run(take: TakeStep<At>, params: At, body: unknown, ctx: StepContext): Promise<Ret>;
}

function stepsOf<At extends CampaignAt, Ret>(params: z.ZodType<At>) {
  return <Wire, Body extends object, Params extends At = At>(step: StepDeclaration<At, Params, Wire, Body, Ret>): StepRoute<At, Ret> => ({
    method: step.method,
    path: step.path,
    access: step.access,
    tags: step.tags,
    summary: step.summary,
    ...(step.description === undefined ? {} : { description: step.description }),
    params: step.params ?? params,
    body: step.body,
    // The route's schemas validated the body and the path against this declaration's.
    run: (take, at, body, ctx) => take(step, at, step.toStep(body as Wire, at as Params), ctx),
  });
}

/** A body that the workflow takes as it is. */
const asIs = <T>(body: T): T => body;

export const campaignParams = z.object({ campaignId: campaignIdSchema });
export const unitParams = z.object({ campaignId: campaignIdSchema, unitCode: unitCodeSchema });
/** Opening and closing fieldwork carry nothing but the caller; an empty object or no body at all (Fastify then passes null). */
const emptyBody = z.strictObject({}).nullish();

const campaignStep = stepsOf<CampaignAt, CampaignProgress>(campaignParams);
const unitStep = stepsOf<UnitAt, UnitProgress>(unitParams);
const surveyStep = stepsOf<CampaignAt, SurveyProgress>(campaignParams);

/** The steps of the campaign workflow (ID = campaignId). */
export const CAMPAIGN_STEPS = [
  campaignStep({
    method: 'POST',
    path: '/campaigns/:campaignId/guidance',
    access: 'guidance.submit',
    tags: ['guidance'],
    summary: 'Đơn vị hướng dẫn gửi hướng dẫn chấm điểm cho lĩnh vực mình phụ trách / A contributor sends guidance for its areas',
    body: guidanceSubmissionSchema,
    update: submitGuidanceUpdate,
    toStep: asIs,
    async scope(check, { campaignId }, body, actor) {
      check.speaksFor(actor, body.contributor);
      await check.citable({ campaignId }, [{ path: ['document', 'ref'], ref: body.document.ref }]);
    },
  }),
  campaignStep({
    method: 'POST',
    path: '/campaigns/:campaignId/guidance/publish',
    access: 'guidance.publish',
    tags: ['guidance'],
    summary: 'Sở Nội vụ công bố hướng dẫn tổng hợp và mở tự đánh giá / Sở Nội vụ publishes the consolidated guidance',
    body: guidancePublicationSchema,
    update: publishGuidanceUpdate,
    toStep: asIs,
    scope: (check, { campaignId }, body) => check.citable({ campaignId }, [{ path: ['document', 'ref'], ref: body.document.ref }]),
  }),
  campaignStep({
    method: 'POST',
    path: '/campaigns/:campaignId/kickoff',
    access: 'kickoff.record',
    tags: ['guidance'],
    summary: 'Ghi nhận hội nghị triển khai / Record the kick-off conference',
    body: kickoffSchema,
    update: recordKickoffUpdate,
    toStep: asIs,
    scope: (check, { campaignId }, body) => check.citable({ campaignId }, body.attachment ? [{ path: ['attachment', 'ref'], ref: body.attachment.ref }] : []),
  }),
  campaignStep({
    method: 'POST',
    path: '/campaigns/:campaignId/deadlines',
    access: 'deadline.move',
    tags: ['deadlines'],
    summary:
      'Sở Nội vụ thay đổi một thời hạn cho mọi đơn vị, hoặc gia hạn cho một đơn vị (unit_code) / Move a deadline for every unit, or extend it for one (unit_code)',
    body: deadlineChangeWire,
    update: moveDeadlineUpdate,
    toStep: deadlineChangeFromWire,
  }),
  campaignStep({
    method: 'POST',
    path: '/campaigns/:campaignId/council-decisions',
    access: 'council.decide',
    tags: ['council'],
    summary: 'Hội đồng thẩm định thông qua hoặc trả lại kết quả / The appraisal council approves or returns the results',
    body: councilDecisionWire,
    update: councilDecisionUpdate,
    toStep: councilDecisionFromWire,
  }),
  campaignStep({
    method: 'POST',
    path: '/campaigns/:campaignId/publication',
    access: 'results.publish',
    tags: ['publication'],
    summary: 'Sở Nội vụ công bố kết quả theo quyết định / Sở Nội vụ publishes the results under a decision',
    body: publicationWire,
    update: publishResultsUpdate,
    toStep: publicationFromWire,
  }),
];

/** The steps of one unit's workflow (ID = par-2019-hn/unit-STP), which exists once the guidance is published. */
export const UNIT_STEPS = [
  unitStep({
    method: 'POST',
    path: '/campaigns/:campaignId/units/:unitCode/self-assessment',
    access: 'unit.self_assessment',
    tags: ['self-assessment'],
    summary: 'Đơn vị nộp báo cáo tự đánh giá (điểm từng tiêu chí thành phần, tài liệu kiểm chứng) / A unit submits its self-assessment',
    body: selfAssessmentWire,
    update: submitSelfAssessmentUpdate,
    // A deadline's burst of submissions: answered from the unit's state, projected by the API (BENCHMARKS.md, P2).
    returning: submitSelfAssessmentReturningUpdate,
    toStep: selfAssessmentFromWire,
    async scope(check, at, body, actor) {
      await check.ownUnit(at, actor);
      await check.citable(at, body.scores.flatMap((score, index) => refsAt(['scores', index, 'evidence'], score.evidence)));
    },
  }),
  unitStep({
    method: 'POST',
    path: '/campaigns/:campaignId/units/:unitCode/appraisals',
    access: 'unit.appraise',
    tags: ['appraisal'],
    summary: 'Cơ quan phụ trách thẩm định một lĩnh vực (vòng 1 hoặc 2), có thể yêu cầu giải trình / An owner department appraises one area',
    body: areaAppraisalWire,
    update: appraiseAreaUpdate,
    toStep: areaAppraisalFromWire,
    scope: (check, at, body, actor) => check.ownsArea(at, body.areaCode, actor),
  }),
  unitStep({
    method: 'POST',
    path: '/campaigns/:campaignId/units/:unitCode/explanations/:requestId/answer',
    access: 'unit.explain',
    tags: ['explanations'],
    summary: 'Đơn vị trả lời một yêu cầu giải trình / A unit answers an explanation request',
    description:
      'requestId chứa dấu "/" (vd. par-2019-hn/unit-STP/r1-3-12-0): mã hóa thành một đoạn đường dẫn (encodeURIComponent) / requestId contains "/": send it URL-encoded as one path segment',
    params: unitParams.extend({ requestId: explanationRequestIdText() }),
    body: explanationAnswerSchema.omit({ requestId: true }),
    update: answerExplanationUpdate,
    // The router has already decoded the segment, %2F included.
    toStep: (body, { requestId }) => ({ ...body, requestId }),
    async scope(check, { campaignId, unitCode }, body, actor) {
      await check.ownUnit({ campaignId, unitCode }, actor);
      await check.citable({ campaignId, unitCode }, refsAt(['evidence'], body.evidence));
    },
  }),
];

/** The survey track's steps (workflow ID = par-2019-hn/survey). */
export const SURVEY_STEPS = [
  surveyStep({
    method: 'POST',
    path: '/campaigns/:campaignId/survey/plan',
    access: 'survey.plan',
    tags: ['survey'],
    summary: 'Viện nộp kế hoạch điều tra xã hội học / The institute submits the survey plan',
    body: surveyPlanSchema,
    update: submitSurveyPlanUpdate,
    toStep: asIs,
    scope: (check, { campaignId }, body) => check.citable({ campaignId }, [{ path: ['document', 'ref'], ref: body.document.ref }]),
  }),
  surveyStep({
    method: 'POST',
    path: '/campaigns/:campaignId/survey/plan/review',
    access: 'survey.review',
    tags: ['survey'],
    summary: 'Sở Nội vụ duyệt hoặc trả lại kế hoạch điều tra / Sở Nội vụ approves or returns the survey plan',
    body: surveyPlanReviewSchema,
    update: reviewSurveyPlanUpdate,
    toStep: asIs,
  }),
  surveyStep({
    method: 'POST',
    path: '/campaigns/:campaignId/survey/fieldwork/open',
    access: 'survey.fieldwork',
    tags: ['survey'],
    summary: 'Bắt đầu khảo sát thực địa / Open the survey fieldwork',
    body: emptyBody,
    update: openFieldworkUpdate,
    toStep: () => ({}),
  }),
  surveyStep({
    method: 'POST',
    path: '/campaigns/:campaignId/survey/fieldwork/close',
    access: 'survey.fieldwork',
    tags: ['survey'],
    summary: 'Kết thúc khảo sát thực địa / Close the survey fieldwork',
    body: emptyBody,
    update: closeFieldworkUpdate,
    toStep: () => ({}),
  }),
  surveyStep({
    method: 'POST',
    path: '/campaigns/:campaignId/survey/results',
    access: 'survey.results',
    tags: ['survey'],
    summary: 'Viện nộp kết quả điều tra (điểm từng đơn vị) / The institute submits the survey results (points per unit)',
    body: surveyResultsWire,
    update: submitSurveyResultsUpdate,
    toStep: surveyResultsFromWire,
  }),
];
