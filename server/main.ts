import { Client, Connection } from '@temporalio/client';
import closeWithGrace from 'close-with-grace';
import { openDatabase } from '../db/connect';
import { loadConfig } from '../runtime/config';
import { createApiMetrics, createRegistry } from '../observability/metrics';
import { postgresCheck, readiness, temporalCheck } from '../observability/readiness';
import { startOpsServer } from '../observability/server';
import { tracingFromConfig } from '../observability/tracing-config';
import { createLogger } from '../runtime/logger';
import { composeApi } from './compose';

// The API process: config → logger → db → Temporal client → app. With PGlite
// (no DATABASE_URL) the database belongs to one process, so run `npm start`
// instead of a separate API and worker.
const config = loadConfig();
const logger = createLogger(config, 'api');
for (const warning of config.warnings) logger.warn(warning);
// Off (and nothing of OpenTelemetry loaded) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
const tracing = await tracingFromConfig(config, 'par-index-api');
const database = openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, observeQuery: tracing?.observeQuery });
const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, interceptors: tracing?.clientInterceptors });
const registry = createRegistry('api');
const ready = readiness({ postgres: postgresCheck(database.db), temporal: temporalCheck(connection) });
const operations = { metrics: createApiMetrics(registry), readiness: ready, tracing: tracing?.fastifyPlugin };
const app = await composeApi({ db: database.db, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, logger, settings: config, operations });
const opsServer = config.METRICS_PORT ? await startOpsServer({ host: config.METRICS_HOST, port: config.METRICS_PORT, registry, readiness: ready }) : undefined;

closeWithGrace({ delay: 10_000 }, async ({ err }) => {
  if (err) logger.error({ err }, 'shutting down after an error');
  await app.close();
  opsServer?.close();
  await connection.close();
  await database.close();
  await tracing?.shutdown();
});

await app.listen({ host: config.API_HOST, port: config.API_PORT });
