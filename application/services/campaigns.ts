import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { actorLabel, type Actor } from '../../domain/actors';
import { campaignIdOf, contributorIssues, crossCheckCampaign, successorDefinition, type CampaignDefinition, type FrameworkReference, type LibraryCampaignRequest, type SuccessorRequest } from '../../domain/campaign';
import type { CampaignRepository } from '../../db/repositories/campaigns';
import type { FrameworkRepository } from '../../db/repositories/frameworks';
import type { OrganisationRepository } from '../../db/repositories/organisations';
import { issue } from '../../domain/issues';
import type { campaignWorkflow } from '../../workflows/campaign';
import { awaitRecordedUpdate, progressQuery } from '../../contracts/messages';
import { CampaignIdKey, CampaignYearKey, StageKey } from '../../contracts/search-attributes';
import { assertCanRead, authorize } from '../auth/authorize';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../errors';
import { UPDATE_PENDING_RETRY_AFTER_SECONDS } from '../update-errors';
import { isSameStartRequest, START_REQUEST_MEMO, startRequest } from './campaign-start-request';
import { DEFAULT_CALL_TIMEOUT_MS } from './steps';

export interface CampaignServiceDeps {
  temporal: Pick<Client, 'workflow' | 'withDeadline'>;
  taskQueue: string;
  /** How long a request waits on Temporal (runtime/config.ts TEMPORAL_CALL_TIMEOUT_MS). */
  callTimeoutMs?: number;
  campaigns: Pick<CampaignRepository, 'findCampaign' | 'findStage' | 'listCampaigns' | 'listUnits' | 'listEvents' | 'listEventPage'>;
  frameworks: Pick<FrameworkRepository, 'find'>;
  /** The directory a campaign's contributors may name besides its own units. */
  organisations: Pick<OrganisationRepository, 'activeCodes'>;
}

const isPublished = (stage: string | null | undefined) => stage === 'published';

