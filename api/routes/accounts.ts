import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../domain/actors';
import { emailText, nameText, usernameText } from '../../domain/text';
import { toVietnamIso } from '../../domain/deadlines';
import type { AccountFields, AccountRow, AuditRow } from '../../application/views';
import { authHeaders, resolveActor } from '../actor';
import { errorResponseSchema, unitCodeSchema } from '../schemas';
import type { AccountService, IssuedCredential } from '../../application/services/accounts';

export const usernameSchema = usernameText();

const fullNameSchema = nameText({ max: 200 });
const emailSchema = emailText();

const fields = {
  full_name: fullNameSchema,
  email: emailSchema.nullable().optional(),
  role: z.enum(ROLES),
  unit_code: unitCodeSchema.nullable().optional(),
  /** The organisation of the directory (GET /organisations) the account belongs to, instead of a unit. */
  organisation_code: unitCodeSchema.nullable().optional(),
};

const accountResponse = z.object({
  username: z.string(),
  full_name: z.string(),
  email: z.string().nullable(),
  role: z.enum(ROLES),
  unit_code: z.string().nullable(),
  organisation_code: z.string().nullable(),
  active: z.boolean(),
  /** Failed logins have locked the account until then (it unlocks by itself; a password reset unlocks it at once). */
  locked_until: z.string().nullable(),
  /** The account still has a one-time password (new or reset) not yet replaced by its own. */
  one_time_password_pending: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

const credentialResponse = z.object({
  account: accountResponse,
  /** Shown this once: only its hash is stored. */
  one_time_password: z.string(),
  one_time_password_expires_at: z.string(),
});

const auditFields = z.object({
  username: z.string(),
  full_name: z.string(),
  email: z.string().nullable(),
  role: z.string(),
  unit_code: z.string().nullable(),
  organisation_code: z.string().nullable(),
  active: z.boolean(),
});

const auditResponse = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.enum(['created', 'updated', 'disabled', 'enabled', 'password_reset', 'password_changed']),
  username: z.string(),
  before: auditFields.nullable(),
  after: auditFields.nullable(),
});

const iso = (date: Date | null) => (date ? toVietnamIso(date.getTime()) : null);

const toAccount = (row: AccountRow, now: number) => ({
  ...toAuditFields(row),
  locked_until: row.lockedUntil && row.lockedUntil.getTime() > now ? iso(row.lockedUntil) : null,
  one_time_password_pending: row.oneTimeExpiresAt !== null,
  created_at: toVietnamIso(row.createdAt.getTime()),
  updated_at: toVietnamIso(row.updatedAt.getTime()),
});

function toAuditFields(row: AccountFields) {
  return {
    username: row.username,
    full_name: row.displayName,
    email: row.email,
    role: row.role,
    unit_code: row.unitCode,
    organisation_code: row.organisationCode ?? null,
    active: row.active,
  };
}

const toCredential = (issued: IssuedCredential) => ({
  account: toAccount(issued.account, Date.now()),
  one_time_password: issued.oneTimePassword,
  one_time_password_expires_at: toVietnamIso(issued.expiresAt.getTime()),
});

const toAudit = (row: AuditRow) => ({
  id: row.id,
  at: toVietnamIso(row.at.getTime()),
  actor: row.actor,
  action: row.action,
  username: row.username,
  before: row.before ? toAuditFields(row.before) : null,
  after: row.after ? toAuditFields(row.after) : null,
});

const usernameParams = z.object({ username: usernameSchema });
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const access = { access: 'accounts.manage' as const };

/**
 * Accounts for Sở Nội vụ's admin (application/services/accounts.ts): list, create,
 * change, disable/enable, reset a password, and the audit log of all of it.
 */
