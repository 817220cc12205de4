import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toVietnamIso } from '../../domain/deadlines';
import { ORGANISATION_KIND_LABEL_VI, ORGANISATION_KINDS, type Organisation } from '../../domain/organisations';
import { nameText } from '../../domain/text';
import type { OrganisationAuditRow, OrganisationRow } from '../../application/views';
import { authHeaders, resolveActor } from '../actor';
import { errorResponseSchema, unitCodeSchema } from '../schemas';
import type { OrganisationService } from '../../application/services/organisations';

const kindSchema = z.enum(ORGANISATION_KINDS);
const nameSchema = nameText({ max: 300 });

const organisationFields = z.object({
  code: z.string(),
  name_vi: z.string(),
  kind: kindSchema,
  /** The kind as a Vietnamese reader calls it ("Sở, ban, ngành"). */
  kind_label_vi: z.string(),
  disabled: z.boolean(),
});

const organisationResponse = organisationFields.extend({ created_at: z.string(), updated_at: z.string() });

const auditResponse = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.enum(['created', 'updated', 'disabled', 'enabled']),
  code: z.string(),
  before: organisationFields.nullable(),
  after: organisationFields.nullable(),
});

const toFields = (row: Organisation) => ({
  code: row.code,
  name_vi: row.nameVi,
  kind: row.kind,
  kind_label_vi: ORGANISATION_KIND_LABEL_VI[row.kind] ?? row.kind,
  disabled: row.disabled,
});

const toOrganisation = (row: OrganisationRow) => ({
  ...toFields(row),
  created_at: toVietnamIso(row.createdAt.getTime()),
  updated_at: toVietnamIso(row.updatedAt.getTime()),
});

const toAudit = (row: OrganisationAuditRow) => ({
  id: row.id,
  at: toVietnamIso(row.at.getTime()),
  actor: row.actor,
  action: row.action,
  code: row.code,
  before: row.before ? toFields(row.before) : null,
  after: row.after ? toFields(row.after) : null,
});

const booleanText = z.enum(['true', 'false']).transform((value) => value === 'true');
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };

/**
 * The organisation directory (application/services/organisations.ts): staff list it;
 * Sở Nội vụ's admin adds, changes and disables organisations, and reads the
 * change log.
 */
export function organisationRoutes(service: OrganisationService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/organisations',
      {
        config: { access: 'organisations.read' },
        schema: {
          summary: 'Danh mục cơ quan (theo tên) / The organisation directory (by name)',
          tags: ['organisations'],
          headers: authHeaders,
          querystring: z.object({ kind: kindSchema.optional(), include_disabled: booleanText.optional() }),
          response: { 200: z.array(organisationResponse), ...errors },
        },
      },
      async (request) => {
        const rows = await service.list(resolveActor(request), { kind: request.query.kind, includeDisabled: request.query.include_disabled ?? false });
        return rows.map(toOrganisation);
      },
    );

    app.post(
      '/organisations',
      {
        config: { access: 'organisations.manage' },
        schema: {
          summary: 'Thêm cơ quan vào danh mục / Add an organisation to the directory',
          tags: ['organisations'],
          headers: authHeaders,
          body: z.object({ code: unitCodeSchema, name_vi: nameSchema, kind: kindSchema }),
          response: { 201: organisationResponse, ...errors },
        },
      },
      async (request, reply) => {
        const { code, name_vi: nameVi, kind } = request.body;
        return reply.code(201).send(toOrganisation(await service.create(resolveActor(request), { code, nameVi, kind })));
      },
    );

    app.get(
      '/organisations/audit',
      {
        config: { access: 'organisations.manage' },
        schema: {
          summary: 'Nhật ký thay đổi danh mục cơ quan (mới nhất trước) / The directory’s change log (newest first)',
          tags: ['organisations'],
          headers: authHeaders,
          querystring: z.object({ code: unitCodeSchema.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
          response: { 200: z.array(auditResponse), ...errors },
        },
      },
      async (request) => (await service.auditLog(resolveActor(request), request.query)).map(toAudit),
    );

    app.patch(
      '/organisations/:code',
      {
        config: { access: 'organisations.manage' },
        schema: {
          summary: 'Sửa tên, loại, hoặc ngừng/mở lại một cơ quan (không xóa) / Change the name or kind, or disable/enable an organisation (never deleted)',
          tags: ['organisations'],
          headers: authHeaders,
          params: z.object({ code: unitCodeSchema }),
          body: z
            .object({ name_vi: nameSchema.optional(), kind: kindSchema.optional(), disabled: z.boolean().optional() })
            .refine((body) => Object.values(body).some((value) => value !== undefined), 'name at least one of name_vi, kind, disabled'),
          response: { 200: organisationResponse, ...errors },
        },
      },
      async (request) => {
        const body = request.body;
        const row = await service.update(resolveActor(request), request.params.code, {
          ...(body.name_vi !== undefined ? { nameVi: body.name_vi } : {}),
          ...(body.kind !== undefined ? { kind: body.kind } : {}),
          ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
        });
        return toOrganisation(row);
      },
    );
  };
}
