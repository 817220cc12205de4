import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { campaignProgressToWire, campaignProgressWire } from '../wire/campaign';
import type { StepService } from '../../application/services/steps';
import { CAMPAIGN_STEPS } from './step-table';
import { registerSteps } from './steps-common';

/**
 * The steps of the campaign workflow (ID = campaignId), declared in
 * ./step-table.ts. Each answers the campaign's progress after the step, or the
 * workflow's reason as 4xx.
 */
export function campaignStepRoutes(steps: StepService['campaign']): FastifyPluginAsyncZod {
  return async (app) => {
    registerSteps(app, CAMPAIGN_STEPS, steps, { schema: campaignProgressWire, toWire: campaignProgressToWire });
  };
}
