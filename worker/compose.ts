import type { NativeConnection, Worker, WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Database } from '../db/connect';
import { createCampaignRepository } from '../db/repositories/campaigns';
import { createWorker } from './create-worker';

export interface WorkerCompositionDeps {
  db: Database;
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  workflowBundle?: WorkflowBundle;
}

/** repositories → activities → worker: shared by worker/main.ts, the all-in-one starter and tests. */
export function composeWorker(deps: WorkerCompositionDeps): Promise<Worker> {
  const activities = createActivities({ campaigns: createCampaignRepository(deps.db) });
  return createWorker({ ...deps, activities });
}
