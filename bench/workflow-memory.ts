/**
 * What one cached unit workflow costs the worker in memory (the cache
 * size decides how many units a deadline burst or a reminder storm reaches
 * without a replay, and the worker must stay under 1 GiB). Starts a Temporal
 * dev server and a scratch Postgres database, runs the real worker in this
 * process in debug mode (workflows on the main thread, so one heap holds them
 * all), opens 10 unit workflows and then K, and prints the V8 heap per cached
 * workflow after forced collections.
 *
 *   npm run bench:memory                       # K = 1000
 *   npm run bench:memory -- --units 600 --snapshot /tmp/units.heapsnapshot
 *
 * TEMPORAL_CLI names the binary (else runtime/temporal-cli.ts finds one);
 * DATABASE_URL the Postgres server (default postgres://postgres@127.0.0.1:5432/test).
 */
import { writeHeapSnapshot } from 'node:v8';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { openDatabase } from '../db/connect';
import { createCampaignRepository } from '../db/repositories/campaigns';
import { parseDeadline, toVietnamIso } from '../domain/deadlines';
import { areaOwners, unitWorkflowId } from '../domain/units';
import { startDevServer } from '../runtime/dev-server';
import { ensureSearchAttributes } from '../runtime/search-attributes';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { composeWorker } from '../worker/compose';
import { bundleWorkflows } from '../worker/create-worker';
import { UNIT_TIMER_KEYS } from '../contracts/messages';
import { benchCampaign } from './campaign';
import { createScratchDatabase, freePort, runNodeScript, sleep } from './stack';

const { values: args } = parseArgs({ options: { units: { type: 'string', default: '1000' }, snapshot: { type: 'string' } } });
const K = Number(args.units);
const FIRST = 10;
const TASK_QUEUE = 'workflow-memory';
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined || process.env.TEMPORAL_DEBUG === undefined) {
  throw new Error('run through `npm run bench:memory` (node --expose-gc with TEMPORAL_DEBUG=1)');
}

Runtime.install({ logger: new DefaultLogger('WARN') });
const executable = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI, progress: (line) => process.stderr.write(`${line}\n`) });
if (!executable) throw new Error('no Temporal CLI found (npm run temporal:resolve)');
const server = await startDevServer({ executable, port: await freePort(), startupTimeoutMs: 120_000 });
const database = await createScratchDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
await runNodeScript('scripts/migrate.ts', { DATABASE_URL: database.url });
const handle = openDatabase({ url: database.url, dataDir: '' });
const connection = await Connection.connect({ address: server.address });
const native = await NativeConnection.connect({ address: server.address });
try {
  await ensureSearchAttributes(connection, 'default');
  const client = new Client({ connection });
  const campaignId = 'par-2019-memory';
  const definition = benchCampaign('memory', K);
  await createCampaignRepository(handle.db).insertCampaign({ campaignId, definition, stage: 'self_assessment', at: new Date() });
  const worker = await composeWorker({
    db: handle.db,
    connection: native,
    client,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    tuning: { maxCachedWorkflows: K + 100, maxConcurrentActivityTaskExecutions: 50 },
    workflowBundle: await bundleWorkflows(),
  });
  const running = worker.run();

  // The input the campaign's startUnits activity gives each unit.
  const deadlines = Object.fromEntries(UNIT_TIMER_KEYS.map((key) => [key, toVietnamIso(parseDeadline(definition.timeline[key])!)]));
  const owners = areaOwners(definition.contributors);
  const openUnits = async (from: number, to: number) => {
    for (let i = from; i < to; i += 50) {
      await Promise.all(
        definition.units.slice(i, Math.min(to, i + 50)).map((unit) =>
          client.workflow.start('unitWorkflowV2', {
            taskQueue: TASK_QUEUE,
            workflowId: unitWorkflowId(campaignId, unit.code),
            args: [{ campaignId, year: definition.year, unit, group: definition.framework.groups[unit.group]!, areaOwners: owners, deadlines, openedByCampaign: true }],
          }),
        ),
      );
    }
    // Every unit has run its first task and waits on its timers.
    for (;;) {
      const status = worker.getStatus();
      if (status.numCachedWorkflows >= to && status.numInFlightWorkflowActivations === 0) break;
      await sleep(500);
    }
    await sleep(2_000);
  };
  const heapUsed = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(200);
    }
    return process.memoryUsage().heapUsed;
  };
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

  await openUnits(0, FIRST);
  const before = await heapUsed();
  await openUnits(FIRST, K);
  const after = await heapUsed();
  process.stdout.write(
    [
      `unit workflow memory (node ${process.version}, @temporalio/worker in debug mode, reuseV8Context)`,
      `  heap with ${FIRST} cached units: ${mib(before)}; with ${K}: ${mib(after)}`,
      `  per cached unit workflow: ${((after - before) / (K - FIRST) / 1024).toFixed(1)} KiB of V8 heap`,
      '',
    ].join('\n'),
  );
  if (args.snapshot) process.stdout.write(`  heap snapshot: ${writeHeapSnapshot(args.snapshot)}\n`);
  worker.shutdown();
  await running;
} finally {
  await native.close();
  await connection.close();
  await handle.close();
  await database.drop();
  await server.stop();
}
