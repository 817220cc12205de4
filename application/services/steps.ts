import { randomUUID } from 'node:crypto';
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
import { areaOwners, ownValue, surveyWorkflowId, unitWorkflowId } from '../../domain/units';
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
} from '../../contracts/messages';
import type { CampaignRepository } from '../../db/repositories/campaigns';
import type { Permission } from '../../domain/permissions';
import { refsAt } from '../../domain/evidence-refs';
import type { EvidenceCitations } from './evidence-citations';
import { assertCanRead, assertOwnsArea, assertOwnUnit, assertSpeaksFor, authorize } from '../auth/authorize';
import { toApiError, type WorkflowTarget } from '../update-errors';

export interface StepServiceDeps {
  temporal: Pick<Client, 'workflow' | 'withDeadline'>;
  /**
   * How long a step or a query waits for its workflow (runtime/config.ts
   * TEMPORAL_CALL_TIMEOUT_MS): a worker or a server that is away makes the
   * request answer 503 within this bound instead of hanging.
   */
  callTimeoutMs?: number;
  /** The read model, for the cheap checks made before a call reaches Temporal (publication, unit names, area owners). */
  campaigns: Pick<CampaignRepository, 'findContributors' | 'findStage' | 'findUnit'>;
  /** Which evidence files a step may cite (its own campaign's; a unit's step, its own unit's). */
  citations: Pick<EvidenceCitations, 'assertCitable'>;
}

/** Who takes a step and, when the caller sent one, the Idempotency-Key that makes a retry the same update. */
export interface StepContext {
  actor: Actor;
  idempotencyKey?: string;
}

/**
 * The human steps of a campaign, one Temporal update each. This layer checks
 * who may take the step (domain/permissions.ts, and the caller's own unit or
 * areas where the read model answers cheaply), addresses the right workflow,
 * carries the actor and the update ID, and translates refusals into typed
 * errors. The workflows' validators remain the authority on everything that
 * needs their state (stage, deadline, framework limits) and check the actor again.
 */
/** The bound when none is configured (tests): as runtime/config.ts's default. */
export const DEFAULT_CALL_TIMEOUT_MS = 5_000;

