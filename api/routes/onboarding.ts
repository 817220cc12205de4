import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { codeText } from '../../domain/text';
import { authHeaders, resolveActor } from '../actor';
import { attachment } from '../../http/attachment';
import { ValidationError } from '../../application/errors';
import { issue } from '../../domain/issues';
import { errorResponseSchema } from '../schemas';
import type { OnboardingService } from '../../application/services/onboarding';
import type { Changes } from '../../domain/onboarding';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A province's workbook with some thousands of rows is well under this. */
const MAX_WORKBOOK_BYTES = 10 * 1024 * 1024;

const changesSchema = z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  unchanged: z.number(),
  /** Stored but not in the workbook: reported, never disabled. */
  absent: z.array(z.string()),
});

const importResponse = z.object({
  /** false: the workbook matched what is stored, and nothing was written. */
  changed: z.boolean(),
  message_vi: z.string(),
  message_en: z.string(),
  groups: z.object({ created: z.array(z.string()), updated: z.array(z.string()) }),
  organisations: changesSchema,
  units: changesSchema,
  accounts: changesSchema.extend({ disabled_listed: z.array(z.string()) }),
  /** The new accounts' one-time passwords as an Excel file (base64), answered this once and never stored. */
  credentials: z.object({ file_name: z.string(), content_type: z.string(), count: z.number(), content_base64: z.string() }).nullable(),
});

const uploadBody = z
  .object({ file: z.any().meta({ type: 'string', format: 'binary', description: 'Tệp Excel (.xlsx) / the workbook' }) })
  .nullish();

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 413: errorResponseSchema };

function summary<T>(changes: Changes<T>, keyOf: (row: T) => string) {
  return { created: changes.create.map(keyOf), updated: changes.update.map(keyOf), unchanged: changes.unchanged, absent: changes.absent };
}

function noFile(): ValidationError {
  return new ValidationError(
    [issue(['body', 'file'], 'file_required', 'Gửi đúng một tệp Excel (.xlsx) trong trường file', 'Send one Excel (.xlsx) file in the field file')],
    'Thiếu tệp Excel',
    'The Excel file is missing',
  );
}

/**
 * Onboarding (application/services/onboarding.ts): the workbook template, the import of
 * organisations, units and accounts, and the province's units it stored.
 */
export function onboardingRoutes(service: OnboardingService): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(fastifyMultipart, { limits: { fileSize: MAX_WORKBOOK_BYTES, files: 1, fields: 5, parts: 6 }, throwFileSizeLimit: true });

    app.get(
      '/onboarding/template.xlsx',
      {
        config: { access: 'onboarding.import' },
        schema: {
          summary: 'Tệp Excel mẫu: tổ chức, đơn vị, tài khoản / The onboarding workbook template',
          tags: ['onboarding'],
          headers: authHeaders,
        },
      },
      async (request, reply) => {
        resolveActor(request);
        return reply.type(XLSX).header('content-disposition', attachment('mau-to-chuc-don-vi-tai-khoan.xlsx')).send(Buffer.from(await service.template()));
      },
    );

    app.post(
      '/onboarding/import',
      {
        config: { access: 'onboarding.import' },
        schema: {
          summary: 'Nhập tổ chức, đơn vị và tài khoản từ tệp Excel / Import organisations, units and accounts from the workbook',
          description:
            'multipart/form-data, một tệp .xlsx. Kiểm tra tất cả trước; có lỗi thì trả 400 nêu trang, dòng, cột và không lưu gì. / One .xlsx file; every problem answers 400 with its sheet, row and column, and nothing is stored.',
          tags: ['onboarding'],
          consumes: ['multipart/form-data'],
          headers: authHeaders,
          body: uploadBody,
          response: { 200: importResponse, ...errors },
        },
      },
      async (request) => {
        const actor = resolveActor(request);
        const part = request.isMultipart() ? await request.file() : undefined;
        if (!part) throw noFile();
        const bytes = new Uint8Array(await part.toBuffer());
        const { plan, credentials } = await service.importWorkbook(actor, bytes);
        const changed =
          plan.groups.create.length + plan.groups.update.length > 0 ||
          [plan.organisations, plan.units, plan.accounts].some((changes) => changes.create.length + changes.update.length > 0);
        const byCode = (row: { code: string }) => row.code;
        return {
          changed,
          message_vi: changed ? 'Đã lưu các thay đổi của tệp' : 'Tệp trùng với dữ liệu đã lưu: không có gì thay đổi',
          message_en: changed ? 'The workbook’s changes are stored' : 'The workbook matches what is stored: nothing changed',
          groups: { created: plan.groups.create.map(byCode), updated: plan.groups.update.map(byCode) },
          organisations: summary(plan.organisations, byCode),
          units: summary(plan.units, byCode),
          accounts: { ...summary(plan.accounts, (row) => row.username), disabled_listed: plan.accounts.disabledListed },
          credentials: credentials && {
            file_name: credentials.fileName,
            content_type: XLSX,
            count: credentials.count,
            content_base64: Buffer.from(credentials.bytes).toString('base64'),
          },
        };
      },
    );

    app.get(
      '/units',
      {
        config: { access: 'units.read' },
        schema: {
          summary: 'Các đơn vị được đánh giá của tỉnh (đã nhập), theo nhóm / The province’s assessed units, by group',
          tags: ['onboarding'],
          headers: authHeaders,
          querystring: z.object({ group: codeText().optional() }),
          response: {
            200: z.array(z.object({ code: z.string(), name_vi: z.string(), group: z.string(), group_name_vi: z.string() })),
            401: errorResponseSchema,
            403: errorResponseSchema,
          },
        },
      },
      async (request) =>
        (await service.listUnits(resolveActor(request), { groupCode: request.query.group })).map((row) => ({
          code: row.code,
          name_vi: row.nameVi,
          group: row.groupCode,
          group_name_vi: row.groupNameVi,
        })),
    );
  };
}
