import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authHeaders, resolveActor } from '../actor';
import { stepErrorResponses } from '../schemas';
import type { CampaignAt, StepContext } from '../../application/services/steps';
import type { StepRoute, TakeStep } from './step-table';

/**
 * What every step route shares: the caller's headers (the bearer token, and an
 * optional Idempotency-Key that makes a retried request the same workflow
 * update), the StepContext handed to the service, and the registration of the
 * declared steps (./step-table.ts). The caller is verified, and a role that
 * never holds the route's permission refused, by the auth hook
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

/** How a workflow's steps answer: its progress after the step, in the wire's spelling. */
export interface StepAnswer<Ret> {
  schema: z.ZodType;
  toWire(progress: Ret): unknown;
}

/**
 * Registers each declared step as its route: the declared access, schemas and
 * summary, and the run of its call by `service`, the step service of the
 * step's workflow (read when a request comes, as every route reads its service).
 */
export function registerSteps<At extends CampaignAt, Ret>(
  app: FastifyInstance,
  steps: readonly StepRoute<At, Ret>[],
  service: { take: TakeStep<At> },
  answer: StepAnswer<Ret>,
): void {
  for (const step of steps) {
    app.withTypeProvider<ZodTypeProvider>().route({
      method: step.method,
      url: step.path,
      config: { access: step.access },
      schema: {
        summary: step.summary,
        ...(step.description === undefined ? {} : { description: step.description }),
        tags: step.tags,
        headers: stepHeaders,
        params: step.params,
        body: step.body,
        response: { 200: answer.schema, ...stepErrorResponses },
      },
      handler: async (request) => answer.toWire(await step.run(service.take, request.params as At, request.body, stepContext(request))),
    });
  }
}
