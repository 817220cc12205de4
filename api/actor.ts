import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLES, type Actor, type Role } from '../domain/actors';
import { UnauthorizedError } from './errors';

/*
 * INTERIM: who the caller is, read from request headers that the caller sets
 * itself. It trusts those headers, so it is fit for development, demos and
 * tests only; issue 6 replaces this module with JWT bearer tokens (users with
 * roles, a unit or a contributor's department bound to the account). Routes use
 * only `actorHeaders` and `resolveActor`, so that swap happens here alone.
 */

const UNIT_CODE = /^[A-Z0-9_]{1,40}$/;

/** The headers, declared so the OpenAPI page shows them (and lets one try a step as any role). */
export const actorHeaders = z.looseObject({
  'x-actor-role': z.string().optional().meta({ description: `Vai trò / role (tạm thời, thay bằng JWT ở issue 6): ${ROLES.join(', ')}` }),
  'x-actor-unit': z.string().optional().meta({ description: 'Mã đơn vị của người dùng / the caller’s unit code, e.g. STP' }),
  'x-actor-id': z.string().optional().meta({ description: 'Tên đăng nhập / user id (default anonymous)' }),
});

function headerValue(request: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() || undefined;
}

/** The caller as the workflows see it; throws 401 when no valid role is given. */
export function resolveActor(request: Pick<FastifyRequest, 'headers'>): Actor {
  const role = headerValue(request, 'x-actor-role');
  if (!role || !(ROLES as readonly string[]).includes(role)) {
    throw new UnauthorizedError(
      'unauthenticated',
      `Chưa xác định người dùng: cần header x-actor-role là một trong ${ROLES.join(', ')}`,
      `No caller: the x-actor-role header must be one of ${ROLES.join(', ')}`,
    );
  }
  const unitCode = headerValue(request, 'x-actor-unit');
  if (unitCode !== undefined && !UNIT_CODE.test(unitCode)) {
    throw new UnauthorizedError(
      'unauthenticated',
      'Mã đơn vị trong header x-actor-unit không hợp lệ (A-Z, 0-9, _)',
      'The x-actor-unit header is not a unit code (A-Z, 0-9, _)',
    );
  }
  const id = headerValue(request, 'x-actor-id') ?? 'anonymous';
  return { id: id.slice(0, 200), role: role as Role, ...(unitCode ? { unitCode } : {}) };
}
