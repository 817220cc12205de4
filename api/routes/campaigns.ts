import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorUsername } from '../../domain/actor-label';
import { campaignDefinitionSchema, libraryCampaignRequestSchema, successorRequestSchema } from '../../domain/campaign';
import { CAMPAIGN_STAGES, STAGE_LABEL_VI, type CampaignStage } from '../../domain/stages';
import { toVietnamIso } from '../../domain/deadlines';
import type { CampaignService } from '../../application/services/campaigns';
import { authHeaders, resolveActor } from '../actor';
import { campaignProgressToWire, campaignProgressWire } from '../wire/campaign';
import { recordedToWire } from '../../application/wire-keys';
import { campaignIdSchema, errorResponseSchema } from '../schemas';
import { stepContext, stepHeaders } from './steps-common';

const campaignParams = z.object({ campaignId: campaignIdSchema });

const stageSchema = z.enum(CAMPAIGN_STAGES);

const campaignSummary = z.object({
  id: z.string(),
  year: z.number(),
  name_vi: z.string(),
  stage: stageSchema,
  stage_label_vi: z.string(),
  status: z.string(),
  created_at: z.string(),
});

const campaignDetail = campaignSummary.extend({
  stage_changed_at: z.string(),
  unit_count: z.number(),
  groups: z.array(z.object({ code: z.string(), name_vi: z.string(), unit_count: z.number() })),
  timeline: z.record(z.string(), z.string()),
  previous_campaign_id: z.string().nullable().meta({ description: 'Đợt năm trước mà kết quả được so sánh / Last year’s campaign the results are compared with' }),
});


const eventResponse = z.object({
  id: z.number(),
  unit_code: z.string().nullable(),
  /** How the workflow recorded who acted: `role:UNIT/username`, a bare role, or `system`. */
  actor: z.string(),
  /** The account that made the step, and the person's full name as it was then; null for the system. */
  actor_username: z.string().nullable(),
  actor_name: z.string().nullable(),
  action: z.string(),
  /** What the step changed, as recorded (its field names respelt snake_case). */
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  occurred_at: z.string(),
});

function summarize(row: { id: string; year: number; nameVi: string; stage: CampaignStage; status: string; createdAt: Date }) {
  const stage = row.stage;
  return {
    id: row.id,
    year: row.year,
    name_vi: row.nameVi,
    stage,
    stage_label_vi: STAGE_LABEL_VI[stage],
    status: row.status,
    created_at: toVietnamIso(row.createdAt.getTime()),
  };
}

