import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../../domain/actors';
import type {
  AreaAppraisal,
  CouncilDecision,
  DeadlineChange,
  ExplanationAnswer,
  GuidancePublication,
  GuidanceSubmission,
  Kickoff,
  Publication,
  SelfAssessmentSubmission,
  SurveyPlan,
  SurveyPlanReview,
  SurveyResults,
} from '../../domain/steps';
import { surveyWorkflowId, unitWorkflowId } from '../../domain/units';
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
  submitSelfAssessmentUpdate,
  submitSurveyPlanUpdate,
  submitSurveyResultsUpdate,
  surveyProgressQuery,
  unitProgressQuery,
  type Step,
} from '../../workflows/messages';
import { toApiError, type WorkflowTarget } from '../update-errors';

export interface StepServiceDeps {
  temporal: Pick<Client, 'workflow'>;
}

/** Who takes a step and, when the caller sent one, the Idempotency-Key that makes a retry the same update. */
export interface StepContext {
  actor: Actor;
  idempotencyKey?: string;
}

/**
 * The human steps of a campaign, one Temporal update each. The workflows'
 * validators decide (role, unit, stage, deadline, framework limits); this layer
 * only addresses the right workflow, carries the actor and the update ID, and
 * translates refusals into typed errors.
 */
export function createStepService({ temporal }: StepServiceDeps) {
  const campaignTarget = (campaignId: string): WorkflowTarget => ({ kind: 'campaign', workflowId: campaignId, campaignId });
  const unitTarget = (campaignId: string, unitCode: string): WorkflowTarget => ({
    kind: 'unit',
    workflowId: unitWorkflowId(campaignId, unitCode),
    campaignId,
    unitCode,
  });
  const surveyTarget = (campaignId: string): WorkflowTarget => ({ kind: 'survey', workflowId: surveyWorkflowId(campaignId), campaignId });

  /**
   * Runs one step and waits for its result. The update ID is the update's name
   * plus the caller's key, so a retried request is the same update (Temporal
   * answers it with the first outcome instead of applying it again) while the
   * same key sent to a different step cannot collide with it. Deduplication
   * holds within one workflow run (docs.temporal.io/encyclopedia/workflow-message-passing#update-idempotency).
   */
  async function step<Ret, Body extends object>(
    target: WorkflowTarget,
    update: UpdateDefinition<Ret, [Step<Body>]>,
    body: Body,
    { actor, idempotencyKey }: StepContext,
  ): Promise<Ret> {
    const payload = { ...body, actor } as Step<Body>;
    try {
      return await temporal.workflow
        .getHandle(target.workflowId)
        .executeUpdate(update, { args: [payload], ...(idempotencyKey ? { updateId: `${update.name}/${idempotencyKey}` } : {}) });
    } catch (error) {
      throw toApiError(error, target);
    }
  }

  async function query<Ret>(target: WorkflowTarget, run: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<Ret>) {
    try {
      return await run(temporal.workflow.getHandle(target.workflowId));
    } catch (error) {
      throw toApiError(error, target);
    }
  }

  return {
    campaign: {
      submitGuidance: (campaignId: string, body: GuidanceSubmission, ctx: StepContext) =>
        step(campaignTarget(campaignId), submitGuidanceUpdate, body, ctx),
      publishGuidance: (campaignId: string, body: GuidancePublication, ctx: StepContext) =>
        step(campaignTarget(campaignId), publishGuidanceUpdate, body, ctx),
      recordKickoff: (campaignId: string, body: Kickoff, ctx: StepContext) => step(campaignTarget(campaignId), recordKickoffUpdate, body, ctx),
      moveDeadline: (campaignId: string, body: DeadlineChange, ctx: StepContext) => step(campaignTarget(campaignId), moveDeadlineUpdate, body, ctx),
      decideAsCouncil: (campaignId: string, body: CouncilDecision, ctx: StepContext) =>
        step(campaignTarget(campaignId), councilDecisionUpdate, body, ctx),
      publishResults: (campaignId: string, body: Publication, ctx: StepContext) =>
        step(campaignTarget(campaignId), publishResultsUpdate, body, ctx),
    },
    unit: {
      submitSelfAssessment: (campaignId: string, unitCode: string, body: SelfAssessmentSubmission, ctx: StepContext) =>
        step(unitTarget(campaignId, unitCode), submitSelfAssessmentUpdate, body, ctx),
      appraiseArea: (campaignId: string, unitCode: string, body: AreaAppraisal, ctx: StepContext) =>
        step(unitTarget(campaignId, unitCode), appraiseAreaUpdate, body, ctx),
      answerExplanation: (campaignId: string, unitCode: string, body: ExplanationAnswer, ctx: StepContext) =>
        step(unitTarget(campaignId, unitCode), answerExplanationUpdate, body, ctx),
      progress: (campaignId: string, unitCode: string) => query(unitTarget(campaignId, unitCode), (handle) => handle.query(unitProgressQuery)),
    },
    survey: {
      submitPlan: (campaignId: string, body: SurveyPlan, ctx: StepContext) => step(surveyTarget(campaignId), submitSurveyPlanUpdate, body, ctx),
      reviewPlan: (campaignId: string, body: SurveyPlanReview, ctx: StepContext) => step(surveyTarget(campaignId), reviewSurveyPlanUpdate, body, ctx),
      openFieldwork: (campaignId: string, ctx: StepContext) => step(surveyTarget(campaignId), openFieldworkUpdate, {}, ctx),
      closeFieldwork: (campaignId: string, ctx: StepContext) => step(surveyTarget(campaignId), closeFieldworkUpdate, {}, ctx),
      submitResults: (campaignId: string, body: SurveyResults, ctx: StepContext) =>
        step(surveyTarget(campaignId), submitSurveyResultsUpdate, body, ctx),
      progress: (campaignId: string) => query(surveyTarget(campaignId), (handle) => handle.query(surveyProgressQuery)),
    },
  };
}

export type StepService = ReturnType<typeof createStepService>;
