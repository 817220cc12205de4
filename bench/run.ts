/**
 * The benchmark harness behind BENCHMARKS.md: the real stack (a Temporal dev server in
 * memory, a scratch Postgres database, the worker and the API as separate Node
 * processes) and, for every scenario, a raw baseline measured on the same
 * servers in the same run. Prints one table; writes bench/results/<date>-n<N>.json.
 *
 *   npm run bench -- --units 1000                 # N units (default 5000)
 *   npm run bench -- --quick                      # N = 200, asserts correctness only
 *   npm run bench -- --units 1000 --concurrency 50 --reads 200
 *
 * Options: --units N, --answers M (P5's survey answers, default 1,000,000; 20,000
 * with --quick; 0 skips P5's survey half), --concurrency C (P2, default 50), --reads R (P4, default 200),
 * --quick, --storm-only (P1 and P3 only), --skip-storm (all but P3). DATABASE_URL names the Postgres
 * server the scratch database is made on (default
 * postgres://postgres@127.0.0.1:5432/test); TEMPORAL_CLI a binary.
 * The exit code is non-zero only on a correctness failure, never on a time.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import postgres from 'postgres';
import { createAggregationActivities, type AggregationSummary } from '../activities/aggregation';
import { createTokenService } from '../application/auth/tokens';
import { openDatabase } from '../db/connect';
import { createReadModelRepository } from '../db/repositories/read-model';
import { startDevServer } from '../runtime/dev-server';
import { ensureSearchAttributes } from '../runtime/search-attributes';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { fullSelfAssessment } from '../seed/scores';
import { scoresToWire } from '../api/wire/unit';
import { progressQuery } from '../contracts/messages';
import {
  createScratchDatabase,
  eventually,
  freePort,
  mapWithConcurrency,
  ownCpuSeconds,
  percentile,
  readCpuSeconds,
  readPostgresCpuSeconds,
  ROOT,
  runNodeScript,
  startCpuSplit,
  startNodeService,
  waitForHttp,
  waitUntilIdle,
  type CpuSplit,
  type NodeService,
} from './stack';
import { benchCampaign } from './campaign';
import { makeCouncilReady, rawAggregate } from './aggregation-floor';
import { measureSurveyPoints } from './survey-points';
import { SmtpSink } from '../test/integration/reminders-smtp-sink';
import { createFloorMailActivities } from './floor-mail';
import { floorReminderStorm, systemReminderStorm, type StormResult } from './reminder-storm';
import { finishSignal, noopWorkflow, pingUpdate } from './workflows/noop';
import { firstTasksDone, type FirstTasks } from './first-tasks';
import { unitWorkflowId } from '../domain/units';

const { values: args } = parseArgs({
  options: {
    units: { type: 'string' },
    answers: { type: 'string' },
    concurrency: { type: 'string', default: '50' },
    reads: { type: 'string', default: '200' },
    quick: { type: 'boolean', default: false },
    'storm-only': { type: 'boolean', default: false },
    'skip-storm': { type: 'boolean', default: false },
  },
});
const QUICK = args.quick === true;
/** P1 and P3 only: the reminder storm needs the fan-out's campaign and nothing after it. */
const STORM_ONLY = args['storm-only'] === true;
/** Everything but P3 (its lead and two storms are most of a run): for comparing changes that P3 does not need. */
const SKIP_STORM = args['skip-storm'] === true;
const N = Number(args.units ?? (QUICK ? 200 : 5000));
const M = Number(args.answers ?? (QUICK ? 20_000 : 1_000_000));
const CONCURRENCY = Number(args.concurrency);
const READS = Number(args.reads);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const JWT_SECRET = `bench-${randomBytes(24).toString('hex')}`;
/** The startUnits activity starts unit workflows 100 in flight (activities/fan-out.ts START_CONCURRENCY); the floor gets the same parallelism. */
const START_PARALLELISM = 100;
const SUBCRITERIA_PER_UNIT = 40;