export function campaignRoutes(service: CampaignService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/campaigns',
      {
        config: { access: 'campaign.create' },
        schema: {
          summary: 'Tạo đợt đánh giá Chỉ số CCHC và khởi động quy trình / Create a campaign and start its workflow',
          tags: ['campaigns'],
          headers: stepHeaders,
          body: campaignDefinitionSchema,
          response: { 201: campaignProgressWire, 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 409: errorResponseSchema },
        },
      },
      async (request, reply) => {
        const { actor, idempotencyKey } = stepContext(request);
        const progress = await service.start(request.body, actor, idempotencyKey);
        return reply.code(201).header('location', `/campaigns/${progress.campaignId}`).send(campaignProgressToWire(progress));
      },
    );

    app.post(
      '/campaigns/from-library',
      {
        config: { access: 'campaign.create' },
        schema: {
          summary: 'Tạo đợt đánh giá từ một bộ tiêu chí trong thư viện và danh sách đơn vị / Create a campaign from a library framework and a list of units',
          description:
            'Như POST /campaigns, nhưng bộ tiêu chí là mã (và phiên bản, mặc định mới nhất) trong thư viện thay vì toàn văn JSON. / Like POST /campaigns, with the framework named by its library code (and version, the latest by default) instead of its full JSON.',
          tags: ['campaigns'],
          headers: stepHeaders,
          body: libraryCampaignRequestSchema,
          response: { 201: campaignProgressWire, 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema },
        },
      },
      async (request, reply) => {
        const { actor, idempotencyKey } = stepContext(request);
        const progress = await service.startFromLibrary(request.body, actor, idempotencyKey);
        return reply.code(201).header('location', `/campaigns/${progress.campaignId}`).send(campaignProgressToWire(progress));
      },
    );

    app.post(
      '/campaigns/:campaignId/successor',
      {
        config: { access: 'campaign.create' },
        schema: {
          summary: 'Tạo đợt đánh giá năm sau từ đợt này (cùng đơn vị, cơ quan hướng dẫn, thiết lập) / Create next year’s campaign from this one',
          description:
            'Giữ danh sách đơn vị, cơ quan hướng dẫn và thiết lập của đợt nguồn; đặt năm, mã, tên, lịch trình mới và bộ tiêu chí (của đợt nguồn, hoặc một phiên bản trong thư viện). / Keeps the units, contributors and settings; sets a new year, slug, name, timeline and framework (the source’s, or one from the library).',
          tags: ['campaigns'],
          headers: stepHeaders,
          params: campaignParams,
          body: successorRequestSchema,
          response: { 201: campaignProgressWire, 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema },
        },
      },
      async (request, reply) => {
        const { actor, idempotencyKey } = stepContext(request);
        const progress = await service.startSuccessor(request.params.campaignId, request.body, actor, idempotencyKey);
        return reply.code(201).header('location', `/campaigns/${progress.campaignId}`).send(campaignProgressToWire(progress));
      },
    );

    app.get(
      '/campaigns',
      {
        config: { access: 'campaign.list' },
        schema: {
          summary: 'Danh sách đợt đánh giá (người dùng công khai: chỉ đợt đã công bố) / List campaigns (public users: published ones)',
          tags: ['campaigns'],
          headers: authHeaders,
          response: { 200: z.array(campaignSummary), 401: errorResponseSchema, 403: errorResponseSchema },
        },
      },
      async (request) => (await service.list(resolveActor(request))).map(summarize),
    );

    app.get(
      '/campaigns/:campaignId',
      {
        config: { access: 'campaign.read' },
        schema: {
          summary: 'Một đợt đánh giá, từ cơ sở dữ liệu / One campaign, from the read model',
          tags: ['campaigns'],
          headers: authHeaders,
          params: campaignParams,
          response: { 200: campaignDetail, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
        },
      },
      async (request) => {
        const actor = resolveActor(request);
        const campaign = await service.get(request.params.campaignId, actor);
        const units = await service.units(campaign.id, actor);
        const definition = campaign.definition as { framework: { groups: Record<string, { name_vi: string }> }; timeline: Record<string, string>; previous_campaign_id?: string };
        const groups = Object.entries(definition.framework.groups).map(([code, group]) => ({
          code,
          name_vi: group.name_vi,
          unit_count: units.filter((unit) => unit.groupCode === code).length,
        }));
        return {
          ...summarize(campaign),
          stage_changed_at: toVietnamIso(campaign.stageChangedAt.getTime()),
          unit_count: units.length,
          groups,
          timeline: definition.timeline,
          previous_campaign_id: definition.previous_campaign_id ?? null,
        };
      },
    );

    app.get(
      '/campaigns/:campaignId/progress',
      {
        config: { access: 'campaign.progress' },
        schema: {
          summary: 'Tiến độ trực tiếp từ quy trình / Live progress from the workflow',
          tags: ['campaigns'],
          headers: authHeaders,
          params: campaignParams,
          response: { 200: campaignProgressWire, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
        },
      },
      async (request) => campaignProgressToWire(await service.progress(request.params.campaignId, resolveActor(request))),
    );

    app.get(
      '/campaigns/:campaignId/events',
      {
        config: { access: 'campaign.events' },
        schema: {
          summary: 'Nhật ký thay đổi / Event log',
          tags: ['campaigns'],
          headers: authHeaders,
          params: campaignParams,
          response: { 200: z.array(eventResponse), 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
        },
      },
      async (request) =>
        (await service.events(request.params.campaignId, resolveActor(request))).map((event) => ({
          id: event.id,
          unit_code: event.unitCode,
          actor: event.actor,
          actor_username: actorUsername(event.actor),
          actor_name: event.actorName,
          action: event.action,
          before: recordedToWire(event.before),
          after: recordedToWire(event.after),
          reason: event.reason,
          occurred_at: toVietnamIso(event.occurredAt.getTime()),
        })),
    );
  };
}
