import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authHeaders, resolveActor } from '../actor';
import { importResultToWire, importResultWire, pointsReportToWire, pointsReportWire, pointsSubmissionToWire, pointsSubmissionWire } from '../wire/survey';
import { campaignIdSchema, errorResponseSchema, stepErrorResponses } from '../schemas';
import type { SurveyAnswerService } from '../../application/services/survey-answers';
import { stepContext, stepHeaders } from './steps-common';
import { attachment } from '../../http/attachment';

/**
 * Survey answers: the institute uploads its answer file as the raw
 * request body (CSV or XLSX, told apart by its bytes), downloads the template,
 * reads the points scored from the import's tallies and submits them to the survey track.
 */

const params = z.object({ campaignId: campaignIdSchema });

/** Upload types taken as a stream; the parser only hands the request stream on, the importer spools it. */
const UPLOAD_TYPES = [
  'text/csv',
  'application/csv',
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

const readErrors = { 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

export function surveyAnswerRoutes(service: SurveyAnswerService): FastifyPluginAsyncZod {
  return async (app) => {
    // Encapsulated in this plugin: other routes keep their parsers and body limit. No text/plain (server/app.ts).
    app.addContentTypeParser(UPLOAD_TYPES, (_request, payload, done) => done(null, payload));

    app.post(
      '/campaigns/:campaignId/survey/answers',
      {
        // The institute or Sở Nội vụ (checked by the service); no permission of domain/permissions.ts names answer imports yet.
        config: { access: 'survey.answers' },
        schema: {
          summary: 'Viện nhập tệp kết quả điều tra (CSV hoặc XLSX, mẫu dọc hoặc ngang) / The institute imports a survey answer file',
          description:
            'Thân yêu cầu là nội dung tệp (Content-Type text/csv, application/octet-stream hoặc XLSX). Tệp có lỗi thì không lưu gì và trả 400 với từng lỗi (dòng, cột, lý do). Nhập lại đúng tệp cũ trả 200 với kết quả lần trước. / The body is the file itself; a file with any problem stores nothing (400 lists each problem with row and column); the same file again answers 200 with the earlier summary.',
          tags: ['survey'],
          headers: authHeaders,
          params,
          consumes: UPLOAD_TYPES,
          response: { 200: importResultWire, 201: importResultWire, 400: errorResponseSchema, 409: errorResponseSchema, ...readErrors },
        },
      },
      async (request, reply) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function') {
          return reply.code(415).send({
            status_code: 415,
            error: 'unsupported_media_type',
            message_vi: `Gửi nội dung tệp với Content-Type là một trong: ${UPLOAD_TYPES.join(', ')}`,
            message_en: `Send the file as the body with a Content-Type of: ${UPLOAD_TYPES.join(', ')}`,
            request_id: request.id,
          });
        }
        const result = await service.importFile(request.params.campaignId, body, resolveActor(request));
        return reply.code(result.created ? 201 : 200).send(importResultToWire(result));
      },
    );

    app.get(
      '/campaigns/:campaignId/survey/answers/template',
      {
        config: { access: 'survey.read' },
        schema: {
          summary: 'Tải mẫu nhập kết quả điều tra (xlsx có trang hướng dẫn, hoặc csv) / Download the survey answer template',
          tags: ['survey'],
          headers: authHeaders,
          params,
          querystring: z.object({ layout: z.enum(['long', 'wide']).default('long'), format: z.enum(['xlsx', 'csv']).default('xlsx') }),
        },
      },
      async (request, reply) => {
        const file = await service.template(request.params.campaignId, request.query.layout, request.query.format, resolveActor(request));
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', attachment(file.filename))
          .send(file.body);
      },
    );

    app.get(
      '/campaigns/:campaignId/survey/points',
      {
        config: { access: 'survey.read' },
        schema: {
          summary: 'Điểm điều tra từng đơn vị tính từ dữ liệu đã nhập / Survey points per unit computed from the imported answers',
          tags: ['survey'],
          headers: authHeaders,
          params,
          querystring: z.object({
            min_valid_answers: z.coerce.number().int().min(0).max(1_000_000).optional().meta({
              description: 'Số câu trả lời hợp lệ tối thiểu mỗi câu hỏi; ít hơn thì đơn vị bị đánh dấu (mặc định 30) / minimum valid answers per question before a unit is flagged',
            }),
          }),
          response: { 200: pointsReportWire, ...readErrors },
        },
      },
      async (request) => pointsReportToWire(await service.points(request.params.campaignId, resolveActor(request), request.query.min_valid_answers)),
    );

    app.post(
      '/campaigns/:campaignId/survey/points/submit',
      {
        config: { access: 'survey.results' },
        schema: {
          summary: 'Viện nộp điểm điều tra đã tính cho quy trình điều tra / The institute submits the computed survey points',
          tags: ['survey'],
          headers: stepHeaders,
          params,
          body: z.strictObject({}).nullish(),
          response: { 200: pointsSubmissionWire, ...stepErrorResponses },
        },
      },
      async (request) => pointsSubmissionToWire(await service.submit(request.params.campaignId, stepContext(request))),
    );
  };
}
