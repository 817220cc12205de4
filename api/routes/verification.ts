import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachment } from '../../http/attachment';
import { campaignIdSchema, errorResponseSchema } from '../schemas';
import type { VerificationService } from '../../application/services/verification';

const campaignParams = z.object({ campaignId: campaignIdSchema });

const verificationResponse = z.object({
  campaign_id: z.string(),
  verified: z.boolean(),
  chained_events: z.number(),
  chain_head: z.object({ seq: z.number(), hash: z.string() }),
  verification_code: z.string().nullable().meta({ description: 'Mã kiểm chứng in trên báo cáo / The code printed on the report' }),
  digest: z.string().nullable(),
  problem: z
    .object({
      kind: z.string(),
      seq: z.number().optional(),
      unit_code: z.string().optional(),
      subcriterion_code: z.string().optional(),
      column: z.string().optional(),
      field: z.string().optional(),
      message_vi: z.string(),
      message_en: z.string(),
    })
    .nullable(),
});

/** The verdict of a published campaign's verification and its offline bundle, without login. */
export function verificationRoutes(service: VerificationService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/campaigns/:campaignId/verification',
      {
        config: { access: 'public' },
        schema: {
          summary: 'Kiểm chứng kết quả đã công bố / Verify the published results against the event chain',
          tags: ['results'],
          params: campaignParams,
          response: { 200: verificationResponse, 404: errorResponseSchema },
        },
      },
      async (request) => {
        const { bundle, verdict } = await service.verdict(request.params.campaignId);
        const { problem } = verdict.ok ? { problem: null } : verdict;
        return {
          campaign_id: bundle.campaign_id,
          verified: verdict.ok,
          chained_events: bundle.events.length,
          chain_head: { seq: verdict.head_seq, hash: verdict.head_hash },
          verification_code: verdict.ok ? verdict.short_code : null,
          digest: verdict.ok ? verdict.digest : null,
          problem:
            problem === null
              ? null
              : {
                  kind: problem.kind,
                  seq: problem.seq,
                  unit_code: problem.unit_code,
                  subcriterion_code: problem.subcriterion_code,
                  column: problem.column,
                  field: problem.field,
                  message_vi: problem.message_vi,
                  message_en: problem.message_en,
                },
        };
      },
    );

    app.get(
      '/campaigns/:campaignId/verification/bundle',
      {
        // The bundle holds the whole event log (who did what, their notes): the verdict is public, the bundle is not.
        config: { access: 'campaign.events' },
        schema: {
          summary: 'Gói kiểm chứng (sự kiện, bộ tiêu chí, kết quả) để kiểm tra ngoại tuyến / The offline verification bundle',
          tags: ['results'],
          params: campaignParams,
        },
      },
      async (request, reply) => {
        const bundle = await service.bundle(request.params.campaignId);
        return reply
          .type('application/json; charset=utf-8')
          .header('content-disposition', attachment(`kiem-chung-${bundle.campaign_id}.json`))
          .send(JSON.stringify(bundle));
      },
    );
  };
}
