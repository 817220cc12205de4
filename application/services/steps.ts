import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../../domain/actors';
import type { SurveyResults } from '../../domain/steps';
import { areaOwners, ownValue, surveyWorkflowId, unitWorkflowId } from '../../domain/units';
import { submitSurveyResultsUpdate, surveyProgressQuery, unitProgressQuery, type Returned, type Step } from '../../contracts/messages';
import type { CampaignRepository } from '../../db/repositories/campaigns';
import type { Permission } from '../../domain/permissions';
import type { CitedRef } from '../../domain/evidence-refs';
import { stepMarksOf, withStepMarks } from '../../domain/returned-marks';
import type { EvidenceCitations } from './evidence-citations';
import type { ReturnedProjection } from './returned-projection';
import { assertCanRead, assertOwnsArea, assertOwnUnit, assertSpeaksFor, authorize } from '../auth/authorize';
import { AppError, UnavailableError } from '../errors';
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
  /**
   * Projects the changes of steps declared with a returning update
   * (returned-projection.ts). Without it (tests of the edge alone) those steps
   * take their plain update, which the workflow projects before it answers.
   */
  projection?: Pick<ReturnedProjection, 'recordIntent' | 'project' | 'settle'>;
}

/** Who takes a step and, when the caller sent one, the Idempotency-Key that makes a retry the same update. */
export interface StepContext {
  actor: Actor;
  idempotencyKey?: string;
}

/** Where a step goes: its campaign, and for a unit's step the unit. */
export interface CampaignAt {
  campaignId: string;
}
export interface UnitAt extends CampaignAt {
  unitCode: string;
}

/** The checks of a caller's scope a step's declaration may ask for, with the read model behind them. */
export interface ScopeChecks {
  /** A unit acts only for itself. */
  ownUnit(at: UnitAt, actor: Actor): Promise<void>;
  /** A contributor appraises only the areas its department owns. */
  ownsArea(at: CampaignAt, areaCode: string, actor: Actor): Promise<void>;
  /** A contributor sends guidance only in its own name. */
  speaksFor(actor: Actor, contributor: string): void;
  /** The evidence a step cites is its campaign's (a unit's step: its unit's). */
  citable(at: CampaignAt & { unitCode?: string }, refs: CitedRef[]): Promise<void>;
}

/**
 * One step as its declaration states it (api/routes/step-table.ts): the
 * permission the caller's role must hold, the Temporal update that takes the
 * step, and the checks of the caller's scope that the read model answers
 * before the update is sent (its own unit, its areas, its name, the evidence
 * it cites).
 */
export interface StepCall<At extends CampaignAt, Body extends object, Ret> {
  access: Permission;
  update: UpdateDefinition<Ret, [Step<Body>]>;
  /**
   * The same step as an update that answers once the step is recorded, with
   * its read-model changes, which the API projects (returned-projection.ts):
   * taken instead of `update` when the service has a projection.
   */
  returning?: UpdateDefinition<Returned<Ret>, [Step<Body>]>;
  scope?(check: ScopeChecks, at: At, body: Body, actor: Actor): Promise<void> | void;
}

/**
 * The human steps of a campaign, one Temporal update each. This layer checks
 * who may take the step (the declared permission of domain/permissions.ts,
 * then its scope checks), addresses the right workflow, carries the actor and
 * the update ID, and translates refusals into typed errors. The workflows'
 * validators remain the authority on everything that needs their state
 * (stage, deadline, framework limits) and check the actor again.
 */
/** The bound when none is configured (tests): as runtime/config.ts's default. */
export const DEFAULT_CALL_TIMEOUT_MS = 5_000;

/** A digest of a step's body, the same for the same fields whatever their order. */
function bodyDigest(body: object): string {
  return createHash('sha256').update(canonicalize(body) ?? '').digest('base64url').slice(0, 16);
}

