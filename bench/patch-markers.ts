/**
 * What a patched() call costs the Temporal server, to decide whether a patch
 * marker in a unit's hot path is worth removing: N
 * workflows that start, sleep 1 ms and end, with no patch and with two
 * patched() calls (each records a marker and upserts the TemporalChangeVersion
 * search attribute), alternated twice, printing the wall time and the dev
 * server's CPU seconds (/proc) for each round. The unit workflow's first task
 * took two patches and each submission one until unitWorkflowV2.
 *
 *   npm run bench:patches                  # N = 2000
 *   npm run bench:patches -- --workflows 500
 *
 * TEMPORAL_CLI names the binary (else runtime/temporal-cli.ts finds one).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startTemporalAlone } from './temporal-alone';
import { ROOT } from './stack';

const { values: args } = parseArgs({ options: { workflows: { type: 'string', default: '2000' } } });
const N = Number(args.workflows);
Runtime.install({ logger: new DefaultLogger('WARN') });

const { server, cpuSeconds: serverCpuSeconds } = await startTemporalAlone();
const client = new Client({ connection: await Connection.connect({ address: server.address }) });
const worker = await Worker.create({
  connection: await NativeConnection.connect({ address: server.address }),
  taskQueue: 'bench-patches',
  workflowsPath: join(ROOT, 'bench/workflows/index.ts'),
});
const running = worker.run();
try {
  for (const type of ['oneTimerWorkflow', 'twoPatchesWorkflow', 'oneTimerWorkflow', 'twoPatchesWorkflow']) {
    const cpuBefore = serverCpuSeconds();
    const begun = performance.now();
    const handles = [];
    for (let i = 0; i < N; i += 50) {
      const ids = Array.from({ length: Math.min(50, N - i) }, (_, k) => `${type}-${begun}-${i + k}`);
      handles.push(...(await Promise.all(ids.map((workflowId) => client.workflow.start(type, { taskQueue: 'bench-patches', workflowId })))));
    }
    await Promise.all(handles.map((handle) => handle.result()));
    const seconds = (performance.now() - begun) / 1000;
    const cpu = serverCpuSeconds() - cpuBefore;
    console.log(`${type.padEnd(20)} ${N} workflows: ${seconds.toFixed(1)} s, Temporal server CPU ${cpu.toFixed(1)} s (${((cpu / N) * 1000).toFixed(1)} ms each)`);
  }
} finally {
  worker.shutdown();
  await running;
  await server.stop();
}
