import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { surveyProgressQuery } from '../../contracts/messages';
import type { surveyWorkflow } from '../../workflows/survey';
import { createTestDatabase } from './helpers/database';
import { killWorkerProcesses, spawnWorker, type WorkerProcess } from './helpers/worker-process';

const scratch = mkdtempSync(join(tmpdir(), 'par-worker-process-'));
afterAll(async () => {
  await killWorkerProcesses();
  rmSync(scratch, { recursive: true, force: true });
});

/** The process's exit code, or a sentence saying it had not exited: a worker that starts runs until stopped. */
async function exitWithin(worker: WorkerProcess, ms: number): Promise<number | null | string> {
  let timer: NodeJS.Timeout | undefined;
  const running = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`still running after ${ms} ms`), ms)));
  try {
    return await Promise.race([worker.exited, running]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the worker process', () => {
  it('runs the workflow bundle that WORKFLOW_BUNDLE_PATH names, and does not start without it', async () => {
    const database = await createTestDatabase();
    const address = inject('temporalAddress');
    const taskQueue = `test-${randomBytes(6).toString('hex')}`;
    const env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue };
    const connection = await Connection.connect({ address });
    try {
      const missingPath = join(scratch, 'missing-workflows.js');
      const missing = spawnWorker({ ...env, WORKFLOW_BUNDLE_PATH: missingPath });
      expect(await exitWithin(missing, 60_000)).toBe(1);
      expect(missing.output()).toContain(`WORKFLOW_BUNDLE_PATH: ${missingPath} does not exist`);

      // A worker that ignored the setting would bundle workflows/ itself and run.
      const notBundlePath = join(scratch, 'not-a-bundle.js');
      writeFileSync(notBundlePath, 'this is not a workflow bundle');
      const notBundle = spawnWorker({ ...env, WORKFLOW_BUNDLE_PATH: notBundlePath });
      expect(await exitWithin(notBundle, 60_000)).toBe(1);
      expect(notBundle.output()).toContain('Workflow Bundle');

      const bundlePath = join(scratch, 'workflows.js');
      writeFileSync(bundlePath, inject('workflowBundleCode'));
      const worker = spawnWorker({ ...env, WORKFLOW_BUNDLE_PATH: bundlePath });
      const client = new Client({ connection });
      const handle = await client.workflow.start<typeof surveyWorkflow>('surveyWorkflow', {
        workflowId: `${taskQueue}/survey`,
        taskQueue,
        args: [{ campaignId: `${taskQueue}-campaign`, year: 2019, units: [], maxPointsCentiByGroup: {} }],
      });
      // Answered by the worker process only: nothing else polls this task queue.
      expect(await handle.query(surveyProgressQuery)).toMatchObject({ status: 'awaiting_plan', plan: null });
      await handle.terminate('test over');
      expect(await worker.stop()).toBe(0);
    } finally {
      await connection.close();
      await database.destroy();
    }
  });
});