/** Waits for `work` at most `ms`; a failure of `work` stays with it (logged by its owner), never with the caller. */
async function withinTime(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export function createStepService({ temporal, campaigns, citations, projection, callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS }: StepServiceDeps) {
  const withinBound = <T>(call: () => Promise<T>): Promise<T> => temporal.withDeadline(Date.now() + callTimeoutMs, call);
  const campaignTarget = ({ campaignId }: CampaignAt): WorkflowTarget => ({ kind: 'campaign', workflowId: campaignId, campaignId });
  const unitTarget = ({ campaignId, unitCode }: UnitAt): WorkflowTarget => ({
    kind: 'unit',
    workflowId: unitWorkflowId(campaignId, unitCode),
    campaignId,
    unitCode,
  });
  const surveyTarget = ({ campaignId }: CampaignAt): WorkflowTarget => ({ kind: 'survey', workflowId: surveyWorkflowId(campaignId), campaignId });

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
    updateId = `${update.name}/${idempotencyKey}`,
  ): Promise<Ret> {
    const payload = { ...body, actor } as Step<Body>;
    try {
      return await withinBound(() => temporal.workflow.getHandle(target.workflowId).executeUpdate(update, { args: [payload], updateId }));
    } catch (error) {
      throw toApiError(error, target, idempotencyKey);
    }
  }

  /**
   * A step whose changes the API projects: its intent first (a step whose
   * intent could not be written is not sent), then the update, then the
   * projection of what it returned. The answer waits for the projection's
   * transaction, so the caller's next read shows the step, and the read
   * model's order is the workflow's; a transaction that fails leaves the step
   * to the sweeper and the answer still comes, since the workflow holds it.
   */
  async function stepReturning<Ret, Body extends object>(
    target: WorkflowTarget,
    update: UpdateDefinition<Returned<Ret>, [Step<Body>]>,
    body: Body,
    { actor, idempotencyKey = randomUUID() }: StepContext,
    projection: NonNullable<StepServiceDeps['projection']>,
  ): Promise<Ret> {
    // The body's digest is part of the update ID: the answer is rejoined with this request's marks, so a retry
    // under the same key with an edited body must be a step of its own (the workflow then judges it afresh), never
    // the first outcome dressed in the edited marks.
    const updateId = `${update.name}/${idempotencyKey}/${bodyDigest(body)}`;
    const intent = { workflowId: target.workflowId, updateId, campaignId: target.campaignId };
    await projection.recordIntent(intent);
    let returned: Returned<Ret>;
    try {
      returned = await step(target, update, body, { actor, idempotencyKey }, updateId);
    } catch (error) {
      // A refusal (or a workflow that is not there) recorded nothing to project. Anything else (no answer in
      // time, an unknown failure) may still have been accepted: its intent stays for the sweeper. A settle that
      // fails leaves the intent to the sweeper too, and the caller gets the refusal.
      if (error instanceof AppError && !(error instanceof UnavailableError)) await projection.settle(intent).catch(() => undefined);
      throw error;
    }
    const marks = stepMarksOf(body);
    // The step is in the workflow's history: an answer never waits longer than the call bound for the read model
    // (a commit held by a lock); the commit still ends, or the sweeper projects the step.
    await withinTime(projection.project({ intent, changes: returned.changes.map((change) => withStepMarks(change, marks)) }), callTimeoutMs);
    return returned.answer;
  }

  async function query<Ret>(target: WorkflowTarget, run: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<Ret>) {
    try {
      return await withinBound(() => run(temporal.workflow.getHandle(target.workflowId)));
    } catch (error) {
      throw toApiError(error, target);
    }
  }

  const check: ScopeChecks = {
    /** A unit acts only for itself; the refusal names the unit as the workflow would. */
    async ownUnit({ campaignId, unitCode }: UnitAt, actor: Actor) {
      if (actor.role !== 'unit' || actor.unitCode === unitCode) return;
      const unit = await campaigns.findUnit(campaignId, unitCode);
      assertOwnUnit(actor, unitCode, unit?.nameVi);
    },
    /**
     * A contributor appraises only the areas its department owns (when the read
     * model knows the campaign). Only the contributors are read: an appraisal of
     * every area of thousands of units must not parse the whole definition each time.
     */
    async ownsArea({ campaignId }: CampaignAt, areaCode: string, actor: Actor) {
      if (actor.role !== 'contributor') return;
      const contributors = await campaigns.findContributors(campaignId);
      if (contributors === null) return;
      assertOwnsArea(actor, areaCode, ownValue(areaOwners(contributors), areaCode) ?? []);
    },
    speaksFor: assertSpeaksFor,
    citable: (at, refs) => citations.assertCitable(at, refs),
  };

  /**
   * Takes a declared step on the workflow `target` addresses. The role check
   * first: it needs no IO, so a caller without the role learns nothing else.
   */
  function take<At extends CampaignAt>(target: (at: At) => WorkflowTarget) {
    return async <Body extends object, Ret>(call: StepCall<At, Body, Ret>, at: At, body: Body, ctx: StepContext): Promise<Ret> => {
      authorize(ctx.actor, call.access);
      await call.scope?.(check, at, body, ctx.actor);
      if (call.returning && projection) return stepReturning(target(at), call.returning, body, ctx, projection);
      return step(target(at), call.update, body, ctx);
    };
  }

  const published = async (campaignId: string) => (await campaigns.findStage(campaignId)) === 'published';

  return {
    campaign: { take: take(campaignTarget) },
    unit: {
      take: take(unitTarget),
      /** A unit reads its own progress, and the others' once the results are published. */
      progress: async (campaignId: string, unitCode: string, actor: Actor) => {
        const isPublished = await published(campaignId);
        authorize(actor, 'unit.read', { published: isPublished });
        assertCanRead(actor, { campaignId, unitCode, published: isPublished });
        return query(unitTarget({ campaignId, unitCode }), (handle) => handle.query(unitProgressQuery));
      },
    },
    survey: {
      take: take(surveyTarget),
      /**
       * The results step for the survey answers' submission
       * (services/survey-answers.ts), whose route and service check the
       * caller's permission before the points are computed.
       */
      submitResults: (campaignId: string, body: SurveyResults, ctx: StepContext) => step(surveyTarget({ campaignId }), submitSurveyResultsUpdate, body, ctx),
      progress: (campaignId: string, actor: Actor) => {
        authorize(actor, 'survey.read');
        return query(surveyTarget({ campaignId }), (handle) => handle.query(surveyProgressQuery));
      },
    },
  };
}

export type StepService = ReturnType<typeof createStepService>;
