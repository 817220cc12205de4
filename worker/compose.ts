import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker, WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Database } from '../db/connect';
import { createCampaignRepository } from '../db/repositories/campaigns';
import { createReadModelRepository } from '../db/repositories/read-model';
import { createWorker } from './create-worker';

export interface WorkerCompositionDeps {
  db: Database;
  connection: NativeConnection;
  /** For activities that talk to other workflows (the unit fan-out); same namespace as the worker. */
  client: Client;
  namespace: string;
  taskQueue: string;
  workflowBundle?: WorkflowBundle;
}

/** repositories → activities → worker: shared by worker/main.ts, the all-in-one starter and tests. */
export function composeWorker(deps: WorkerCompositionDeps): Promise<Worker> {
  const activities = createActivities({
    campaigns: createCampaignRepository(deps.db),
    readModel: createReadModelRepository(deps.db),
    client: deps.client,
  });
  return createWorker({ ...deps, activities });
}
