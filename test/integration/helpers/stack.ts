import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { composeApi, type ApiSettings } from '../../../server/compose';
import { composeWorker, type WorkerCompositionDeps } from '../../../worker/compose';
import { bearer, TEST_API_SETTINGS } from '../../helpers/auth';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestStack {
  app: FastifyInstance;
  client: Client;
  database: TestDatabase;
  taskQueue: string;
  worker: Worker;
  /** Stops the worker (e.g. to simulate a crash) and resolves when it has stopped. */
  stopWorker(): Promise<void>;
  /** Starts a fresh worker on the same task queue, as a restarted process would. */
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

export { bearer, bearerAs } from '../../helpers/auth';

/** Headers of a Sở Nội vụ administrator: a bearer token signed with the test key (test/helpers/auth.ts). */
export const SNV_ADMIN = await bearer({ id: 'snv-admin', role: 'admin', unitCode: 'SNV' });

/** A unique suffix for campaign slugs and IDs so tests never share workflows. */
export function uniqueSlug(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/**
 * The real system for one test file: its own database, its own task queue, a
 * real worker on the shared Temporal dev server, and the API app for inject().
 */
export interface StackOptions {
  /** Another Temporal server than the shared one (a test that needs its own server settings). */
  temporalAddress?: string;
  /** Worker-side reminder delivery: a mailer, the link base and fault hooks; default none (e-mail skipped). */
  notifications?: WorkerCompositionDeps['notifications'];
  /** Faults injected into the projection activities (activities/projection.ts). */
  projectionFaults?: WorkerCompositionDeps['projectionFaults'];
  /** Faults injected while the projection (the worker's, and the API's of returned steps) links events into the hash chain (db/repositories/chain.ts). */
  chainFaults?: WorkerCompositionDeps['chainFaults'];
  /** API settings over the test defaults (e.g. a shorter TEMPORAL_CALL_TIMEOUT_MS). */
  apiSettings?: Partial<ApiSettings>;
}

export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const address = options.temporalAddress ?? inject('temporalAddress');
  const workflowBundle = { code: inject('workflowBundleCode') };
  const database = await createTestDatabase();
  const taskQueue = `test-${randomBytes(6).toString('hex')}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address });

  const newWorker = () => composeWorker({
      db: database.db,
      connection: nativeConnection,
      client,
      namespace: 'default',
      taskQueue,
      workflowBundle,
      notifications: options.notifications,
      projectionFaults: options.projectionFaults,
      chainFaults: options.chainFaults,
    });
  let worker = await newWorker();
  let running = worker.run();
  const app = await composeApi({
    db: database.db,
    temporal: client,
    taskQueue,
    logger: false,
    settings: { ...TEST_API_SETTINGS, ...options.apiSettings },
    chainFaults: options.chainFaults,
  });

  const stack: TestStack = {
    app,
    client,
    database,
    taskQueue,
    get worker() {
      return worker;
    },
    async stopWorker() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
    async restartWorker() {
      await stack.stopWorker();
      worker = await newWorker();
      running = worker.run();
    },
    async stop() {
      await app.close();
      await stack.stopWorker();
      await nativeConnection.close();
      await connection.close();
      await database.destroy();
    },
  };
  return stack;
}
