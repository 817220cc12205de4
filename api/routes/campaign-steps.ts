import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { guidancePublicationSchema, guidanceSubmissionSchema, kickoffSchema } from '../../domain/steps';
import {
  campaignProgressToWire,
  campaignProgressWire,
  councilDecisionFromWire,
  councilDecisionWire,
  deadlineChangeFromWire,
  deadlineChangeWire,
  publicationFromWire,
  publicationWire,
} from '../wire/campaign';
import { campaignIdSchema, stepErrorResponses } from '../schemas';
import type { StepService } from '../../application/services/steps';
import { stepContext, stepHeaders } from './steps-common';

const params = z.object({ campaignId: campaignIdSchema });
const response = { 200: campaignProgressWire, ...stepErrorResponses };

/**
 * The steps of the campaign workflow (ID = campaignId). Each answers the
 * campaign's progress after the step, or the workflow's reason as 4xx.
 */
export function campaignStepRoutes(steps: StepService['campaign']): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/campaigns/:campaignId/guidance',
      {
        config: { access: 'guidance.submit' },
        schema: {
          summary: 'Đơn vị hướng dẫn gửi hướng dẫn chấm điểm cho lĩnh vực mình phụ trách / A contributor sends guidance for its areas',
          tags: ['guidance'],
          headers: stepHeaders,
          params,
          body: guidanceSubmissionSchema,
          response,
        },
      },
      async (request) => campaignProgressToWire(await steps.submitGuidance(request.params.campaignId, request.body, stepContext(request))),
    );

    app.post(
      '/campaigns/:campaignId/guidance/publish',
      {
        config: { access: 'guidance.publish' },
        schema: {
          summary: 'Sở Nội vụ công bố hướng dẫn tổng hợp và mở tự đánh giá / Sở Nội vụ publishes the consolidated guidance',
          tags: ['guidance'],
          headers: stepHeaders,
          params,
          body: guidancePublicationSchema,
          response,
        },
      },
      async (request) => campaignProgressToWire(await steps.publishGuidance(request.params.campaignId, request.body, stepContext(request))),
    );

    app.post(
      '/campaigns/:campaignId/kickoff',
      {
        config: { access: 'kickoff.record' },
        schema: {
          summary: 'Ghi nhận hội nghị triển khai / Record the kick-off conference',
          tags: ['guidance'],
          headers: stepHeaders,
          params,
          body: kickoffSchema,
          response,
        },
      },
      async (request) => campaignProgressToWire(await steps.recordKickoff(request.params.campaignId, request.body, stepContext(request))),
    );

    app.post(
      '/campaigns/:campaignId/deadlines',
      {
        config: { access: 'deadline.move' },
        schema: {
          summary:
            'Sở Nội vụ thay đổi một thời hạn cho mọi đơn vị, hoặc gia hạn cho một đơn vị (unit_code) / Move a deadline for every unit, or extend it for one (unit_code)',
          tags: ['deadlines'],
          headers: stepHeaders,
          params,
          body: deadlineChangeWire,
          response,
        },
      },
      async (request) => campaignProgressToWire(await steps.moveDeadline(request.params.campaignId, deadlineChangeFromWire(request.body), stepContext(request))),
    );

    app.post(
      '/campaigns/:campaignId/council-decisions',
      {
        config: { access: 'council.decide' },
        schema: {
          summary: 'Hội đồng thẩm định thông qua hoặc trả lại kết quả / The appraisal council approves or returns the results',
          tags: ['council'],
          headers: stepHeaders,
          params,
          body: councilDecisionWire,
          response,
        },
      },
      async (request) =>
        campaignProgressToWire(await steps.decideAsCouncil(request.params.campaignId, councilDecisionFromWire(request.body), stepContext(request))),
    );

    app.post(
      '/campaigns/:campaignId/publication',
      {
        config: { access: 'results.publish' },
        schema: {
          summary: 'Sở Nội vụ công bố kết quả theo quyết định / Sở Nội vụ publishes the results under a decision',
          tags: ['publication'],
          headers: stepHeaders,
          params,
          body: publicationWire,
          response,
        },
      },
      async (request) => campaignProgressToWire(await steps.publishResults(request.params.campaignId, publicationFromWire(request.body), stepContext(request))),
    );
  };
}
