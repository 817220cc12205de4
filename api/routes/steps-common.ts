import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authHeaders, resolveActor } from '../actor';
import type { StepContext } from '../../application/services/steps';

/**
 * What every step route shares: the caller's headers (the bearer token, and an
 * optional Idempotency-Key that makes a retried request the same workflow
 * update) and the StepContext handed to the service. The caller is verified,
 * and a role that never holds the route's permission refused, by the auth hook
 * (http/auth/plugin.ts) before the body is checked.
 */

export const stepHeaders = z.looseObject({
  ...authHeaders.shape,
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, '1-200 visible ASCII characters')
    .optional()
    .meta({
      description:
        'Khóa chống lặp: gửi lại cùng khóa thì nhận lại kết quả cũ, không thực hiện hai lần / a retry with the same key returns the first result and does not apply the step twice',
    }),
});

export function stepContext(request: FastifyRequest): StepContext {
  const key = request.headers['idempotency-key'];
  return { actor: resolveActor(request), ...(typeof key === 'string' && key ? { idempotencyKey: key } : {}) };
}
