import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { surveyPlanReviewSchema, surveyPlanSchema } from '../../domain/steps';
import { authHeaders, resolveActor } from '../actor';
import { surveyProgressToWire, surveyProgressWire, surveyResultsFromWire, surveyResultsWire } from '../wire/survey';
import { campaignIdSchema, errorResponseSchema, stepErrorResponses } from '../schemas';
import type { StepService } from '../../application/services/steps';
import { stepContext, stepHeaders } from './steps-common';

const params = z.object({ campaignId: campaignIdSchema });
const response = { 200: surveyProgressWire, ...stepErrorResponses };
/** Opening and closing fieldwork carry nothing but the caller; an empty object or no body at all (Fastify then passes null). */
const emptyBody = z.strictObject({}).nullish();

/** The survey track's steps (workflow ID = par-2019-hn/survey) and its live progress. */
export function surveyStepRoutes(steps: StepService['survey']): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/campaigns/:campaignId/survey/plan',
      {
        config: { access: 'survey.plan' },
        schema: {
          summary: 'Viện nộp kế hoạch điều tra xã hội học / The institute submits the survey plan',
          tags: ['survey'],
          headers: stepHeaders,
          params,
          body: surveyPlanSchema,
          response,
        },
      },
      async (request) => surveyProgressToWire(await steps.submitPlan(request.params.campaignId, request.body, stepContext(request))),
    );

    app.post(
      '/campaigns/:campaignId/survey/plan/review',
      {
        config: { access: 'survey.review' },
        schema: {
          summary: 'Sở Nội vụ duyệt hoặc trả lại kế hoạch điều tra / Sở Nội vụ approves or returns the survey plan',
          tags: ['survey'],
          headers: stepHeaders,
          params,
          body: surveyPlanReviewSchema,
          response,
        },
      },
      async (request) => surveyProgressToWire(await steps.reviewPlan(request.params.campaignId, request.body, stepContext(request))),
    );

    app.post(
      '/campaigns/:campaignId/survey/fieldwork/open',
      {
        config: { access: 'survey.fieldwork' },
        schema: {
          summary: 'Bắt đầu khảo sát thực địa / Open the survey fieldwork',
          tags: ['survey'],
          headers: stepHeaders,
          params,
          body: emptyBody,
          response,
        },
      },
      async (request) => surveyProgressToWire(await steps.openFieldwork(request.params.campaignId, stepContext(request))),
    );

    app.post(
      '/campaigns/:campaignId/survey/fieldwork/close',
      {
        config: { access: 'survey.fieldwork' },
        schema: {
          summary: 'Kết thúc khảo sát thực địa / Close the survey fieldwork',
          tags: ['survey'],
          headers: stepHeaders,
          params,
          body: emptyBody,
          response,
        },
      },
      async (request) => surveyProgressToWire(await steps.closeFieldwork(request.params.campaignId, stepContext(request))),
    );

    app.post(
      '/campaigns/:campaignId/survey/results',
      {
        config: { access: 'survey.results' },
        schema: {
          summary: 'Viện nộp kết quả điều tra (điểm từng đơn vị) / The institute submits the survey results (points per unit)',
          tags: ['survey'],
          headers: stepHeaders,
          params,
          body: surveyResultsWire,
          response,
        },
      },
      async (request) => surveyProgressToWire(await steps.submitResults(request.params.campaignId, surveyResultsFromWire(request.body), stepContext(request))),
    );

    app.get(
      '/campaigns/:campaignId/survey',
      {
        config: { access: 'survey.read' },
        schema: {
          summary: 'Tiến độ trực tiếp của điều tra xã hội học / Live progress of the survey track',
          tags: ['survey'],
          headers: authHeaders,
          params,
          response: { 200: surveyProgressWire, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
        },
      },
      async (request) => surveyProgressToWire(await steps.progress(request.params.campaignId, resolveActor(request))),
    );
  };
}