export function createStepService({ temporal, campaigns, citations, callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS }: StepServiceDeps) {
  const withinBound = <T>(call: () => Promise<T>): Promise<T> => temporal.withDeadline(Date.now() + callTimeoutMs, call);
  const campaignTarget = (campaignId: string): WorkflowTarget => ({ kind: 'campaign', workflowId: campaignId, campaignId });
  const unitTarget = (campaignId: string, unitCode: string): WorkflowTarget => ({
    kind: 'unit',
    workflowId: unitWorkflowId(campaignId, unitCode),
    campaignId,
    unitCode,
  });
  const surveyTarget = (campaignId: string): WorkflowTarget => ({ kind: 'survey', workflowId: surveyWorkflowId(campaignId), campaignId });

  /**
   * Runs one step and waits for its result, within the call bound. The update
   * ID is the update's name plus the caller's key, so a retried request is the
   * same update (Temporal answers it with the first outcome instead of
   * applying it again) while the same key sent to a different step cannot
   * collide with it. Deduplication holds within one workflow run
   * (docs.temporal.io/encyclopedia/workflow-message-passing#update-idempotency).
   * A caller that sent no key gets one made up here: should the workflow not
   * answer in time, the 503 names it, and a retry with it is the same update.
   */
  async function step<Ret, Body extends object>(
    target: WorkflowTarget,
    update: UpdateDefinition<Ret, [Step<Body>]>,
    body: Body,
    { actor, idempotencyKey = randomUUID() }: StepContext,
  ): Promise<Ret> {
    const payload = { ...body, actor } as Step<Body>;
    try {
      return await withinBound(() =>
        temporal.workflow.getHandle(target.workflowId).executeUpdate(update, { args: [payload], updateId: `${update.name}/${idempotencyKey}` }),
      );
    } catch (error) {
      throw toApiError(error, target, idempotencyKey);
    }
  }

  async function query<Ret>(target: WorkflowTarget, run: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<Ret>) {
    try {
      return await withinBound(() => run(temporal.workflow.getHandle(target.workflowId)));
    } catch (error) {
      throw toApiError(error, target);
    }
  }

  /** The role check first: it needs no IO, so a caller without the role learns nothing else. */
  async function allowed<T>(permission: Permission, ctx: StepContext, run: () => Promise<T>): Promise<T> {
    authorize(ctx.actor, permission);
    return run();
  }

  /** A unit acts only for itself; the refusal names the unit as the workflow would. */
  async function ownUnit(campaignId: string, unitCode: string, ctx: StepContext) {
    if (ctx.actor.role !== 'unit' || ctx.actor.unitCode === unitCode) return;
    const unit = await campaigns.findUnit(campaignId, unitCode);
    assertOwnUnit(ctx.actor, unitCode, unit?.nameVi);
  }

  /**
   * A contributor appraises only the areas its department owns (when the read
   * model knows the campaign). Only the contributors are read: an appraisal of
   * every area of thousands of units must not parse the whole definition each time.
   */
  async function ownsArea(campaignId: string, areaCode: string, ctx: StepContext) {
    if (ctx.actor.role !== 'contributor') return;
    const contributors = await campaigns.findContributors(campaignId);
    if (contributors === null) return;
    assertOwnsArea(ctx.actor, areaCode, ownValue(areaOwners(contributors), areaCode) ?? []);
  }

  const published = async (campaignId: string) => (await campaigns.findStage(campaignId)) === 'published';

  return {
    campaign: {
      submitGuidance: (campaignId: string, body: GuidanceSubmission, ctx: StepContext) =>
        allowed('guidance.submit', ctx, async () => {
          assertSpeaksFor(ctx.actor, body.contributor);
          await citations.assertCitable({ campaignId }, [{ path: ['document', 'ref'], ref: body.document.ref }]);
          return step(campaignTarget(campaignId), submitGuidanceUpdate, body, ctx);
        }),
      publishGuidance: (campaignId: string, body: GuidancePublication, ctx: StepContext) =>
        allowed('guidance.publish', ctx, async () => {
          await citations.assertCitable({ campaignId }, [{ path: ['document', 'ref'], ref: body.document.ref }]);
          return step(campaignTarget(campaignId), publishGuidanceUpdate, body, ctx);
        }),
      recordKickoff: (campaignId: string, body: Kickoff, ctx: StepContext) =>
        allowed('kickoff.record', ctx, async () => {
          await citations.assertCitable({ campaignId }, body.attachment ? [{ path: ['attachment', 'ref'], ref: body.attachment.ref }] : []);
          return step(campaignTarget(campaignId), recordKickoffUpdate, body, ctx);
        }),
      moveDeadline: (campaignId: string, body: DeadlineChange, ctx: StepContext) =>
        allowed('deadline.move', ctx, () => step(campaignTarget(campaignId), moveDeadlineUpdate, body, ctx)),
      decideAsCouncil: (campaignId: string, body: CouncilDecision, ctx: StepContext) =>
        allowed('council.decide', ctx, () => step(campaignTarget(campaignId), councilDecisionUpdate, body, ctx)),
      publishResults: (campaignId: string, body: Publication, ctx: StepContext) =>
        allowed('results.publish', ctx, () => step(campaignTarget(campaignId), publishResultsUpdate, body, ctx)),
    },
    unit: {
      submitSelfAssessment: (campaignId: string, unitCode: string, body: SelfAssessmentSubmission, ctx: StepContext) =>
        allowed('unit.self_assessment', ctx, async () => {
          await ownUnit(campaignId, unitCode, ctx);
          await citations.assertCitable({ campaignId, unitCode }, body.scores.flatMap((score, index) => refsAt(['scores', index, 'evidence'], score.evidence)));
          return step(unitTarget(campaignId, unitCode), submitSelfAssessmentUpdate, body, ctx);
        }),
      appraiseArea: (campaignId: string, unitCode: string, body: AreaAppraisal, ctx: StepContext) =>
        allowed('unit.appraise', ctx, async () => {
          await ownsArea(campaignId, body.areaCode, ctx);
          return step(unitTarget(campaignId, unitCode), appraiseAreaUpdate, body, ctx);
        }),
      answerExplanation: (campaignId: string, unitCode: string, body: ExplanationAnswer, ctx: StepContext) =>
        allowed('unit.explain', ctx, async () => {
          await ownUnit(campaignId, unitCode, ctx);
          await citations.assertCitable({ campaignId, unitCode }, refsAt(['evidence'], body.evidence));
          return step(unitTarget(campaignId, unitCode), answerExplanationUpdate, body, ctx);
        }),
      /** A unit reads its own progress, and the others' once the results are published. */
      progress: async (campaignId: string, unitCode: string, actor: Actor) => {
        const isPublished = await published(campaignId);
        authorize(actor, 'unit.read', { published: isPublished });
        assertCanRead(actor, { campaignId, unitCode, published: isPublished });
        return query(unitTarget(campaignId, unitCode), (handle) => handle.query(unitProgressQuery));
      },
    },
    survey: {
      submitPlan: (campaignId: string, body: SurveyPlan, ctx: StepContext) =>
        allowed('survey.plan', ctx, async () => {
          await citations.assertCitable({ campaignId }, [{ path: ['document', 'ref'], ref: body.document.ref }]);
          return step(surveyTarget(campaignId), submitSurveyPlanUpdate, body, ctx);
        }),
      reviewPlan: (campaignId: string, body: SurveyPlanReview, ctx: StepContext) =>
        allowed('survey.review', ctx, () => step(surveyTarget(campaignId), reviewSurveyPlanUpdate, body, ctx)),
      openFieldwork: (campaignId: string, ctx: StepContext) =>
        allowed('survey.fieldwork', ctx, () => step(surveyTarget(campaignId), openFieldworkUpdate, {}, ctx)),
      closeFieldwork: (campaignId: string, ctx: StepContext) =>
        allowed('survey.fieldwork', ctx, () => step(surveyTarget(campaignId), closeFieldworkUpdate, {}, ctx)),
      submitResults: (campaignId: string, body: SurveyResults, ctx: StepContext) =>
        allowed('survey.results', ctx, () => step(surveyTarget(campaignId), submitSurveyResultsUpdate, body, ctx)),
      progress: (campaignId: string, actor: Actor) => {
        authorize(actor, 'survey.read');
        return query(surveyTarget(campaignId), (handle) => handle.query(surveyProgressQuery));
      },
    },
  };
}

export type StepService = ReturnType<typeof createStepService>;
