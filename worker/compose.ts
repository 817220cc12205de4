import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createNotificationActivities, type NotificationFaults } from '../activities/notifications';
import type { Database } from '../db/connect';
import { createCampaignRepository } from '../db/repositories/campaigns';
import { createContactRepository } from '../db/repositories/contacts';
import { createNotificationRepository } from '../db/repositories/notifications';
import type { ChainFaults } from '../db/repositories/chain';
import { createReadModelRepository } from '../db/repositories/read-model';
import { createParkedChangeRepository } from '../db/repositories/read-model-parking';
import type { ProjectionFaults } from '../activities/projection';
import type { Mailer } from '../notifications/mailer';
import { createWorker, type WorkerDeps, type WorkerTuning } from './create-worker';

export interface WorkerCompositionDeps {
  db: Database;
  connection: NativeConnection;
  /** For activities that talk to other workflows (the unit fan-out); same namespace as the worker. */
  client: Client;
  namespace: string;
  taskQueue: string;
  workflowBundle?: WorkerDeps['workflowBundle'];
  tuning?: WorkerTuning;
  /** Reminder delivery. Without a mailer, e-mail is recorded as skipped and only the inbox gets the message. */
  notifications?: { mailer: Mailer | null; publicUrl: string; faults?: NotificationFaults; sendingLeaseMs?: number };
  /** Faults injected into the projection by tests; never set by a process. */
  projectionFaults?: ProjectionFaults;
  /** Faults injected while the projection links events into the campaign's hash chain, by tests; never set by a process. */
  chainFaults?: ChainFaults;
  interceptors?: WorkerDeps['interceptors'];
  sinks?: WorkerDeps['sinks'];
}

/** repositories → activities → worker: shared by worker/main.ts, the all-in-one starter and tests. */
export function composeWorker(deps: WorkerCompositionDeps): Promise<Worker> {
  const notificationActivities = createNotificationActivities({
    notifications: createNotificationRepository(deps.db),
    contacts: createContactRepository(deps.db),
    mailer: deps.notifications?.mailer ?? null,
    publicUrl: deps.notifications?.publicUrl ?? '',
    faults: deps.notifications?.faults,
    sendingLeaseMs: deps.notifications?.sendingLeaseMs,
  });
  const activities = {
    ...createActivities({
      campaigns: createCampaignRepository(deps.db),
      readModel: createReadModelRepository(deps.db, { chainFaults: deps.chainFaults }),
      parked: createParkedChangeRepository(deps.db),
      projectionFaults: deps.projectionFaults,
      client: deps.client,
      reminderPolicyOf: (campaignId) => notificationActivities.loadReminderPolicy({ campaignId }),
    }),
    ...notificationActivities,
  };
  return createWorker({ ...deps, activities });
}