interface Row {
  scenario: string;
  measured: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

const rows: Row[] = [];
const failures: string[] = [];
const figures: Record<string, unknown> = {};
/** P2's projection lag is sampled on one submission in LAG_SAMPLE, polled every LAG_POLL_MS (the lag's resolution). */
const LAG_SAMPLE = 10;
const LAG_POLL_MS = 10;
const fmtMs = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const met = (ok: boolean) => (ok ? 'yes' : 'NO');

function check(condition: boolean, what: string) {
  if (!condition) failures.push(what);
}

async function main() {
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const executable = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI, progress: log });
  if (!executable) throw new Error('no Temporal CLI found (npm run temporal:resolve)');
  const temporalServer = await startDevServer({ executable, port: await freePort(), startupTimeoutMs: 120_000 });
  log(`Temporal dev server at ${temporalServer.address} (in memory)`);
  const database = await createScratchDatabase(ADMIN_URL);
  const dataDir = mkdtempSync(join(tmpdir(), 'par-bench-'));
  const services: NodeService[] = [];
  let handle: ReturnType<typeof openDatabase> | null = null;
  let sql: postgres.Sql | null = null;
  let benchWorker: Worker | null = null;
  let benchWorkerRun: Promise<void> | null = null;
  let connection: Connection | null = null;
  let rssSampler: NodeJS.Timeout | null = null;
  let stopServices = async () => {
    for (const service of services) await service.stop();
  };
  // The SMTP server both reminder storms (P3) deliver to: the worker's and the floor's.
  const sink = new SmtpSink(await freePort());
  await sink.start();
  const floorMail = createFloorMailActivities(sink.port);
  let phase = 'start-up';
  let startedUnits = 0;
  let nativeConnection: NativeConnection | null = null;
  try {
    const apiPort = await freePort();
    const env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: temporalServer.address,
      API_PORT: String(apiPort),
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      // The deadline burst comes from one IP; the default 600/min would answer 429 to the harness.
      RATE_LIMIT_MAX: '100000000',
      // The bursts measure how long a step takes, however long: a step answered 503 at the default
      // bound (a client's cue to retry with its key) would be missing from the latencies.
      TEMPORAL_CALL_TIMEOUT_MS: '120000',
      // Built below, as the image builds it: the worker does not bundle at start.
      WORKFLOW_BUNDLE_PATH: join(dataDir, 'workflow-bundle.js'),
    };
    await runNodeScript('scripts/migrate.ts', env);
    log('migrations applied');
    await runNodeScript('scripts/bundle-workflows.ts', env);
    // BENCH_WORKER_NODE_ARGS profiles the worker alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof --cpu-prof-interval=5000`.
    const workerNodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const worker = startNodeService('worker', 'worker/main.ts', env, workerNodeArgs);
    const api = startNodeService('api', 'server/main.ts', env);
    services.push(worker, api);
    // VmHWM is sampled every second too, so the peak is known even if a process dies mid-run.
    const peaks = new Map<string, number>();
    const sampleRss = () => {
      for (const service of [worker, api]) {
        const rss = service.peakRssMiB();
        if (rss !== null) peaks.set(service.name, Math.max(rss, peaks.get(service.name) ?? 0));
      }
    };
    rssSampler = setInterval(sampleRss, 1_000);
    let stopping = false;
    stopServices = async () => {
      stopping = true;
      for (const service of services) await service.stop();
    };
    const died = new Promise<never>((_, reject) => {
      for (const service of [worker, api]) {
        void service.exited.then(({ code, signal }) => {
          if (!stopping) reject(new Error(`the ${service.name} process exited (code ${code}, signal ${signal}) during ${phase}; its last output:\n${service.tail().split('\n').slice(-4).join('\n')}`));
        });
      }
    });
    died.catch(() => undefined);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${apiUrl}/health`, api, 120_000);
    log(`API at ${apiUrl}; worker pid ${worker.child.pid}, API pid ${api.child.pid}`);

    connection = await Connection.connect({ address: temporalServer.address });
    await ensureSearchAttributes(connection, 'default');
    const client = new Client({ connection });
    nativeConnection = await NativeConnection.connect({ address: temporalServer.address });
    const benchQueue = `bench-noop-${randomBytes(4).toString('hex')}`;
    benchWorker = await Worker.create({
      connection: nativeConnection,
      taskQueue: benchQueue,
      activities: floorMail.activities,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: join(ROOT, 'bench/workflows/index.ts'),
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (message) => process.stderr.write(`${message}\n`) },
      }),
    });
    benchWorkerRun = benchWorker.run();

    handle = openDatabase({ url: database.url, dataDir });
    sql = postgres(database.url, { max: 4, onnotice: () => {} });
    const rawSql = sql;
    const readModelDb = handle.db;
    const tokens = createTokenService({ secret: JWT_SECRET, ttlSeconds: 4 * 3600 });
    const adminAuth = `Bearer ${(await tokens.sign({ id: 'snv.admin', role: 'admin', unitCode: 'SNV' })).token}`;
    const call = async (method: string, path: string, body?: unknown, authorization = adminAuth) => {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(120_000),
      });
      return { status: response.status, text: await response.text() };
    };

    const workerPid = worker.child.pid!;
    // Where a phase's CPU goes; the harness's share includes the floors' bench worker.
    const cpuSources = {
      worker: () => readCpuSeconds(workerPid),
      api: () => readCpuSeconds(api.child.pid!),
      temporal: () => readCpuSeconds(temporalServer.pid),
      postgres: readPostgresCpuSeconds,
      harness: ownCpuSeconds,
    };
    const waitForQuietWorker = async (after: string) => {
      const ms = await waitUntilIdle(workerPid);
      log(`the worker went quiet ${fmtS(ms)} after ${after}`);
      return ms;
    };

    const measure = async () => {
      // ------------------------------------------------------------ P1 fan-out
      phase = 'P1 fan-out';
      // The worker bundles its workflow code with webpack at start: a peak of its own, before any campaign exists.
      const workerStartRssMiB = worker.peakRssMiB();
      figures.workerStartRssMiB = workerStartRssMiB;
      log(`worker peak RSS after start-up, before any campaign: ${workerStartRssMiB?.toFixed(0) ?? '?'} MiB`);
      const slug = `bench${randomBytes(4).toString('hex')}`;
      const definition = benchCampaign(slug, N);
      const campaignId = `par-${definition.year}-${slug}`;
      let t = performance.now();
      const created = await call('POST', '/campaigns', definition);
      const createMs = performance.now() - t;
      if (created.status !== 201) throw new Error(`POST /campaigns answered ${created.status}: ${created.text.slice(0, 500)}`);
      log(`campaign ${campaignId} of ${N} units created in ${fmtS(createMs)}`);
      const campaign = client.workflow.getHandle(campaignId);
      const stopFanOutCpu = startCpuSplit(cpuSources);
      const stopReadyCpu = startCpuSplit(cpuSources);
      // P1' counts from here by the server's clock: the wall clock of this host.
      const publishedAt = Date.now();
      t = performance.now();
      const published = await call('POST', `/campaigns/${campaignId}/guidance/publish`, { document: { name: 'huong-dan.pdf', ref: 'bench' }, note: '' });
      if (published.status !== 200) throw new Error(`guidance/publish answered ${published.status}: ${published.text.slice(0, 500)}`);
      let unitsStarted = 0;
      // A query can fail while the worker is saturated (its workflow task does not answer in
      // time): that is a measurement, not the end of the fan-out; it is counted and asked again.
      const queryFailures = { count: 0, first: null as string | null };
      try {
        await eventually(async () => {
          try {
            unitsStarted = (await campaign.query(progressQuery)).unitsStarted;
          } catch (error) {
            queryFailures.count += 1;
            queryFailures.first ??= `${String(error)}${error instanceof Error && error.cause ? ` (${String(error.cause)})` : ''}`;
            return false;
          }
          return unitsStarted >= N;
        }, Math.max(120_000, N * 200), 'every unit workflow to start');
      } catch (error) {
        log(String(error));
      }
      if (queryFailures.count > 0) log(`P1: the campaign's progress query failed ${queryFailures.count} time(s) while polling, first: ${queryFailures.first}`);
      const fanOutMs = performance.now() - t;
      const fanOutCpu = stopFanOutCpu();
      startedUnits = unitsStarted;
      check(unitsStarted === N, `P1: ${unitsStarted} of ${N} unit workflows started`);
      const runningUnits = await eventually(async () => {
        const { count } = await client.workflow.count(`CampaignId = '${campaignId}' AND WorkflowType = 'unitWorkflowV2' AND ExecutionStatus = 'Running'`);
        return count >= N ? count : undefined;
      }, 60_000, 'visibility to list every unit workflow as running', 500).catch(() => -1);
      check(runningUnits === N, `P1: visibility lists ${runningUnits} running unit workflows, expected ${N}`);
      log(`P1 fan-out: ${unitsStarted} units started in ${fmtS(fanOutMs)} (visibility: ${runningUnits} running)`);

      // P1 is done when every unit workflow is running; their first workflow tasks may still be
      // queued, minutes of the worker's CPU. The floor starts on a quiet machine, not in their wake.
      const settled = await waitForQuietWorker('P1');
      // What the starts and the first tasks cost in all (the quiet tail adds next to nothing): on two shared cores, what P1' follows.
      const readyCpu = stopReadyCpu();
      // P1': until every unit's first workflow task was done, read from the histories once the worker is quiet.
      const unitIds = definition.units.slice(0, unitsStarted).map((unit) => unitWorkflowId(campaignId, unit.code));
      const ready = await firstTasksDone(client, unitIds, publishedAt);
      log(`P1': every unit's first task done ${fmtS(ready.lastMs)} after the publish (half of them by ${fmtS(ready.p50Ms)}; ${ready.missing} not done)`);
      const stopStartsCpu = startCpuSplit(cpuSources);
      const stopFloorReadyCpu = startCpuSplit(cpuSources);
      const floorStartedAt = Date.now();
      t = performance.now();
      const noopHandles = await mapWithConcurrency(
        Array.from({ length: N }, (_, i) => i),
        START_PARALLELISM,
        (i) => client.workflow.start(noopWorkflow, { taskQueue: benchQueue, workflowId: `${campaignId}/noop-${i}` }),
      );
      const noopStartMs = performance.now() - t;
      const startsCpu = stopStartsCpu();
      log(`P1 baseline: ${N} empty workflows started in ${fmtS(noopStartMs)}`);
      await benchWorkerSettled(benchWorker!);
      const floorReadyCpu = stopFloorReadyCpu();
      const floorReady = await firstTasksDone(client, noopHandles.map((noop) => noop.workflowId), floorStartedAt);
      log(`P1' baseline: every no-op's first task done ${fmtS(floorReady.lastMs)} after its start (half of them by ${fmtS(floorReady.p50Ms)})`);
      log(`P1' CPU per unit, start and first task, system: ${cpuPerItem(readyCpu, N)} (${cpuTotalPerItem(readyCpu, N)}); floor: ${cpuPerItem(floorReadyCpu, N)} (${cpuTotalPerItem(floorReadyCpu, N)})`);
      check(ready.missing === 0, `P1': ${ready.missing} of ${unitIds.length} units had not run their first workflow task`);
      log(`P1 CPU per unit, system: ${cpuPerItem(fanOutCpu, N)}; floor: ${cpuPerItem(startsCpu, N)}`);
      figures.p1 = {
        createMs,
        fanOutMs,
        baselineMs: noopStartMs,
        unitsStarted,
        runningUnits,
        queryFailures,
        cpuSeconds: { system: fanOutCpu, floor: startsCpu },
        ready,
        baselineReady: floorReady,
        readyCpuSeconds: { system: readyCpu, floor: floorReadyCpu },
      };
      rows.push({
        scenario: unitsStarted === N ? `P1 fan-out, ${N} unit workflows running` : `P1 fan-out, only ${unitsStarted} of ${N} running when stopped`,
        measured: fmtS(fanOutMs),
        baseline: fmtS(noopStartMs),
        ratio: `${(fanOutMs / noopStartMs).toFixed(2)}×`,
        target: '≤ 1.25×',
        met: met(fanOutMs / noopStartMs <= 1.25),
      });
      rows.push(readyRow(N, ready, floorReady));

      // ------------------------------------------------------------ P3 reminder storm
      phase = 'P3 reminder storm';
      if (!SKIP_STORM) {
        const storm = { n: startedUnits, call, sql: rawSql, sink, log };
        const system = await systemReminderStorm(storm, campaignId, definition.units.slice(0, startedUnits).map((unit) => unit.code));
        log(`P3: ${system.recipients}/${startedUnits} units reminded in ${system.deliveredMs === null ? '—' : fmtS(system.deliveredMs)}, ${system.duplicates} duplicates`);
        await waitForQuietWorker('the system storm');
        const floor = await floorReminderStorm(storm, client, benchQueue, campaignId);
        log(`P3 floor: ${floor.recipients}/${startedUnits} in ${floor.deliveredMs === null ? '—' : fmtS(floor.deliveredMs)}`);
        figures.p3 = { workerQuietAfterP1Ms: settled, system, floor };
        check(system.recipients === startedUnits, `P3: ${system.recipients} of ${startedUnits} units got their reminder`);
        check(system.duplicates === 0, `P3: ${system.duplicates} duplicate reminders`);
        rows.push(stormRow(startedUnits, system, floor));
      }
      if (STORM_ONLY) return;

      // ------------------------------------------------------------ P2 deadline burst
      phase = 'P2 deadline burst';
      const settledAfterP3 = await waitForQuietWorker(SKIP_STORM ? 'the P1 floor' : 'P3');
      const units = definition.units;
      const bodies = new Map(
        Object.entries(definition.framework.groups).map(([code, group]) => [code, { scores: scoresToWire(fullSelfAssessment(group)), approved_by: 'Thủ trưởng đơn vị' }]),
      );
      check(
        [...bodies.values()].every((body) => body.scores.length === SUBCRITERIA_PER_UNIT),
        `P2: the framework has not ${SUBCRITERIA_PER_UNIT} sub-criteria per group`,
      );
      const unitAuth = await Promise.all(
        units.map(async (unit) => `Bearer ${(await tokens.sign({ id: unit.code.toLowerCase(), role: 'unit', unitCode: unit.code })).token}`),
      );
      const statuses = new Map<number, number>();
      let firstError = '';
      // The read model's lag behind the answers: for one submission in LAG_SAMPLE, from its 200 until the
      // progress table shows it (submitted_at, written in the transaction that appends its event), by primary key.
      const lagSamples: Promise<number>[] = [];
      const lagOf = async (unitCode: string, answeredAt: number) => {
        for (;;) {
          const [row] = await rawSql`select submitted_at is not null as seen from campaign_units where campaign_id = ${campaignId} and unit_code = ${unitCode}`;
          if (row?.seen) return performance.now() - answeredAt;
          if (performance.now() - answeredAt > 300_000) return Number.POSITIVE_INFINITY;
          await new Promise((resolve) => setTimeout(resolve, LAG_POLL_MS));
        }
      };
      const stopSystemCpu = startCpuSplit(cpuSources);
      t = performance.now();
      const submitLatencies = await mapWithConcurrency(units, CONCURRENCY, async (unit, i) => {
        const begun = performance.now();
        const response = await call('POST', `/campaigns/${campaignId}/units/${unit.code}/self-assessment`, bodies.get(unit.group), unitAuth[i]);
        const answeredAt = performance.now();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status !== 200 && !firstError) firstError = `${unit.code}: ${response.status} ${response.text.slice(0, 300)}`;
        if (response.status === 200 && i % LAG_SAMPLE === 0) lagSamples.push(lagOf(unit.code, answeredAt));
        return answeredAt - begun;
      });
      const burstMs = performance.now() - t;
      const systemCpu = stopSystemCpu();
      const lags = await Promise.all(lagSamples);
      const lag = { samples: lags.length, p50: percentile(lags, 50), p99: percentile(lags, 99), max: Math.max(...lags) };
      log(`P2 projection lag (200 → progress table), ${lag.samples} samples: p50 ${fmtMs(lag.p50)}, p99 ${fmtMs(lag.p99)}, max ${fmtMs(lag.max)}`);
      check(statuses.get(200) === N, `P2: ${statuses.get(200) ?? 0} of ${N} submissions answered 200 (${JSON.stringify(Object.fromEntries(statuses))}; first: ${firstError})`);
      log(`P2 burst: ${N} submissions in ${fmtS(burstMs)} (${JSON.stringify(Object.fromEntries(statuses))})`);

      const sampleBody = bodies.get(units[0]!.group);
      const stopFloorCpu = startCpuSplit(cpuSources);
      t = performance.now();
      const pingLatencies = await mapWithConcurrency(noopHandles, CONCURRENCY, async (noop) => {
        const begun = performance.now();
        await noop.executeUpdate(pingUpdate, { args: [sampleBody] });
        return performance.now() - begun;
      });
      const pingMs = performance.now() - t;
      const floorCpu = stopFloorCpu();
      log(`P2 CPU per submission, system: ${cpuPerItem(systemCpu, N)}; floor: ${cpuPerItem(floorCpu, N)}`);
      log(`P2 baseline: ${N} raw updates in ${fmtS(pingMs)}`);
      const throughput = (N / burstMs) * 1000;
      const pingThroughput = (N / pingMs) * 1000;
      const p2 = {
        concurrency: CONCURRENCY,
        burstMs,
        throughput,
        p50: percentile(submitLatencies, 50),
        p99: percentile(submitLatencies, 99),
        baselineMs: pingMs,
        baselineThroughput: pingThroughput,
        baselineP50: percentile(pingLatencies, 50),
        baselineP99: percentile(pingLatencies, 99),
        statuses: Object.fromEntries(statuses),
        cpuSeconds: { system: systemCpu, floor: floorCpu },
        projectionLag: lag,
      };
      figures.p2 = { workerQuietAfterP3Ms: settledAfterP3, ...p2 };
      rows.push(
        {
          scenario: `P2 deadline burst, throughput (c=${CONCURRENCY})`,
          measured: `${throughput.toFixed(1)} /s`,
          baseline: `${pingThroughput.toFixed(1)} /s`,
          ratio: `${(throughput / pingThroughput).toFixed(2)}×`,
          target: '≥ 0.6×',
          met: met(throughput / pingThroughput >= 0.6),
        },
        {
          scenario: 'P2 deadline burst, p50 latency',
          measured: fmtMs(p2.p50),
          baseline: fmtMs(p2.baselineP50),
          ratio: `${(p2.p50 / p2.baselineP50).toFixed(2)}×`,
          target: '—',
          met: '—',
        },
        {
          scenario: 'P2 deadline burst, p99 latency',
          measured: fmtMs(p2.p99),
          baseline: fmtMs(p2.baselineP99),
          ratio: `${(p2.p99 / p2.baselineP99).toFixed(2)}×`,
          target: '< 500 ms',
          met: met(p2.p99 < 500),
        },
        {
          scenario: `P2 projection lag, p99 (200 → progress table; ${lag.samples} samples)`,
          measured: fmtMs(lag.p99),
          baseline: '—',
          ratio: '—',
          target: '—',
          met: '—',
        },
      );
      await Promise.all(noopHandles.map((noop) => noop.signal(finishSignal).catch(() => undefined)));

      // Every accepted submission is mirrored into the read model (by the API's projection, which the answer waits for).
      t = performance.now();
      const selfRows = await eventually(async () => {
        const [row] = await rawSql`select count(*)::int as n from score_entries where campaign_id = ${campaignId} and score_column = 'self'`;
        const n = Number(row?.n ?? 0);
        return n >= N * SUBCRITERIA_PER_UNIT ? n : undefined;
      }, 300_000, 'the read model to hold every self-assessment', 250).catch(() => -1);
      figures.projectionLagMs = performance.now() - t;
      check(selfRows === N * SUBCRITERIA_PER_UNIT, `P2: the read model holds ${selfRows} self scores, expected ${N * SUBCRITERIA_PER_UNIT}`);

      // ------------------------------------------------------------ P4 progress read
      phase = 'P4 progress read';
      const progressPath = `/campaigns/${campaignId}/progress/units`;
      // The raw floor: the same two questions straight to Postgres (counts per stage × status, then one page of 500 rows).
      const rawRead = async () => {
        await rawSql`select stage, status, count(*)::int from campaign_units where campaign_id = ${campaignId} group by stage, status`;
        await rawSql`select unit_code, name_vi, group_code, stage, status, flags, self_assessment_due, explanations_due, submitted_at, last_activity_at
                   from campaign_units where campaign_id = ${campaignId} order by unit_code limit 500`;
      };
      // On a quiet worker, and each GET paired with a raw read right after it, so both see the same load.
      await waitForQuietWorker('P2');
      for (let i = 0; i < 10; i++) {
        await call('GET', progressPath);
        await rawRead();
      }
      const readLatencies: number[] = [];
      const rawLatencies: number[] = [];
      let readErrors = 0;
      for (let i = 0; i < READS; i++) {
        let begun = performance.now();
        const response = await call('GET', progressPath);
        readLatencies.push(performance.now() - begun);
        if (response.status !== 200) readErrors++;
        begun = performance.now();
        await rawRead();
        rawLatencies.push(performance.now() - begun);
      }
      check(readErrors === 0, `P4: ${readErrors} of ${READS} progress reads did not answer 200`);
      const p4 = {
        reads: READS,
        p50: percentile(readLatencies, 50),
        p95: percentile(readLatencies, 95),
        baselineP50: percentile(rawLatencies, 50),
        baselineP95: percentile(rawLatencies, 95),
      };
      figures.p4 = p4;
      log(`P4 progress: p95 ${fmtMs(p4.p95)} vs raw ${fmtMs(p4.baselineP95)}`);
      rows.push(
        {
          scenario: `P4 progress read, p50 (${READS} GETs)`,
          measured: fmtMs(p4.p50),
          baseline: fmtMs(p4.baselineP50),
          ratio: `${(p4.p50 / p4.baselineP50).toFixed(2)}×`,
          target: '—',
          met: '—',
        },
        {
          scenario: `P4 progress read, p95 (${READS} GETs)`,
          measured: fmtMs(p4.p95),
          baseline: fmtMs(p4.baselineP95),
          ratio: `${(p4.p95 / p4.baselineP95).toFixed(2)}×`,
          target: '≤ 2× and ≤ 50 ms',
          met: met(p4.p95 / p4.baselineP95 <= 2 && p4.p95 <= 50),
        },
      );

      // ------------------------------------------------------------ P5 aggregation
      phase = 'P5 aggregation';
      const readModel = createReadModelRepository(readModelDb);
      const { rebuildMs: sheetsRebuildMs } = await makeCouncilReady(rawSql, readModel, campaignId);
      log(`P5: every unit's sheet rebuilt after round 1's SQL copy in ${fmtMs(sheetsRebuildMs)} (not part of the pass)`);
      const aggregation = createAggregationActivities({ readModel });
      const activityEnv = new MockActivityEnvironment({}, { logger: new DefaultLogger('WARN') });
      const aggregateRuns: number[] = [];
      let aggregatedUnits = 0;
      for (let i = 0; i < 3; i++) {
        const begun = performance.now();
        const summary = (await activityEnv.run(aggregation.aggregateResults, { campaignId, pass: 1 })) as AggregationSummary;
        aggregateRuns.push(performance.now() - begun);
        aggregatedUnits = summary.units;
      }
      check(aggregatedUnits === N, `P5: the aggregation ranked ${aggregatedUnits} units, expected ${N}`);
      const rawRuns: number[] = [];
      let rawUnits = 0;
      for (let i = 0; i < 3; i++) {
        const begun = performance.now();
        rawUnits = await rawAggregate(rawSql, campaignId);
        rawRuns.push(performance.now() - begun);
      }
      check(rawUnits === N, `P5: the raw aggregate returned ${rawUnits} units, expected ${N}`);
      const p5 = {
        runsMs: aggregateRuns,
        baselineRunsMs: rawRuns,
        medianMs: percentile(aggregateRuns, 50),
        baselineMedianMs: percentile(rawRuns, 50),
        scoreRows: N * SUBCRITERIA_PER_UNIT * 2,
        sheetsRebuildMs,
      };
      figures.p5 = p5;
      log(`P5 aggregation: ${fmtMs(p5.medianMs)} vs raw ${fmtMs(p5.baselineMedianMs)}`);
      rows.push({
        scenario: `P5 aggregation + ranking (${N} units, ${(p5.scoreRows).toLocaleString('en')} score rows; median of 3)`,
        measured: fmtMs(p5.medianMs),
        baseline: fmtMs(p5.baselineMedianMs),
        ratio: `${(p5.medianMs / p5.baselineMedianMs).toFixed(2)}×`,
        target: '≤ 1.5×',
        met: met(p5.medianMs / p5.baselineMedianMs <= 1.5),
      });

      // ------------------------------------------------------------ P5 survey points from M answers
      if (M === 0) return;
      phase = 'P5 survey points';
      const survey = await measureSurveyPoints(readModelDb, rawSql, campaignId, definition, M);
      for (const problem of survey.problems) check(false, problem);
      figures.p5Survey = survey;
      log(`P5 survey: ${survey.answers} answers imported in ${fmtMs(survey.importMs)} (not part of the measure); points ${fmtMs(survey.medianMs)} vs raw ${fmtMs(survey.baselineMedianMs)}`);
      rows.push({
        scenario: `P5 survey points of ${N} units from ${survey.answers.toLocaleString('en')} answers (median of 3)`,
        measured: fmtMs(survey.medianMs),
        baseline: fmtMs(survey.baselineMedianMs),
        ratio: `${(survey.medianMs / survey.baselineMedianMs).toFixed(2)}×`,
        target: '≤ 1.5×',
        met: met(survey.medianMs / survey.baselineMedianMs <= 1.5),
      });

    };
    const measuring = measure();
    measuring.catch(() => undefined);
    try {
      await Promise.race([measuring, died]);
    } catch (error) {
      failures.push(`${phase}: ${(error as Error).message}`);
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    }

    // ------------------------------------------------------------ peak RSS
    sampleRss();
    const workerRss = peaks.get('worker') ?? null;
    const apiRss = peaks.get('api') ?? null;
    const workerAlive = worker.child.exitCode === null && worker.child.signalCode === null;
    const apiAlive = api.child.exitCode === null && api.child.signalCode === null;
    figures.rss = { workerMiB: workerRss, apiMiB: apiRss, workerAlive, apiAlive, unitWorkflowsStarted: startedUnits };
    check(workerAlive && apiAlive, 'the worker or the API exited during the run');
    rows.push(
      {
        scenario: `Peak RSS of the worker (${startedUnits} open unit workflows)`,
        measured: `${workerRss?.toFixed(0) ?? '?'} MiB${workerAlive ? '' : ' (then it died)'}`,
        baseline: '—',
        ratio: '—',
        target: '≤ 1024 MiB',
        met: met(workerAlive && workerRss !== null && workerRss <= 1024),
      },
      { scenario: 'Peak RSS of the API', measured: `${apiRss?.toFixed(0) ?? '?'} MiB${apiAlive ? '' : ' (then it died)'}`, baseline: '—', ratio: '—', target: '—', met: '—' },
    );
  } finally {
    if (rssSampler) clearInterval(rssSampler);
    await stopServices();
    if (benchWorker && benchWorker.getState() === 'RUNNING') benchWorker.shutdown();
    await benchWorkerRun?.catch(() => undefined);
    await nativeConnection?.close();
    await connection?.close();
    await sql?.end();
    await handle?.close();
    await database.drop();
    await temporalServer.stop();
    floorMail.close();
    await sink.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const table = renderTable(rows);
  const machine = {
    nproc: cpus().length,
    memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    uname: execSync('uname -a').toString().trim(),
    node: process.version,
  };
  const date = new Date().toISOString();
  process.stdout.write(`\npar-index benchmarks (${date}; N = ${N} units${QUICK ? ', quick' : ''}; ${machine.nproc} cores, node ${machine.node})\n${table}\n`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const file = join(ROOT, 'bench/results', `${date.slice(0, 10)}-n${N}${QUICK ? '-quick' : ''}${STORM_ONLY ? '-storm' : ''}${SKIP_STORM ? '-nostorm' : ''}.json`);
  const options = {
    units: N,
    answers: M,
    concurrency: CONCURRENCY,
    reads: READS,
    quick: QUICK,
    stormOnly: STORM_ONLY,
    skipStorm: SKIP_STORM,
    workerMaxCachedWorkflows: process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 'default',
  };
  writeFileSync(file, `${JSON.stringify({ date, options, machine, rows, figures, failures }, null, 2)}\n`);
  process.stdout.write(`results: ${file}\n`);
  if (failures.length > 0) {
    process.stdout.write(`correctness failures:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(
      STORM_ONLY
        ? 'correctness: every unit started, every unit reminded once\n'
        : `correctness: every unit started,${SKIP_STORM ? '' : ' every unit reminded once,'} every submission answered 200, every score projected\n`,
    );
  }
}

function stormRow(n: number, system: StormResult, floor: StormResult): Row {
  const ratio = system.deliveredMs !== null && floor.deliveredMs ? system.deliveredMs / floor.deliveredMs : null;
  return {
    scenario: `P3 reminder storm, ${n} reminders due at one instant (duplicates: ${system.duplicates})`,
    measured: system.deliveredMs === null ? `${system.recipients} of ${n} delivered` : fmtS(system.deliveredMs),
    baseline: floor.deliveredMs === null ? `${floor.recipients} of ${n} delivered` : fmtS(floor.deliveredMs),
    ratio: ratio === null ? '—' : `${ratio.toFixed(2)}×`,
    target: '≤ 1.5×, 0 duplicates',
    met: met(ratio !== null && ratio <= 1.5 && system.duplicates === 0),
  };
}

/** P1': the campaign's units ready (each one's first workflow task done) against the no-op floor's starts and first tasks. */
function readyRow(n: number, system: FirstTasks, floor: FirstTasks): Row {
  const ratio = system.lastMs / floor.lastMs;
  return {
    scenario: system.missing === 0 ? `P1' fan-out, ${n} units ready (first workflow task done)` : `P1' fan-out, ${system.done} of ${n} units ready`,
    measured: fmtS(system.lastMs),
    baseline: fmtS(floor.lastMs),
    ratio: `${ratio.toFixed(2)}×`,
    target: '≤ 1.5×',
    met: met(system.missing === 0 && ratio <= 1.5),
  };
}

/** Until the harness's no-op worker has had no activation in flight for a second: the floor's first tasks have run. */
async function benchWorkerSettled(worker: Worker): Promise<void> {
  let quietSince = performance.now();
  for (;;) {
    if (worker.getStatus().numInFlightWorkflowActivations > 0) quietSince = performance.now();
    else if (performance.now() - quietSince >= 1_000) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** "worker 12.3 ms, api 2.1 ms, …": each process's CPU per item of a phase. */
function cpuPerItem(split: CpuSplit, items: number): string {
  return Object.entries(split)
    .map(([name, seconds]) => `${name} ${seconds === null ? '?' : ((seconds * 1000) / items).toFixed(1)} ms`)
    .join(', ');
}

/** "12.3 ms in all": every process's CPU per item of a phase, summed. */
function cpuTotalPerItem(split: CpuSplit, items: number): string {
  const seconds = Object.values(split).reduce<number>((sum, value) => sum + (value ?? 0), 0);
  return `${((seconds * 1000) / items).toFixed(1)} ms in all`;
}

function renderTable(table: Row[]): string {
  const header: Row = { scenario: 'scenario', measured: 'measured', baseline: 'baseline', ratio: 'ratio', target: 'target', met: 'met?' };
  const keys = Object.keys(header) as (keyof Row)[];
  const widths = keys.map((key) => Math.max(...[header, ...table].map((row) => row[key].length)));
  const line = (row: Row) => `| ${keys.map((key, i) => row[key].padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.map(line)].join('\n');
}

try {
  await main();
} catch (error) {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
}
