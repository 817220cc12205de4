import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { devServerSearchAttributeFlags } from '../../../../runtime/search-attributes';
import { resolveTemporalCli } from '../../../../runtime/temporal-cli';
import { bundleWorkflows, createWorker } from '../../../../worker/create-worker';
import { createStubActivities, type StubActivities } from './stub-activities';

Runtime.install({ logger: new DefaultLogger('WARN') });

/**
 * The real workflow code on a real Temporal dev server, with stub activities:
 * one per test file. Time-skipping is not an option here: its Java test server
 * is downloaded from temporal.download at run time (README "Tests"), so the
 * server is the Temporal CLI's dev server, found as the integration tests find
 * it (runtime/temporal-cli.ts), and time is driven by the workflows' own
 * "move deadline" update.
 */
export interface WorkflowTestEnvironment {
  client: Client;
  taskQueue: string;
  stubs: StubActivities;
  stop(): Promise<void>;
}

async function temporalCli(): Promise<string> {
  let found: string | null;
  try {
    found = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI || undefined, progress: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    throw new Error(`Workflow tests need the Temporal CLI: ${(error as Error).message}`);
  }
  if (!found) throw new Error('Workflow tests need the Temporal CLI: set TEMPORAL_CLI or install Go (see README "Two commands")');
  return found;
}

/**
 * The SDK waits about five seconds for the dev server it starts before it gives
 * up (shared notes); on two busy cores a start can miss that, and a second one
 * finds the binary warm in the page cache.
 */
async function createLocal(path: string, attempts = 3): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createLocal({
        server: { executable: { type: 'existing-path', path }, extraArgs: devServerSearchAttributeFlags() },
      });
    } catch (error) {
      if (attempt >= attempts) throw new Error(`The Temporal dev server (${path}) did not start ${attempts} times: ${String(error)}`);
    }
  }
}

/** The dev server, the bundle (built once for the file, as the worker image does) and a worker with stub activities. */
export async function startWorkflowEnvironment(): Promise<WorkflowTestEnvironment> {
  const path = await temporalCli();
  const [server, bundle] = await Promise.allSettled([createLocal(path), bundleWorkflows()]);
  if (server.status === 'rejected') throw server.reason;
  const env = server.value;
  try {
    if (bundle.status === 'rejected') throw bundle.reason;
    return await startWorker(env, bundle.value);
  } catch (error) {
    await env.teardown();
    throw error;
  }
}

async function startWorker(env: TestWorkflowEnvironment, workflowBundle: WorkflowBundle): Promise<WorkflowTestEnvironment> {
  const taskQueue = `wf-${randomBytes(4).toString('hex')}`;
  const stubs = createStubActivities({ client: env.client, taskQueue });
  const worker = await createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, activities: stubs.activities, workflowBundle });
  const running = worker.run();
  return {
    client: env.client,
    taskQueue,
    stubs,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/**
 * How long the environment may take to start: minutes only where no CLI is
 * found and resolveTemporalCli builds it with Go (README "Two commands");
 * otherwise a few seconds of bundling and a server start.
 */
const SETUP_TIMEOUT_MS = 10 * 60_000;

/** One environment for the test file: started before its first test, stopped after its last. */
export function useWorkflowEnvironment(): { readonly env: WorkflowTestEnvironment } {
  let env: WorkflowTestEnvironment | undefined;
  beforeAll(async () => {
    env = await startWorkflowEnvironment();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await env?.stop();
  }, 60_000);
  return {
    get env() {
      if (env === undefined) throw new Error('The workflow test environment did not start (see the beforeAll error)');
      return env;
    },
  };
}
