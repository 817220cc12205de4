import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authHeaders, resolveActor } from '../actor';
import { unitProgressToWire, unitProgressWire } from '../wire/unit';
import { errorResponseSchema } from '../schemas';
import type { StepService } from '../../application/services/steps';
import { UNIT_STEPS, unitParams } from './step-table';
import { registerSteps } from './steps-common';

/**
 * The steps of one unit's workflow (ID = par-2019-hn/unit-STP), declared in
 * ./step-table.ts, and its live progress. The unit workflows exist once the
 * guidance is published.
 */
export function unitStepRoutes(steps: StepService['unit']): FastifyPluginAsyncZod {
  return async (app) => {
    registerSteps(app, UNIT_STEPS, steps, { schema: unitProgressWire, toWire: unitProgressToWire });

    app.get(
      '/campaigns/:campaignId/units/:unitCode/progress',
      {
        config: { access: 'unit.read' },
        schema: {
          summary: 'Tiến độ trực tiếp của một đơn vị / Live progress of one unit, from its workflow',
          description: 'Đơn vị chỉ xem đơn vị mình cho đến khi công bố / a unit reads only its own until publication',
          tags: ['units'],
          headers: authHeaders,
          params: unitParams,
          response: { 200: unitProgressWire, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
        },
      },
      async (request) => unitProgressToWire(await steps.progress(request.params.campaignId, request.params.unitCode, resolveActor(request))),
    );
  };
}
