/**
 * Worker recovery after a SIGKILL (`npm run bench:recovery`): how long a step
 * sent to a workflow of a killed worker takes to answer when the worker is
 * back after N seconds, with the SDK's sticky queue timeout (10 s) and with
 * WORKER_STICKY_QUEUE_TIMEOUT_MS (runtime/config.ts). Separate processes: a
 * Temporal dev server on a file, a scratch database on the machine's Postgres,
 * worker/main.ts. The step is a survey workflow update its validator refuses:
 * it needs a workflow task like any step and leaves nothing behind, so one
 * workflow serves every round.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../runtime/dev-server';
import { ensureSearchAttributes } from '../runtime/search-attributes';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { bundleWorkflows } from '../worker/create-worker';
import { openFieldworkUpdate, surveyProgressQuery } from '../contracts/messages';
import type { surveyWorkflow } from '../workflows/survey';
import { createScratchDatabase, freePort, runNodeScript, startNodeService, type NodeService } from './stack';

const ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const RESTART_AFTER_S = (process.env.RECOVERY_RESTART_AFTER ?? '3,8').split(',').map(Number);
const STICKY_MS = (process.env.RECOVERY_STICKY_MS ?? '10000,2000').split(',').map(Number);
const ROUNDS = Number(process.env.RECOVERY_ROUNDS ?? 2);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when the worker process logs that it polls (the SDK's "Worker state changed" RUNNING). */
async function running(worker: NodeService): Promise<void> {
  while (!/^(?=.*Worker state changed)(?=.*RUNNING).*$/m.test(worker.tail())) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.tail()}`);
    await sleep(50);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'par-recovery-'));
const executable = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI || undefined, progress: (line) => process.stderr.write(`${line}\n`) });
if (!executable) throw new Error('needs the Temporal CLI (TEMPORAL_CLI)');
const server = await startDevServer({ executable, port: await freePort(), dbFilename: join(scratch, 'temporal.db') });
const database = await createScratchDatabase(ADMIN_URL);
const workers: NodeService[] = [];
try {
  const connection = await Connection.connect({ address: server.address });
  await ensureSearchAttributes(connection, 'default');
  const client = new Client({ connection });
  const bundlePath = join(scratch, 'workflows.js');
  writeFileSync(bundlePath, (await bundleWorkflows()).code);
  const env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: server.address, WORKFLOW_BUNDLE_PATH: bundlePath, LOG_LEVEL: 'warn' };
  await runNodeScript('scripts/migrate.ts', env);

  const results: { stickyMs: number; restartAfterS: number; backMs: number[]; recoveryMs: number[] }[] = [];
  for (const stickyMs of STICKY_MS) {
    for (const restartAfterS of RESTART_AFTER_S) {
      const taskQueue = `recovery-${stickyMs}-${restartAfterS}`;
      // info: the SDK logs "Worker state changed" RUNNING when the worker polls, which is when it is back.
      const workerEnv = { ...env, LOG_LEVEL: 'info', TEMPORAL_TASK_QUEUE: taskQueue, WORKER_STICKY_QUEUE_TIMEOUT_MS: String(stickyMs) };
      const spawnWorker = () => {
        const worker = startNodeService('worker', 'worker/main.ts', workerEnv);
        workers.push(worker);
        return worker;
      };
      let worker = spawnWorker();
      await running(worker);
      const handle = await client.workflow.start<typeof surveyWorkflow>('surveyWorkflow', {
        workflowId: `${taskQueue}/survey`,
        taskQueue,
        args: [{ campaignId: `${taskQueue}-campaign`, year: 2019, units: [], maxPointsCentiByGroup: {} }],
      });
      const recoveryMs: number[] = [];
      const backMs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // The workflow is cached by this worker, and its next task goes to this worker's sticky queue.
        await handle.query(surveyProgressQuery);
        worker.child.kill('SIGKILL');
        await worker.exited;
        const killedAt = Date.now();
        const answered = handle
          .executeUpdate(openFieldworkUpdate, { args: [{ actor: { id: 'snv-admin', role: 'admin', unitCode: 'SNV' } }] })
          .then(
            () => Date.now(),
            () => Date.now(),
          );
        await sleep(restartAfterS * 1000);
        worker = spawnWorker();
        await running(worker);
        backMs.push(Date.now() - killedAt);
        recoveryMs.push((await answered) - killedAt);
      }
      await handle.terminate('bench over');
      worker.child.kill('SIGKILL');
      await worker.exited;
      results.push({ stickyMs, restartAfterS, backMs, recoveryMs });
      const seconds = (list: number[]) => list.map((ms) => (ms / 1000).toFixed(1)).join(', ');
      process.stdout.write(
        `sticky ${stickyMs} ms, restarted ${restartAfterS} s after the kill: worker polling again at ${seconds(backMs)} s, step answered at ${seconds(recoveryMs)} s\n`,
      );
    }
  }
  await connection.close();
  process.stdout.write(`${JSON.stringify(results)}\n`);
} finally {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await database.drop();
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
