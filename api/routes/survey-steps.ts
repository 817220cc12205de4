import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authHeaders, resolveActor } from '../actor';
import { surveyProgressToWire, surveyProgressWire } from '../wire/survey';
import { errorResponseSchema } from '../schemas';
import type { StepService } from '../../application/services/steps';
import { campaignParams, SURVEY_STEPS } from './step-table';
import { registerSteps } from './steps-common';

/** The survey track's steps (workflow ID = par-2019-hn/survey), declared in ./step-table.ts, and its live progress. */
export function surveyStepRoutes(steps: StepService['survey']): FastifyPluginAsyncZod {
  return async (app) => {
    registerSteps(app, SURVEY_STEPS, steps, { schema: surveyProgressWire, toWire: surveyProgressToWire });

    app.get(
      '/campaigns/:campaignId/survey',
      {
        config: { access: 'survey.read' },
        schema: {
          summary: 'Tiến độ trực tiếp của điều tra xã hội học / Live progress of the survey track',
          tags: ['survey'],
          headers: authHeaders,
          params: campaignParams,
          response: { 200: surveyProgressWire, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
        },
      },
      async (request) => surveyProgressToWire(await steps.progress(request.params.campaignId, resolveActor(request))),
    );
  };
}
