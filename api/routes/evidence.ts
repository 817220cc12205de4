import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toVietnamIso } from '../../domain/deadlines';
import type { EvidenceRow } from '../../application/views';
import { authHeaders, resolveActor } from '../actor';
import { campaignIdSchema, errorResponseSchema, unitCodeSchema } from '../schemas';
import type { EvidenceService, EvidenceStorage } from '../../application/services/evidence';
import { attachment } from '../../http/attachment';

const evidenceResponse = z.object({
  id: z.uuid(),
  /** What a step's evidence `ref` (domain/steps.ts) carries to point at this file. */
  ref: z.string(),
  name: z.string(),
  size_bytes: z.number(),
  sha256: z.string(),
  mime_type: z.string(),
});
const evidenceListItem = evidenceResponse.extend({ uploaded_by: z.string(), uploaded_at: z.string() });

const toResponse = (row: EvidenceRow) => ({
  id: row.id,
  ref: `evidence:${row.id}`,
  name: row.fileName,
  size_bytes: row.sizeBytes,
  sha256: row.sha256,
  mime_type: row.mimeType,
});

/**
 * For the OpenAPI document only: the multipart parser streams the file and leaves `request.body`
 * unset, which this schema accepts; the service reads the file through request.file().
 */
const uploadBody = z
  .object({ file: z.any().meta({ type: 'string', format: 'binary', description: 'Một tệp / one file' }) })
  .nullish();

const unitParams = z.object({ campaignId: campaignIdSchema, unitCode: unitCodeSchema });
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

/** Evidence files: upload by the unit (or Sở Nội vụ), list and download like the unit's data. */
export function evidenceRoutes(service: EvidenceService, storage: Pick<EvidenceStorage, 'maxBytes'>): FastifyPluginAsyncZod {
  return async (app) => {
    // Registered here, so multipart bodies are parsed on these routes only; the file is streamed, never buffered.
    await app.register(fastifyMultipart, { limits: { fileSize: storage.maxBytes, files: 1, fields: 10, parts: 11 }, throwFileSizeLimit: false });

    app.post(
      '/campaigns/:campaignId/units/:unitCode/evidence',
      {
        config: { access: 'evidence.upload' },
        schema: {
          summary: 'Tải lên tài liệu kiểm chứng (multipart, một tệp: PDF, ảnh PNG/JPEG, Word, Excel, ZIP) / Upload an evidence file',
          description:
            'Gửi multipart/form-data với đúng một tệp. Trả về `ref` (evidence:<id>) để dùng trong minh chứng của bước tự đánh giá. / Send multipart/form-data with one file; use the returned `ref` as a step’s evidence ref.',
          tags: ['evidence'],
          consumes: ['multipart/form-data'],
          headers: authHeaders,
          params: unitParams,
          body: uploadBody,
          response: { 201: evidenceResponse, ...errors, 409: errorResponseSchema, 413: errorResponseSchema, 415: errorResponseSchema },
        },
      },
      async (request, reply) => {
        const row = await service.upload(resolveActor(request), request.params, async () => {
          const part = await request.file();
          return part && { filename: part.filename, mimetype: part.mimetype, stream: part.file };
        });
        return reply.code(201).send(toResponse(row));
      },
    );

    app.get(
      '/campaigns/:campaignId/units/:unitCode/evidence',
      {
        config: { access: 'evidence.read' },
        schema: {
          summary: 'Tài liệu kiểm chứng của một đơn vị / A unit’s evidence files',
          tags: ['evidence'],
          headers: authHeaders,
          params: unitParams,
          response: { 200: z.array(evidenceListItem), ...errors },
        },
      },
      async (request) =>
        (await service.list(resolveActor(request), request.params)).map((row) => ({
          ...toResponse(row),
          uploaded_by: row.uploadedBy,
          uploaded_at: toVietnamIso(row.uploadedAt.getTime()),
        })),
    );

    app.get(
      '/evidence/:id',
      {
        config: { access: 'evidence.read' },
        schema: {
          summary: 'Tải xuống một tài liệu kiểm chứng / Download an evidence file',
          tags: ['evidence'],
          headers: authHeaders,
          params: z.object({ id: z.uuid() }),
        },
      },
      async (request, reply) => {
        const { row, stream } = await service.download(resolveActor(request), request.params.id);
        return reply
          .type(row.mimeType)
          .header('content-length', row.sizeBytes)
          .header('content-disposition', attachment(row.fileName))
          .header('x-content-sha256', row.sha256)
          .header('cache-control', 'private, no-store')
          .send(stream);
      },
    );
  };
}
