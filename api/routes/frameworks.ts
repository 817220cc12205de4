import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toVietnamIso } from '../../domain/deadlines';
import { authHeaders, resolveActor } from '../actor';
import { errorResponseSchema, frameworkCodeSchema, positiveIntParam } from '../schemas';
import type { FrameworkService } from '../../application/services/frameworks';
import type { StoredFramework } from '../../application/views';
import { attachment } from '../../http/attachment';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const storedSchema = z.object({
  code: z.string(),
  version: z.number(),
  title_vi: z.string(),
  checksum: z.string(),
  imported_by: z.string(),
  imported_at: z.string(),
});
const importedSchema = storedSchema.extend({ created: z.boolean() });
const codeParams = z.object({ code: frameworkCodeSchema });
const versionQuery = z.object({ version: positiveIntParam().optional() });
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

function present(stored: StoredFramework) {
  return {
    code: stored.code,
    version: stored.version,
    title_vi: stored.titleVi,
    checksum: stored.checksum,
    imported_by: stored.importedBy,
    imported_at: toVietnamIso(stored.importedAt.getTime()),
  };
}

/**
 * The criteria framework library (bộ tiêu chí): import as JSON or as an Excel
 * workbook in the layout of formats/README.md, list versions, export, and the
 * empty template. A framework with any mistake is refused whole with every
 * mistake and its place.
 */
export function frameworkRoutes(service: FrameworkService): FastifyPluginAsyncZod {
  return async (app) => {
    // Scoped to these routes: an uploaded workbook arrives as the raw request body.
    app.addContentTypeParser(XLSX, { parseAs: 'buffer', bodyLimit: 10 * 1024 * 1024 }, (_request, body, done) => done(null, body));

    app.post(
      '/frameworks',
      {
        config: { access: 'framework.import' },
        schema: {
          summary: 'Nhập bộ tiêu chí từ JSON hoặc tệp Excel / Import a framework as JSON or an Excel workbook',
          description: `JSON: the framework document. Excel: send the workbook as the body with Content-Type ${XLSX}.`,
          tags: ['frameworks'],
          headers: authHeaders,
          body: z.union([z.record(z.string(), z.unknown()), z.instanceof(Buffer)]),
          response: { 200: importedSchema, 201: importedSchema, ...errors },
        },
      },
      async (request, reply) => {
        const actor = resolveActor(request);
        const stored = Buffer.isBuffer(request.body)
          ? await service.importWorkbook(new Uint8Array(request.body), actor)
          : await service.importJson(request.body, actor);
        return reply.code(stored.created ? 201 : 200).send({ ...present(stored), created: stored.created });
      },
    );

    app.get(
      '/frameworks',
      { config: { access: 'framework.read' }, schema: { summary: 'Các bộ tiêu chí và phiên bản / Frameworks and versions', tags: ['frameworks'], response: { 200: z.array(storedSchema) } } },
      async () => (await service.list()).map(present),
    );

    app.get(
      '/frameworks/template.xlsx',
      { config: { access: 'framework.read' }, schema: { summary: 'Tệp Excel mẫu để nhập bộ tiêu chí / The Excel template', tags: ['frameworks'] } },
      async (_request, reply) =>
        reply.type(XLSX).header('content-disposition', attachment('mau-bo-tieu-chi.xlsx')).send(Buffer.from(await service.template())),
    );

    app.get(
      '/frameworks/:code',
      {
        config: { access: 'framework.read' },
        schema: {
          summary: 'Một bộ tiêu chí (mới nhất hoặc theo phiên bản) / One framework, latest or a given version',
          tags: ['frameworks'],
          params: codeParams,
          querystring: versionQuery,
          response: { 200: storedSchema.extend({ document: z.record(z.string(), z.unknown()) }), ...errors },
        },
      },
      async (request) => {
        const found = await service.get(request.params.code, request.query.version);
        return { ...present(found), document: found.document as unknown as Record<string, unknown> };
      },
    );

    app.get(
      '/frameworks/:code/export.xlsx',
      {
        config: { access: 'framework.read' },
        schema: {
          summary: 'Xuất bộ tiêu chí ra Excel / Export a framework as an Excel workbook',
          tags: ['frameworks'],
          params: codeParams,
          querystring: versionQuery,
        },
      },
      async (request, reply) => {
        const { stored, bytes } = await service.exportWorkbook(request.params.code, request.query.version);
        return reply
          .type(XLSX)
          .header('content-disposition', attachment(`bo-tieu-chi-${stored.code}-v${stored.version}.xlsx`))
          .send(Buffer.from(bytes));
      },
    );
  };
}
