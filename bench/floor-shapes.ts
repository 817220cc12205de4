/**
 * How far below its floor a unit's bare shape already is (issue 8, round 11).
 * P1 compares a campaign's fan-out with N no-op workflow starts, and P2 its
 * submissions with N no-op updates. This harness runs, on one Temporal dev
 * server and one worker in this process, the no-op floor against a workflow
 * that asks of the server exactly what a unit does (bench/workflows/unit-shape.ts:
 * a local activity and two timers on its first task; a local activity, a
 * search-attribute upsert, two timers cancelled and one armed per update) and
 * nothing else: no validation, no Postgres, no API, no eviction (the cache
 * holds every workflow). What the shape costs over the no-op is the part of
 * P1's and P2's gap that no code of the system can remove.
 *
 *   npm run bench:shapes                      # N = 2000, alternated twice
 *   npm run bench:shapes -- --workflows 500
 *
 * TEMPORAL_CLI names the binary (else runtime/temporal-cli.ts finds one).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startTemporalAlone } from './temporal-alone';
import { eventually, mapWithConcurrency, ownCpuSeconds, percentile, ROOT, waitUntilIdle } from './stack';
import { finishSignal, pingUpdate } from './workflows/noop';
import { submitShapeUpdate } from './workflows/unit-shape';

const { values: args } = parseArgs({ options: { workflows: { type: 'string', default: '2000' } } });
const N = Number(args.workflows);
/** As in bench/run.ts: the fan-out's starts in flight (activities/fan-out.ts) and P2's concurrency. */
const START_PARALLELISM = 100;
const CONCURRENCY = 50;
const TASK_QUEUE = 'bench-shapes';
/** A self-assessment's size on the wire: 40 marks with notes, as P2's floor sends. */
const PAYLOAD = { scores: Array.from({ length: 40 }, (_, i) => ({ code: `1.${i}`, value: 1, note: 'Văn bản lưu tại Văn phòng UBND quận' })) };
Runtime.install({ logger: new DefaultLogger('WARN') });

const { server, pid: serverPid, cpuSeconds: serverCpu } = await startTemporalAlone();

let firstTasksDone = 0;
const client = new Client({ connection: await Connection.connect({ address: server.address }) });
const worker = await Worker.create({
  connection: await NativeConnection.connect({ address: server.address }),
  taskQueue: TASK_QUEUE,
  workflowsPath: join(ROOT, 'bench/workflows/index.ts'),
  maxCachedWorkflows: 2 * N + 100,
  activities: {
    readShapePolicy: async () => {
      firstTasksDone++;
    },
    storeShapeSubmission: async () => undefined,
  },
});
const running = worker.run();

interface Phase {
  ms: number;
  serverCpuMs: number;
  /** This process: the client and the worker. */
  ownCpuMs: number;
}

async function measure(items: number, work: () => Promise<void>): Promise<Phase> {
  const server0 = serverCpu();
  const own0 = ownCpuSeconds();
  const begun = performance.now();
  await work();
  return { ms: performance.now() - begun, serverCpuMs: ((serverCpu() - server0) * 1000) / items, ownCpuMs: ((ownCpuSeconds() - own0) * 1000) / items };
}

async function round(kind: 'noop' | 'shape', index: number) {
  const type = kind === 'noop' ? 'noopWorkflow' : 'unitShapeWorkflow';
  firstTasksDone = 0;
  let handles: WorkflowHandle[] = [];
  const begun = performance.now();
  const starts = await measure(N, async () => {
    handles = await mapWithConcurrency(Array.from({ length: N }, (_, i) => i), START_PARALLELISM, (i) =>
      client.workflow.start(type, { taskQueue: TASK_QUEUE, workflowId: `${type}-${index}-${i}` }),
    );
  });
  // The shape's first tasks run during and after the starts, as a campaign's units do.
  if (kind === 'shape') await eventually(async () => firstTasksDone >= N, 600_000, 'every first task');
  const readyMs = kind === 'shape' ? performance.now() - begun : null;
  // The updates start once the worker and the server are idle, as P2's floor does in bench/run.ts:
  // not behind the first tasks the starts left queued.
  // Each wait ends with three idle seconds, which are not the round's work.
  const quietMs = (await waitUntilIdle(process.pid)) + (await waitUntilIdle(serverPid)) - 6_000;
  const latencies: number[] = [];
  const updates = await measure(N, async () => {
    await mapWithConcurrency(handles, CONCURRENCY, async (handle) => {
      const begun = performance.now();
      if (kind === 'noop') await handle.executeUpdate(pingUpdate, { args: [PAYLOAD] });
      else await handle.executeUpdate(submitShapeUpdate, { args: [PAYLOAD] });
      latencies.push(performance.now() - begun);
    });
  });
  await mapWithConcurrency(handles, CONCURRENCY, (handle) => handle.signal(finishSignal));
  await Promise.all(handles.map((handle) => handle.result()));
  return { kind, starts, readyMs, quietMs, updates, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const fmt = (ms: number) => ms.toFixed(1);
try {
  const rounds = [];
  for (const [index, kind] of (['noop', 'shape', 'noop', 'shape'] as const).entries()) {
    const result = await round(kind, index);
    rounds.push(result);
    const { starts, updates } = result;
    console.log(
      `${kind.padEnd(5)} starts ${fmt(starts.ms / 1000)} s (server ${fmt(starts.serverCpuMs)} ms, client+worker ${fmt(starts.ownCpuMs)} ms each)` +
        `${result.readyMs === null ? '' : `, every first task done ${fmt(result.readyMs / 1000)} s`}, idle ${fmt(result.quietMs / 1000)} s later; ` +
        `updates ${fmt((N / updates.ms) * 1000)} /s, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms (server ${fmt(updates.serverCpuMs)} ms, client+worker ${fmt(updates.ownCpuMs)} ms each)`,
    );
  }
  for (const pair of [0, 2]) {
    const noop = rounds[pair]!;
    const shape = rounds[pair + 1]!;
    console.log(
      `pair ${pair / 2 + 1}: starts ${(shape.starts.ms / noop.starts.ms).toFixed(2)}× the no-op floor; ` +
        `update throughput ${(noop.updates.ms / shape.updates.ms).toFixed(2)}× the no-op floor`,
    );
  }
} finally {
  worker.shutdown();
  await running;
  await server.stop();
}
