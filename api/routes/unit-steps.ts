import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { explanationAnswerSchema, explanationRequestIdText } from '../../domain/steps';
import { authHeaders, resolveActor } from '../actor';
import { areaAppraisalFromWire, areaAppraisalWire, selfAssessmentFromWire, selfAssessmentWire, unitProgressToWire, unitProgressWire } from '../wire/unit';
import { campaignIdSchema, errorResponseSchema, stepErrorResponses, unitCodeSchema } from '../schemas';
import type { StepService } from '../../application/services/steps';
import { stepContext, stepHeaders } from './steps-common';

const params = z.object({ campaignId: campaignIdSchema, unitCode: unitCodeSchema });
const response = { 200: unitProgressWire, ...stepErrorResponses };

/**
 * The steps of one unit's workflow (ID = par-2019-hn/unit-STP) and its live
 * progress. The unit workflows exist once the guidance is published.
 */
export function unitStepRoutes(steps: StepService['unit']): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/campaigns/:campaignId/units/:unitCode/self-assessment',
      {
        config: { access: 'unit.self_assessment' },
        schema: {
          summary: 'Đơn vị nộp báo cáo tự đánh giá (điểm từng tiêu chí thành phần, tài liệu kiểm chứng) / A unit submits its self-assessment',
          tags: ['self-assessment'],
          headers: stepHeaders,
          params,
          body: selfAssessmentWire,
          response,
        },
      },
      async (request) => {
        const { campaignId, unitCode } = request.params;
        return unitProgressToWire(await steps.submitSelfAssessment(campaignId, unitCode, selfAssessmentFromWire(request.body), stepContext(request)));
      },
    );

    app.post(
      '/campaigns/:campaignId/units/:unitCode/appraisals',
      {
        config: { access: 'unit.appraise' },
        schema: {
          summary: 'Cơ quan phụ trách thẩm định một lĩnh vực (vòng 1 hoặc 2), có thể yêu cầu giải trình / An owner department appraises one area',
          tags: ['appraisal'],
          headers: stepHeaders,
          params,
          body: areaAppraisalWire,
          response,
        },
      },
      async (request) => {
        const { campaignId, unitCode } = request.params;
        return unitProgressToWire(await steps.appraiseArea(campaignId, unitCode, areaAppraisalFromWire(request.body), stepContext(request)));
      },
    );

    app.post(
      '/campaigns/:campaignId/units/:unitCode/explanations/:requestId/answer',
      {
        config: { access: 'unit.explain' },
        schema: {
          summary: 'Đơn vị trả lời một yêu cầu giải trình / A unit answers an explanation request',
          description:
            'requestId chứa dấu "/" (vd. par-2019-hn/unit-STP/r1-3-12-0): mã hóa thành một đoạn đường dẫn (encodeURIComponent) / requestId contains "/": send it URL-encoded as one path segment',
          tags: ['explanations'],
          headers: stepHeaders,
          params: params.extend({ requestId: explanationRequestIdText() }),
          body: explanationAnswerSchema.omit({ requestId: true }),
          response,
        },
      },
      async (request) => {
        // The router has already decoded the segment, %2F included.
        const { campaignId, unitCode, requestId } = request.params;
        return unitProgressToWire(await steps.answerExplanation(campaignId, unitCode, { ...request.body, requestId }, stepContext(request)));
      },
    );

    app.get(
      '/campaigns/:campaignId/units/:unitCode/progress',
      {
        config: { access: 'unit.read' },
        schema: {
          summary: 'Tiến độ trực tiếp của một đơn vị / Live progress of one unit, from its workflow',
          description: 'Đơn vị chỉ xem đơn vị mình cho đến khi công bố / a unit reads only its own until publication',
          tags: ['units'],
          headers: authHeaders,
          params,
          response: { 200: unitProgressWire, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema },
        },
      },
      async (request) => unitProgressToWire(await steps.progress(request.params.campaignId, request.params.unitCode, resolveActor(request))),
    );
  };
}
