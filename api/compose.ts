import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Database } from '../db/connect';
import { createCampaignRepository } from '../db/repositories/campaigns';
import { buildApp } from './app';
import { createCampaignService } from './services/campaigns';
import { createStepService } from './services/steps';

export interface ApiDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  logger: FastifyBaseLogger | false;
}

/** repositories → services → app: the API's wiring, shared by api/main.ts, the all-in-one starter and tests. */
export function composeApi(deps: ApiDeps): Promise<FastifyInstance> {
  const campaigns = createCampaignRepository(deps.db);
  return buildApp({
    logger: deps.logger,
    services: {
      campaigns: createCampaignService({ temporal: deps.temporal, taskQueue: deps.taskQueue, campaigns }),
      steps: createStepService({ temporal: deps.temporal }),
    },
  });
}
