import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import closeWithGrace from 'close-with-grace';
import { createTokenService } from '../application/auth/tokens';
import { composeApi } from '../server/compose';
import { openDatabase } from '../db/connect';
import { createUserRepository } from '../db/repositories/users';
import { loadConfig, publicUrl } from '../runtime/config';
import { startDevServer, type RunningDevServer } from '../runtime/dev-server';
import { createLogger } from '../runtime/logger';
import { startSdkDevServer } from '../runtime/sdk-dev-server';
import { ensureSearchAttributes } from '../runtime/search-attributes';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { installTemporalRuntime } from '../runtime/temporal-runtime';
import { hanoi2019Campaign, HANOI_2019_TIMELINE, shiftTimeline } from '../seed/hanoi-2019';
import { DEMO_PASSWORD, seedDemoUsers } from '../seed/users';
import { composeWorker } from '../worker/compose';
import { workerTuning } from '../worker/create-worker';
import { createContactRepository } from '../db/repositories/contacts';
import { mailerFromConfig } from '../notifications/mailer';
import { hanoi2019Contacts } from '../seed/contacts-hanoi-2019';
import { tracingFromConfig } from '../observability/tracing-config';

/**
 * `npm start`: the whole system in one command for a newcomer. A Temporal dev
 * server keeps its state in DATA_DIR/temporal.sqlite and PGlite keeps the read
 * model in DATA_DIR/pglite, so a restart finds the campaign where it was. The
 * worker and the API share this process because PGlite serves one process.
 */
const config = loadConfig();
const logger = createLogger(config, 'par-index');
for (const warning of config.warnings) logger.warn(warning);
installTemporalRuntime(logger.child({ component: 'temporal' }));
const dataDir = resolve(config.DATA_DIR);
const [ip, portText] = config.TEMPORAL_ADDRESS.split(':') as [string, string];

async function startTemporal(): Promise<RunningDevServer | null> {
  if (await answers(config.TEMPORAL_ADDRESS)) {
    logger.info({ address: config.TEMPORAL_ADDRESS }, 'using the Temporal server already running there');
    return null;
  }
  const dbFilename = join(dataDir, 'temporal.sqlite');
  const executable = await resolveTemporalCli({
    explicitPath: config.TEMPORAL_CLI,
    progress: (line) => logger.info(line),
  });
  if (!executable) {
    logger.warn('no Temporal CLI and no Go toolchain: using the Temporal SDK download (needs internet)');
    return startSdkDevServer({ ip, port: Number(portText), uiPort: config.TEMPORAL_UI_PORT, dbFilename });
  }
  return startDevServer({ executable, ip, port: Number(portText), uiPort: config.TEMPORAL_UI_PORT, dbFilename });
}

async function answers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

const temporalServer = await startTemporal();
// Off (and nothing of OpenTelemetry loaded) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
const tracing = await tracingFromConfig(config, 'par-index');
const database = openDatabase({ url: config.DATABASE_URL, dataDir, observeQuery: tracing?.observeQuery });
await database.migrate();
// The demo (its users with the public password, contacts and campaign) is for a newcomer's machine:
// in production mode npm start seeds nothing, and the first admin comes from npm run admin:create.
const demo = config.NODE_ENV !== 'production';
if (demo) {
  const usersAdded = await seedDemoUsers(createUserRepository(database.db));
  if (usersAdded) logger.info({ usersAdded }, 'seeded the demo users (README: Demo users)');
  // Demo contacts for reminders: inserted once; existing (unit, e-mail) pairs are left alone.
  const contactsAdded = await createContactRepository(database.db).createMany(hanoi2019Contacts());
  if (contactsAdded) logger.info({ contactsAdded }, 'seeded the demo unit contacts');
} else {
  logger.info('NODE_ENV=production: no demo users, contacts or campaign; create the first administrator with npm run admin:create');
}
const mailer = mailerFromConfig(config);
if (!mailer) logger.info('SMTP_HOST is not set: reminder e-mail is recorded as skipped; the in-app inbox (GET /inbox) gets every message');

const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
await ensureSearchAttributes(clientConnection, config.TEMPORAL_NAMESPACE);
const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, interceptors: tracing?.clientInterceptors });

const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await composeWorker({
  db: database.db,
  connection: workerConnection,
  client: temporal,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  tuning: workerTuning(config),
  notifications: { mailer, publicUrl: publicUrl(config) },
  ...(tracing ? { interceptors: { activity: tracing.activityInterceptors }, sinks: tracing.workflowSinks } : {}),
});
const workerRun = worker.run();

const app = await composeApi({
  db: database.db,
  temporal,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  logger: logger.child({ component: 'api' }),
  settings: config,
  operations: { tracing: tracing?.fastifyPlugin },
});
await app.listen({ host: config.API_HOST, port: config.API_PORT });

if (demo) await seedDemoCampaign();

const apiUrl = publicUrl(config);
const uiUrl = temporalServer?.uiUrl ?? '(the Temporal server you run)';
process.stdout.write(
  [
    '',
    'par-index đang chạy / is running',
    `  API:          ${apiUrl}`,
    ...(demo
      ? [
          `  Dashboard:    ${apiUrl}/dashboard  (snv.admin / ${DEMO_PASSWORD})`,
          `  API docs:     ${apiUrl}/docs`,
          `  Demo campaign: ${apiUrl}/campaigns/par-2019-hn`,
          `  Log in:       POST ${apiUrl}/auth/login {"username":"snv.admin","password":"${DEMO_PASSWORD}"} (demo users: README)`,
        ]
      : [`  Dashboard:    ${apiUrl}/dashboard  (no demo data: npm run admin:create -- --username … --name …)`, `  API docs:     ${apiUrl}/docs`]),
    `  Temporal UI:  ${uiUrl}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows`,
    `  Data:         ${dataDir}`,
    'Ctrl+C to stop; data survive a restart.',
    '',
  ].join('\n'),
);

closeWithGrace({ delay: 30_000 }, async ({ err }) => {
  if (err) logger.error({ err }, 'shutting down after an error');
  await app.close();
  worker.shutdown();
  await workerRun;
  mailer?.close();
  await workerConnection.close();
  await clientConnection.close();
  await database.close();
  await temporalServer?.stop();
  await tracing?.shutdown();
});

/** Seeds the Hanoi 2019 demo once, as the demo admin: a 409 means an earlier start already did. */
async function seedDemoCampaign() {
  const definition = hanoi2019Campaign({ timeline: shiftTimeline(HANOI_2019_TIMELINE, Date.now(), 24 * 60 * 60 * 1000) });
  const tokens = createTokenService({ secret: config.JWT_SECRET, ttlSeconds: 60 });
  const { token } = await tokens.sign({ id: 'snv.admin', role: 'admin', unitCode: 'SNV' });
  const response = await app.inject({
    method: 'POST',
    url: '/campaigns',
    headers: { authorization: `Bearer ${token}` },
    payload: definition,
  });
  if (response.statusCode === 201) logger.info('seeded the demo campaign par-2019-hn');
  // Started, and the worker records it as soon as it gets to it (a slow first start).
  else if (response.statusCode === 503 && response.json<{ error: string }>().error === 'campaign_pending') logger.info('seeded the demo campaign par-2019-hn; its record follows');
  else if (response.statusCode !== 409) throw new Error(`seeding the demo campaign failed: ${response.statusCode} ${response.body}`);
}
