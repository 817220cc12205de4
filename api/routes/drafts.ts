import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toVietnamIso } from '../../domain/deadlines';
import type { DraftRow } from '../../application/views';
import { authHeaders, resolveActor } from '../actor';
import { NotFoundError } from '../../application/errors';
import { campaignIdSchema, errorResponseSchema, unitCodeSchema } from '../schemas';
import type { DraftService } from '../../application/services/drafts';
import { draftFromWire, draftToWire, selfAssessmentDraftWire } from '../wire/unit';

const params = z.object({ campaignId: campaignIdSchema, unitCode: unitCodeSchema });
const draftResponse = z.object({ draft: selfAssessmentDraftWire, saved_by: z.string(), saved_at: z.string() });
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

const toResponse = (row: DraftRow) => ({ draft: draftToWire(row.draft), saved_by: row.savedBy, saved_at: toVietnamIso(row.savedAt.getTime()) });

/** The self-assessment draft of a unit (application/services/drafts.ts): saved over and over, submitted once through the step route. */
export function draftRoutes(drafts: DraftService): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/campaigns/:campaignId/units/:unitCode/self-assessment/draft',
      {
        config: { access: 'unit.self_assessment' },
        schema: {
          summary: 'Đơn vị lưu nháp báo cáo tự đánh giá (chưa nộp) / A unit saves its self-assessment draft',
          description:
            'Như bài nộp nhưng mỗi dòng có thể chưa có điểm; lưu đè bản trước. Chỉ nộp mới được kiểm tra theo bộ tiêu chí. / Like the submission with optional inputs; overwrites the previous draft; checked against the framework only when submitted.',
          tags: ['self-assessment'],
          headers: authHeaders,
          params,
          body: selfAssessmentDraftWire,
          response: { 200: draftResponse, ...errors, 409: errorResponseSchema },
        },
      },
      async (request) => toResponse(await drafts.save(resolveActor(request), request.params, draftFromWire(request.body))),
    );

    app.get(
      '/campaigns/:campaignId/units/:unitCode/self-assessment/draft',
      {
        config: { access: 'unit.draft_read' },
        schema: {
          summary: 'Bản nháp tự đánh giá của đơn vị / A unit’s self-assessment draft',
          tags: ['self-assessment'],
          headers: authHeaders,
          params,
          response: { 200: draftResponse, ...errors },
        },
      },
      async (request) => {
        const row = await drafts.find(resolveActor(request), request.params);
        if (!row) throw new NotFoundError('not_found', 'Đơn vị chưa lưu bản nháp nào', 'The unit has saved no draft');
        return toResponse(row);
      },
    );
  };
}
