import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toVietnamIso } from '../../domain/deadlines';
import { resolveActor } from '../actor';
import { errorResponseSchema } from '../schemas';
import type { ParkedChangeService, ParkedChangeView } from '../../application/services/parked-changes';

const parkedChangeResponse = z.object({
  id: z.number(),
  workflow_id: z.string(),
  seq: z.number(),
  campaign_id: z.string(),
  campaign_name_vi: z.string().nullable(),
  unit_code: z.string().nullable(),
  unit_name_vi: z.string().nullable(),
  action: z.string(),
  error_code: z.string().nullable(),
  error_message: z.string(),
  reason_vi: z.string(),
  reason_en: z.string(),
  parked_at: z.string(),
  attempts: z.number(),
  last_tried_at: z.string(),
  resolved_at: z.string().nullable(),
  resolved_by: z.string().nullable(),
});

const iso = (date: Date) => toVietnamIso(date.getTime());

const toResponse = (row: ParkedChangeView): z.infer<typeof parkedChangeResponse> => ({
  id: row.id,
  workflow_id: row.workflowId,
  seq: row.seq,
  campaign_id: row.campaignId,
  campaign_name_vi: row.campaignName,
  unit_code: row.unitCode,
  unit_name_vi: row.unitName,
  action: row.action,
  error_code: row.errorCode,
  error_message: row.errorMessage,
  reason_vi: row.reasonVi,
  reason_en: row.reasonEn,
  parked_at: iso(row.parkedAt),
  attempts: row.attempts,
  last_tried_at: iso(row.lastTriedAt),
  resolved_at: row.resolvedAt ? iso(row.resolvedAt) : null,
  resolved_by: row.resolvedBy,
});

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema, 503: errorResponseSchema };
const ACCESS = { access: 'projection.repair' as const };

/** The changes the read model refused (db/repositories/read-model-parking.ts): Sở Nội vụ's administrators list and retry them. */
export function parkedChangeRoutes(service: ParkedChangeService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/parked-changes',
      {
        config: ACCESS,
        schema: {
          summary: 'Các thay đổi chưa ghi được vào dữ liệu tra cứu / Changes the read model refused',
          tags: ['operations'],
          querystring: z.object({ state: z.enum(['parked', 'resolved']).default('parked') }),
          response: { 200: z.array(parkedChangeResponse), ...errors },
        },
      },
      async (request) => (await service.list(resolveActor(request), request.query.state)).map(toResponse),
    );

    app.post(
      '/parked-changes/:id/retry',
      {
        config: ACCESS,
        schema: {
          summary: 'Ghi lại một thay đổi sau khi đã khắc phục nguyên nhân / Apply a parked change after the fix',
          tags: ['operations'],
          params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
          response: {
            200: z.object({ id: z.number(), outcome: z.enum(['applied', 'already_applied', 'already_resolved']), skipped_effects: z.array(z.string()) }),
            ...errors,
          },
        },
      },
      async (request) => {
        const result = await service.retry(resolveActor(request), request.params.id);
        return { id: request.params.id, outcome: result.outcome, skipped_effects: result.skipped };
      },
    );
  };
}
