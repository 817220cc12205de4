import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorHeaders, resolveActor } from '../actor';
import type { StepContext } from '../services/steps';

/**
 * What every step route shares: the caller's headers (the actor, and an
 * optional Idempotency-Key that makes a retried request the same workflow
 * update), a hook that refuses an unknown caller before the body is checked,
 * and the StepContext handed to the service.
 */

export const stepHeaders = z.looseObject({
  ...actorHeaders.shape,
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, '1-200 visible ASCII characters')
    .optional()
    .meta({
      description:
        'Khóa chống lặp: gửi lại cùng khóa thì nhận lại kết quả cũ, không thực hiện hai lần / a retry with the same key returns the first result and does not apply the step twice',
    }),
});

/** onRequest: 401 for an unknown caller comes before any 400 about the request. */
export async function requireCaller(request: FastifyRequest): Promise<void> {
  resolveActor(request);
}

export function stepContext(request: FastifyRequest): StepContext {
  const key = request.headers['idempotency-key'];
  return { actor: resolveActor(request), ...(typeof key === 'string' && key ? { idempotencyKey: key } : {}) };
}