export function createCampaignService({ temporal, taskQueue, campaigns, frameworks, organisations, callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS }: CampaignServiceDeps) {
  const withinBound = <T>(call: () => Promise<T>): Promise<T> => temporal.withDeadline(Date.now() + callTimeoutMs, call);
  async function requireCampaign(campaignId: string) {
    const campaign = await campaigns.findCampaign(campaignId);
    if (!campaign) {
      throw new NotFoundError('campaign_not_found', `Không tìm thấy đợt đánh giá ${campaignId}`, `Campaign ${campaignId} not found`);
    }
    return campaign;
  }

  /** The campaign, if the actor may read it (404 before 403: a campaign's existence is not a secret). */
  async function readableCampaign(campaignId: string, actor: Actor) {
    const campaign = await requireCampaign(campaignId);
    authorize(actor, 'campaign.read', { published: isPublished(campaign.stage) });
    assertCanRead(actor, { campaignId, published: isPublished(campaign.stage) });
    return campaign;
  }

  /**
   * Starts the campaign workflow under its business ID and waits until the read
   * model holds it. The ID is never reused, so a second POST of the same campaign
   * (even after the first has ended) is a conflict, not a second campaign; but
   * the same request sent again with its Idempotency-Key (after a 503
   * `campaign_pending`, or an answer that never came) is the first one, and gets
   * its answer (campaign-start-request.ts). A caller that sent no key gets one
   * made up here, named in a 503 as a step's is.
   */
  async function start(definition: CampaignDefinition, actor: Actor, idempotencyKey: string = randomUUID()) {
    authorize(actor, 'campaign.create');
    const known = await organisations.activeCodes(definition.contributors.map((contributor) => contributor.unit));
    const unknown = contributorIssues(definition, known);
    if (unknown.length) {
      throw new ValidationError(unknown, `${unknown[0]!.message_vi} (contributors)`, `${unknown[0]!.message_en} (contributors)`);
    }
    await checkPredecessor(definition);
    const campaignId = campaignIdOf(definition);
    const startedBy = actorLabel(actor);
    const request = startRequest(idempotencyKey, definition, startedBy);
    try {
      // Started by its type name (a Temporal contract, the function's name): the API process
      // then never loads workflow code, only its type.
      await withinBound(() => temporal.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
        workflowId: campaignId,
        taskQueue,
        args: [{ definition, startedBy }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: CampaignIdKey, value: campaignId },
          { key: CampaignYearKey, value: definition.year },
          { key: StageKey, value: 'guidance' },
        ],
        memo: { [START_REQUEST_MEMO]: request },
      }));
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const { memo } = await withinBound(() => temporal.workflow.getHandle(campaignId).describe());
      if (!isSameStartRequest(memo?.[START_REQUEST_MEMO], request)) {
        throw new ConflictError(
          'campaign_exists',
          `Đợt đánh giá ${campaignId} đã được tạo; mỗi năm và địa phương chỉ có một đợt`,
          `Campaign ${campaignId} already exists; there is one campaign per year and locality`,
        );
      }
    }
    try {
      return await withinBound(() => temporal.workflow.getHandle(campaignId).executeUpdate(awaitRecordedUpdate, { updateId: `${campaignId}/recorded` }));
    } catch (error) {
      // The campaign exists; only its first record in the read model is late (its worker is away).
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
        throw new UnavailableError(
          'campaign_pending',
          `Đợt đánh giá ${campaignId} đã được tạo nhưng chưa được ghi nhận xong; gửi lại yêu cầu với cùng Idempotency-Key: ${idempotencyKey} sau ít giây để nhận kết quả`,
          `Campaign ${campaignId} was created but is not recorded yet; send the request again with the same Idempotency-Key: ${idempotencyKey} in a few seconds for its answer`,
          UPDATE_PENDING_RETRY_AFTER_SECONDS,
          idempotencyKey,
        );
      }
      // The same request again after its campaign has ended (published): it was answered once, and answers now
      // as the campaign stands; an update can no longer reach a closed workflow, a query can.
      if (error instanceof WorkflowNotFoundError) {
        return await withinBound(() => temporal.workflow.getHandle(campaignId).query(progressQuery));
      }
      throw error;
    }
  }

  /** The predecessor a definition names must be an earlier year's campaign: its ranking is what this one's is compared with. */
  async function checkPredecessor(definition: CampaignDefinition) {
    const previousId = definition.previous_campaign_id;
    if (previousId === undefined) return;
    const previous = await campaigns.findCampaign(previousId);
    const found = !previous
      ? issue(['previous_campaign_id'], 'unknown_campaign', `Không có đợt đánh giá ${previousId}`, `No campaign ${previousId}`)
      : previous.year >= definition.year
        ? issue(['previous_campaign_id'], 'not_earlier', `Đợt đánh giá ${previousId} (năm ${previous.year}) không trước năm ${definition.year}`, `Campaign ${previousId} (${previous.year}) is not before ${definition.year}`)
        : undefined;
    if (found) throw new ValidationError([found], 'Đợt đánh giá năm trước chưa hợp lệ', 'The previous campaign is not valid');
  }

  async function libraryFramework(reference: FrameworkReference) {
    const stored = await frameworks.find(reference.code, reference.version);
    if (!stored) {
      const name = `${reference.code}${reference.version ? ` v${reference.version}` : ''}`;
      throw new NotFoundError('framework_not_found', `Không có bộ tiêu chí ${name} trong thư viện`, `No framework ${name} in the library`);
    }
    return stored.document;
  }

  /** A definition put together here is checked as POST /campaigns checks its body: its units' groups against its framework, its dates in order. */
  async function startChecked(definition: CampaignDefinition, actor: Actor, idempotencyKey?: string) {
    const issues = crossCheckCampaign(definition);
    if (issues.length) throw new ValidationError(issues, 'Đợt đánh giá mới chưa hợp lệ', 'The new campaign is not valid');
    return start(definition, actor, idempotencyKey);
  }

  return {
    start,

    /** Next year's campaign from an existing one (domain/campaign.ts successorDefinition), started like any other. */
    async startSuccessor(sourceId: string, request: SuccessorRequest, actor: Actor, idempotencyKey?: string) {
      authorize(actor, 'campaign.create');
      const source = await requireCampaign(sourceId);
      if (request.year <= source.year) {
        throw new ValidationError(
          [issue(['body', 'year'], 'not_after_source', `Năm của đợt mới phải sau năm ${source.year}`, `The new campaign's year must come after ${source.year}`)],
          `Năm của đợt mới phải sau năm ${source.year} của đợt đánh giá gốc`,
          `The new campaign's year must come after its source's (${source.year})`,
        );
      }
      const framework = request.framework ? await libraryFramework(request.framework) : undefined;
      return startChecked(successorDefinition(source.definition as CampaignDefinition, request, framework), actor, idempotencyKey);
    },

    /** A campaign from a framework of the library and the units, contributors and timeline given. */
    async startFromLibrary(request: LibraryCampaignRequest, actor: Actor, idempotencyKey?: string) {
      authorize(actor, 'campaign.create');
      return startChecked({ ...request, framework: await libraryFramework(request.framework) }, actor, idempotencyKey);
    },

    get: readableCampaign,

    /** Every campaign for staff; a public user sees the published ones only. */
    async list(actor: Actor) {
      authorize(actor, 'campaign.list');
      const rows = await campaigns.listCampaigns();
      return actor.role === 'public' ? rows.filter((row) => isPublished(row.stage)) : rows;
    },

    async units(campaignId: string, actor: Actor) {
      await readableCampaign(campaignId, actor);
      return campaigns.listUnits(campaignId);
    },

    async events(campaignId: string, actor: Actor) {
      authorize(actor, 'campaign.events');
      await requireCampaign(campaignId);
      return campaigns.listEvents(campaignId);
    },

    /** A page of the event log, newest first, for the dashboard; the caller has checked that the campaign exists. */
    async eventPage(campaignId: string, actor: Actor, page: { unitCode?: string; beforeId?: number; limit: number }) {
      authorize(actor, 'campaign.events');
      return campaigns.listEventPage(campaignId, page);
    },

    /** Live state from the workflow itself (the read model may lag by one activity). */
    async progress(campaignId: string, actor: Actor) {
      const published = isPublished(await campaigns.findStage(campaignId));
      authorize(actor, 'campaign.progress', { published });
      try {
        return await withinBound(() => temporal.workflow.getHandle(campaignId).query(progressQuery));
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) {
          throw new NotFoundError('campaign_not_found', `Không tìm thấy đợt đánh giá ${campaignId}`, `Campaign ${campaignId} not found`);
        }
        throw error;
      }
    },
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;
