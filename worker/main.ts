import { NativeConnection } from '@temporalio/worker';
import closeWithGrace from 'close-with-grace';
import { openDatabase } from '../db/connect';
import { mailerFromConfig } from '../notifications/mailer';
import { loadConfig, publicUrl, workflowBundleOf } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { ensureSearchAttributes } from '../runtime/search-attributes';
import { installTemporalRuntime } from '../runtime/temporal-runtime';
import { Client, Connection } from '@temporalio/client';
import { activityMetricsInterceptor } from '../observability/activity-metrics';
import { createRegistry, createWorkerMetrics, sdkMetrics } from '../observability/metrics';
import { postgresCheck, readiness, temporalCheck } from '../observability/readiness';
import { startOpsServer } from '../observability/server';
import { campaignStages } from '../observability/campaign-stages';
import { tracingFromConfig } from '../observability/tracing-config';
import { createParkedChangeRepository } from '../db/repositories/read-model-parking';
import { composeWorker } from './compose';
import { workerTuning } from './create-worker';

// The worker process: config → logger → db → Temporal connection → worker.
const config = loadConfig();
// Checked before anything connects: a missing bundle is a setting to fix, not a fault of the servers.
const workflowBundle = workflowBundleOf(config);
const logger = createLogger(config, 'worker');
installTemporalRuntime(logger, {
  metricsBindAddress: config.TEMPORAL_METRICS_PORT ? `${config.METRICS_HOST}:${config.TEMPORAL_METRICS_PORT}` : undefined,
});
// Off (and nothing of OpenTelemetry loaded) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
const tracing = await tracingFromConfig(config, 'par-index-worker');
// One connection per activity slot: a burst of projections never queues for the pool.
const database = openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  maxConnections: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
  observeQuery: tracing?.observeQuery,
});

const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const added = await ensureSearchAttributes(clientConnection, config.TEMPORAL_NAMESPACE);
if (added.length) logger.info({ added }, 'registered search attributes');
// Activities that signal other workflows (the unit fan-out) use this client.
const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, interceptors: tracing?.clientInterceptors });

// Reminder e-mail: without SMTP_HOST it is recorded as skipped; the in-app inbox still gets every message.
const mailer = mailerFromConfig(config);
if (!mailer) logger.warn('SMTP_HOST is not set: reminder e-mail is recorded as skipped (the in-app inbox still works)');

const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const registry = createRegistry('worker');
const parkedChanges = createParkedChangeRepository(database.db);
const metrics = createWorkerMetrics(registry, { campaignStages: () => campaignStages(database.db), parkedChanges: () => parkedChanges.countParked() });
const worker = await composeWorker({
  interceptors: { activity: [activityMetricsInterceptor(metrics), ...(tracing?.activityInterceptors ?? [])] },
  sinks: tracing?.workflowSinks,
  db: database.db,
  connection,
  client,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  workflowBundle,
  tuning: workerTuning(config),
  notifications: { mailer, publicUrl: publicUrl(config) },
});

const opsServer = config.METRICS_PORT
  ? await startOpsServer({
      host: config.METRICS_HOST,
      port: config.METRICS_PORT,
      registry,
      readiness: readiness({
        postgres: postgresCheck(database.db),
        temporal: temporalCheck(clientConnection),
        worker: async () => {
          if (worker.getState() !== 'RUNNING') throw new Error(`state ${worker.getState()}`);
        },
      }),
      extraMetrics: config.TEMPORAL_METRICS_PORT ? sdkMetrics(`http://${config.METRICS_HOST}:${config.TEMPORAL_METRICS_PORT}/metrics`) : undefined,
    })
  : undefined;

// Everything after the worker has stopped: its last activities' statements, then the spans still buffered.
const stopped = worker.run().finally(async () => {
  opsServer?.close();
  mailer?.close();
  await connection.close();
  await clientConnection.close();
  await database.close();
  await tracing?.shutdown();
});

// close-with-grace exits the process as soon as this resolves: it waits for the worker to finish its
// activities (worker.shutdown() only starts that) and for the cleanup above.
closeWithGrace({ delay: 30_000 }, async ({ err }) => {
  if (err) logger.error({ err }, 'shutting down after an error');
  worker.shutdown();
  await stopped;
});

await stopped;