export function accountRoutes(service: AccountService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/accounts',
      {
        config: access,
        schema: {
          summary: 'Danh sách tài khoản, lọc theo đơn vị và vai trò / Accounts, filtered by unit and role',
          tags: ['accounts'],
          headers: authHeaders,
          querystring: z.object({ unit_code: unitCodeSchema.optional(), organisation_code: unitCodeSchema.optional(), role: z.enum(ROLES).optional() }),
          response: { 200: z.array(accountResponse), ...errors },
        },
      },
      async (request) => {
        const rows = await service.list(resolveActor(request), { unitCode: request.query.unit_code, organisationCode: request.query.organisation_code, role: request.query.role });
        const now = Date.now();
        return rows.map((row) => toAccount(row, now));
      },
    );

    app.post(
      '/accounts',
      {
        config: access,
        schema: {
          summary: 'Tạo tài khoản; trả về mật khẩu dùng một lần (chỉ một lần) / Create an account; answers its one-time password (once)',
          tags: ['accounts'],
          headers: authHeaders,
          body: z.object({ username: usernameSchema, ...fields }),
          response: { 201: credentialResponse, ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const issued = await service.create(resolveActor(request), {
          username: body.username,
          displayName: body.full_name,
          email: body.email ?? null,
          role: body.role,
          unitCode: body.unit_code ?? null,
          organisationCode: body.organisation_code ?? null,
        });
        return reply.code(201).send(toCredential(issued));
      },
    );

    app.get(
      '/accounts/audit',
      {
        config: access,
        schema: {
          summary: 'Nhật ký thay đổi tài khoản (mới nhất trước) / The account change log (newest first)',
          tags: ['accounts'],
          headers: authHeaders,
          querystring: z.object({ username: usernameSchema.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
          response: { 200: z.array(auditResponse), ...errors },
        },
      },
      async (request) => (await service.auditLog(resolveActor(request), request.query)).map(toAudit),
    );

    app.patch(
      '/accounts/:username',
      {
        config: access,
        schema: {
          summary: 'Sửa họ tên, thư điện tử, vai trò, đơn vị hoặc cơ quan / Change the full name, e-mail, role, unit or organisation',
          tags: ['accounts'],
          headers: authHeaders,
          params: usernameParams,
          body: z
            .object({
              full_name: fullNameSchema.optional(),
              email: fields.email,
              role: fields.role.optional(),
              unit_code: fields.unit_code,
              organisation_code: fields.organisation_code,
            })
            .refine((body) => Object.values(body).some((value) => value !== undefined), 'name at least one of full_name, email, role, unit_code, organisation_code'),
          response: { 200: accountResponse, ...errors },
        },
      },
      async (request) => {
        const body = request.body;
        const row = await service.update(resolveActor(request), request.params.username, {
          ...(body.full_name !== undefined ? { displayName: body.full_name } : {}),
          ...(body.email !== undefined ? { email: body.email } : {}),
          ...(body.role !== undefined ? { role: body.role } : {}),
          ...(body.unit_code !== undefined ? { unitCode: body.unit_code } : {}),
          ...(body.organisation_code !== undefined ? { organisationCode: body.organisation_code } : {}),
        });
        return toAccount(row, Date.now());
      },
    );

    for (const [action, active] of [['disable', false], ['enable', true]] as const) {
      app.post(
        `/accounts/:username/${action}`,
        {
          config: access,
          schema: {
            summary: active
              ? 'Mở lại tài khoản đã khóa / Enable a disabled account'
              : 'Khóa tài khoản (không xóa); mọi phiên đăng nhập của nó chấm dứt / Disable an account (never deleted); all its sessions end',
            tags: ['accounts'],
            headers: authHeaders,
            params: usernameParams,
            response: { 200: accountResponse, ...errors },
          },
        },
        async (request) => toAccount(await service.setActive(resolveActor(request), request.params.username, active), Date.now()),
      );
    }

    app.post(
      '/accounts/:username/reset-password',
      {
        config: access,
        schema: {
          summary: 'Cấp lại mật khẩu dùng một lần (chỉ trả về một lần) / Reset to a one-time password (answered once)',
          tags: ['accounts'],
          headers: authHeaders,
          params: usernameParams,
          response: { 200: credentialResponse, ...errors },
        },
      },
      async (request) => toCredential(await service.resetPassword(resolveActor(request), request.params.username)),
    );
  };
}
