/**
 * How far below its floor a unit's bare shape already is: the part of P1's and
 * P2's gap (BENCHMARKS.md) that no code of the system can remove.
 * P1 compares a campaign's fan-out with N no-op workflow starts, and P2 its
 * submissions with N no-op updates. This harness runs, on one Temporal dev
 * server and one worker in this process, the no-op floor against a workflow
 * that asks of the server exactly what a unit does (bench/workflows/unit-shape.ts:
 * its first task in one of three variants; a local activity, a
 * search-attribute upsert, the first task's timers cancelled and one armed per
 * update) and nothing else: no validation, no Postgres, no API, no eviction (the cache
 * holds every workflow). What the shape costs over the no-op is the part of
 * P1's and P2's gap that no code of the system can remove.
 *
 *   npm run bench:shapes                      # N = 2000, the policy-read shape alternated twice with the no-op
 *   npm run bench:shapes -- --workflows 500
 *   npm run bench:shapes -- --rounds noop,two-timers,one-alarm,noop,two-timers,one-alarm
 *
 * Each shape round is compared with the no-op round before it; the shapes are
 * bench/workflows/unit-shape.ts's variants.
 *
 * TEMPORAL_CLI names the binary (else runtime/temporal-cli.ts finds one).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type InjectedSinks } from '@temporalio/worker';
import { startTemporalAlone } from './temporal-alone';
import { eventually, mapWithConcurrency, ownCpuSeconds, percentile, ROOT, waitUntilIdle } from './stack';
import { finishSignal, pingUpdate } from './workflows/noop';
import { submitShapeUpdate, type ShapeSinks, type UnitShape } from './workflows/unit-shape';

const { values: args } = parseArgs({
  options: { workflows: { type: 'string', default: '2000' }, rounds: { type: 'string', default: 'noop,policy-read,noop,policy-read' } },
});
const N = Number(args.workflows);
const KINDS = ['noop', 'policy-read', 'two-timers', 'one-alarm', 'returned', 'returned-marks'] as const;
type Kind = (typeof KINDS)[number];
const rounds = args.rounds.split(',').map((kind) => {
  if (!(KINDS as readonly string[]).includes(kind)) throw new Error(`--rounds: ${kind} is none of ${KINDS.join(', ')}`);
  return kind as Kind;
});
if (rounds[0] !== 'noop') throw new Error('--rounds: the first round must be noop, the floor the shapes after it are compared with');
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
    readShapePolicy: async () => undefined,
    storeShapeSubmission: async () => undefined,
  },
  sinks: {
    shape: {
      firstTaskDone: {
        fn: () => {
          firstTasksDone++;
        },
      },
    },
  } satisfies InjectedSinks<ShapeSinks>,
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

async function round(kind: Kind, index: number) {
  firstTasksDone = 0;
  let handles: WorkflowHandle[] = [];
  const begun = performance.now();
  const starts = await measure(N, async () => {
    handles = await mapWithConcurrency(Array.from({ length: N }, (_, i) => i), START_PARALLELISM, (i) =>
      kind === 'noop'
        ? client.workflow.start('noopWorkflow', { taskQueue: TASK_QUEUE, workflowId: `noop-${index}-${i}` })
        : client.workflow.start('unitShapeWorkflow', { taskQueue: TASK_QUEUE, workflowId: `${kind}-${index}-${i}`, args: [kind satisfies UnitShape] }),
    );
  });
  // The shape's first tasks run during and after the starts, as a campaign's units do.
  if (kind !== 'noop') await eventually(async () => firstTasksDone >= N, 600_000, 'every first task');
  const readyMs = kind !== 'noop' ? performance.now() - begun : null;
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
  const results = [];
  for (const [index, kind] of rounds.entries()) {
    const result = await round(kind, index);
    results.push(result);
    const { starts, updates } = result;
    console.log(
      `${kind.padEnd(9)} starts ${fmt(starts.ms / 1000)} s (server ${fmt(starts.serverCpuMs)} ms, client+worker ${fmt(starts.ownCpuMs)} ms each)` +
        `${result.readyMs === null ? '' : `, every first task done ${fmt(result.readyMs / 1000)} s`}, idle ${fmt(result.quietMs / 1000)} s later; ` +
        `updates ${fmt((N / updates.ms) * 1000)} /s, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms (server ${fmt(updates.serverCpuMs)} ms, client+worker ${fmt(updates.ownCpuMs)} ms each)`,
    );
  }
  let noop = results[0]!;
  for (const [index, result] of results.entries()) {
    if (result.kind === 'noop') {
      noop = result;
      continue;
    }
    console.log(
      `round ${index + 1}, ${result.kind}: starts ${(result.starts.ms / noop.starts.ms).toFixed(2)}× the no-op floor before it; ` +
        `update throughput ${(noop.updates.ms / result.updates.ms).toFixed(2)}×`,
    );
  }
} finally {
  worker.shutdown();
  await running;
  await server.stop();
}
