import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { openDatabase } from '../db/connect';
import { createUserRepository } from '../db/repositories/users';
import { unitWorkflowId } from '../domain/units';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { binaryVersion, resolveTemporalServer } from '../runtime/temporal-server';
import { seedDemoUsers } from '../seed/users';
import { createHttpCampaign, eventLogMismatches } from './prod-twin/campaign';
import { freePort, freePortBetween } from '../runtime/free-port';
import { type Env, killAll, type Managed, run, startProcess, until } from './prod-twin/processes';
import { pollingWorkers } from './prod-twin/temporal';
import { temporalCheck } from '../observability/readiness';

/**
 * `npm run prod:twin`: the executable twin of deploy/README.md, "Temporal
 * without Docker". On this machine's Postgres, in databases and roles of its own
 * (dropped at the end), it follows the guide's steps with the project's own
 * scripts and config: Temporal server 1.29.1 built with Go, its schemas by
 * deploy/temporal/setup-postgres.sh (temporal-sql-tool), the server from
 * deploy/temporal/config/par-index.yaml on ports of its own, the namespace by
 * deploy/temporal/init-namespace.sh, the read model by deploy/read-model.sql,
 * the workflow bundle, the migrations, then the API and two workers as separate
 * `node --import tsx` processes with NODE_ENV=production and a JWT_SECRET.
 * A campaign then runs through the HTTP API to publication while one worker is
 * killed with SIGKILL and restarted, the Temporal server is restarted, and the
 * whole stack is stopped, backed up by deploy/backup.sh, restored by
 * deploy/restore.sh into new databases and a new DATA_DIR, and started on them.
 * Keep it in step with the guide: a change to one is a change to both.
 *
 * PROD_TWIN_POSTGRES_URL names a superuser connection (default
 * postgres://postgres@127.0.0.1:5432/postgres); PROD_TWIN_KEEP=1 keeps the logs.
 */
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const t0 = Date.now();
function say(line: string) {
  process.stdout.write(`[prod-twin ${String(Math.round((Date.now() - t0) / 1000)).padStart(4)} s] ${line}\n`);
}

const admin = new URL(process.env.PROD_TWIN_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const pg = { host: admin.hostname, port: admin.port || '5432', user: decodeURIComponent(admin.username || 'postgres'), password: decodeURIComponent(admin.password) };
const id = `twin_${randomBytes(4).toString('hex')}`;
const names = {
  temporalRole: `${id}_temporal`,
  temporalDb: `${id}_temporal`,
  visibilityDb: `${id}_temporal_visibility`,
  parRole: `${id}_par`,
  parDb: `${id}_par`,
  restoredParDb: `${id}_par_restored`,
  restoredTemporalDb: `${id}_temporal_restored`,
  restoredVisibilityDb: `${id}_temporal_visibility_restored`,
};
const secret = () => randomBytes(24).toString('base64url');
/** The password of the campaign's accounts in this run (the README's demo password is refused in production mode). */
const twinPassword = secret();
const passwords = { temporal: secret(), par: secret() };
const scratch = mkdtempSync(join(tmpdir(), 'par-prod-twin-'));
const logDir = join(scratch, 'logs');
mkdirSync(logDir);
// Only what a service manager would give: no DATABASE_URL or TEMPORAL_* leaks in from the caller's shell.
const baseEnv: Env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), LANG: 'C.UTF-8' };

const psql = (args: string[], database = 'postgres') =>
  run('psql', ['-h', pg.host, '-p', pg.port, '-U', pg.user, '-d', database, '-v', 'ON_ERROR_STOP=1', '-q', ...args], {
    cwd: root,
    env: { ...baseEnv, PGPASSWORD: pg.password },
  });
const schemaVersion = async (database: string) => `${database} ${(await psql(['-At', '-c', 'select curr_version from schema_version'], database)).trim()}`;

const started: Managed[] = [];
// Interrupted (Ctrl-C, a CI timeout): nothing it started may outlive it. Its databases stay; their names are printed above.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => {
  killAll();
  process.exit(130);
});
let ok = false;
try {
  say(`scratch folder ${scratch}; databases and roles named ${id}_*`);
  const binaries = await resolveTemporalServer({ progress: say });
  if (!binaries) throw new Error('no temporal-server: install Go ≥ 1.25 or put temporal-server and temporal-sql-tool on PATH');
  const cli = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI, progress: say });
  if (!cli) throw new Error('no temporal CLI for init-namespace.sh: set TEMPORAL_CLI or install Go');
  say(`server: ${binaryVersion(binaries.server)}; ${binaryVersion(binaries.sqlTool)}; CLI ${cli}; app on Node ${process.version}`);
  const toolsPath = `${dirname(binaries.server)}:${dirname(binaries.sqlTool)}:${dirname(cli)}:${baseEnv.PATH}`;

  // Step 2 of the guide: Temporal's role, databases and schema.
  const schemaStarted = Date.now();
  await run('sh', ['deploy/temporal/setup-postgres.sh'], {
    cwd: root,
    env: {
      ...baseEnv,
      PATH: toolsPath,
      POSTGRES_HOST: pg.host,
      POSTGRES_PORT: pg.port,
      POSTGRES_ADMIN_USER: pg.user,
      POSTGRES_ADMIN_PASSWORD: pg.password || 'unused-with-trust-auth',
      TEMPORAL_DB_USER: names.temporalRole,
      TEMPORAL_DB_PASSWORD: passwords.temporal,
      TEMPORAL_DB: names.temporalDb,
      TEMPORAL_VISIBILITY_DB: names.visibilityDb,
    },
  });
  say(
    `Temporal schemas on Postgres by temporal-sql-tool (${Math.round((Date.now() - schemaStarted) / 1000)} s): ` +
      `${await schemaVersion(names.temporalDb)}, ${await schemaVersion(names.visibilityDb)}`,
  );

  // Step 3: the server from the project's config, on ports of its own.
  // Below 32768: the membership ports go into a Postgres smallint column (runtime/free-port.ts).
  const ports: Record<string, string> = {};
  const taken = new Set<number>();
  for (const name of ['FRONTEND_GRPC_PORT', 'FRONTEND_HTTP_PORT', 'FRONTEND_MEMBERSHIP_PORT', 'HISTORY_GRPC_PORT', 'HISTORY_MEMBERSHIP_PORT', 'MATCHING_GRPC_PORT', 'MATCHING_MEMBERSHIP_PORT', 'WORKER_GRPC_PORT', 'WORKER_MEMBERSHIP_PORT']) {
    const port = await freePortBetween(20_000, 32_000, taken);
    taken.add(port);
    ports[name] = String(port);
  }
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
  const serverEnv: Env = {
    ...baseEnv,
    ...ports,
    TEMPORAL_DB_HOST: pg.host,
    TEMPORAL_DB_PORT: pg.port,
    TEMPORAL_DB_USER: names.temporalRole,
    TEMPORAL_DB_PASSWORD: passwords.temporal,
    TEMPORAL_DB: names.temporalDb,
    TEMPORAL_VISIBILITY_DB: names.visibilityDb,
    TEMPORAL_LOG_LEVEL: 'warn',
  };
  let server = startServer();
  function startServer() {
    const child = startProcess('temporal-server', binaries!.server, ['--allow-no-auth', '--config', 'deploy/temporal/config', '--env', 'par-index', 'start'], { cwd: root, env: serverEnv, logDir });
    started.push(child);
    return child;
  }
  say(`temporal-server started (pid ${server.pid}), frontend ${address}`);

  // Step 4: namespace and search attributes (the script waits for the server's health itself).
  const namespace = 'default';
  const namespaceStarted = Date.now();
  await run('sh', ['deploy/temporal/init-namespace.sh'], { cwd: root, env: { ...baseEnv, PATH: toolsPath, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace } });
  say(`namespace ${namespace} and search attributes registered (${Math.round((Date.now() - namespaceStarted) / 1000)} s)`);

  // Step 5: the read model's role and database, the bundle, the migrations.
  await psql(['-v', `role=${names.parRole}`, '-v', `db=${names.parDb}`, '-v', `pw=${passwords.par}`, '-f', 'deploy/read-model.sql']);
  const databaseUrl = `postgres://${names.parRole}:${passwords.par}@${pg.host}:${pg.port}/${names.parDb}`;
  const bundlePath = join(scratch, 'dist', 'workflow-bundle.js');
  const bundleStarted = Date.now();
  await run('npm', ['run', '--silent', 'bundle:workflows', '--', bundlePath], { cwd: root, env: baseEnv });
  say(`workflow bundle built ahead (${Math.round((Date.now() - bundleStarted) / 1000)} s)`);
  const apiPort = await freePort();
  const appEnv: Env = {
    ...baseEnv,
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(48).toString('base64'),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: 'par-index',
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    DATA_DIR: join(scratch, 'data'),
    WORKFLOW_BUNDLE_PATH: bundlePath,
    LOG_LEVEL: 'info',
  };
  // Each process has its operators' listener on loopback (/metrics, /ready); a worker's also carries the SDK's metrics.
  const opsPorts: Record<string, { METRICS_PORT: string; TEMPORAL_METRICS_PORT?: string }> = {
    api: { METRICS_PORT: String(await freePort()) },
    'worker-1': { METRICS_PORT: String(await freePort()), TEMPORAL_METRICS_PORT: String(await freePort()) },
    'worker-2': { METRICS_PORT: String(await freePort()), TEMPORAL_METRICS_PORT: String(await freePort()) },
  };
  const node = (name: string, entry: string) => {
    const child = startProcess(name, process.execPath, ['--import', 'tsx', entry], { cwd: root, env: { ...appEnv, ...opsPorts[name] }, logDir });
    started.push(child);
    return child;
  };
  await run(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], { cwd: root, env: appEnv });
  say(`read model: role and database by deploy/read-model.sql, migrations applied as ${names.parRole}`);

  // Step 6 of the guide: the first administrator, as the guide makes it.
  const created = await run(process.execPath, ['--import', 'tsx', 'scripts/admin-create.ts', '--username', 'snv.quantri', '--name', 'Nguyễn Thị Quản Trị', '--unit', 'SNV'], { cwd: root, env: appEnv });
  const oneTimePassword = /One-time password: (\S+)/.exec(created)?.[1];
  if (!oneTimePassword) throw new Error(`admin:create printed no one-time password:\n${created}`);
  say('first administrator created by scripts/admin-create.ts; its one-time password printed once');
  // The campaign needs an account for every unit and role. A province makes them through
  // POST /accounts (tested in accounts.test.ts); the twin seeds the demo accounts instead.
  const seeding = openDatabase({ url: databaseUrl, dataDir: appEnv.DATA_DIR! });
  // Production mode refuses the README's demo password: the twin's accounts get one of their own.
  const seeded = await seedDemoUsers(createUserRepository(seeding.db), twinPassword, 'production');
  await seeding.close();
  say(`${seeded} accounts for the campaign's roles seeded with seed/users.ts`);

  // The API and two workers, production mode, each its own process.
  let api = node('api', 'server/main.ts');
  const workers = [node('worker-1', 'worker/main.ts'), node('worker-2', 'worker/main.ts')];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await until('the API /health', async () => ((await fetch(`${apiUrl}/health`)).ok ? true : undefined));
  const identity = (worker: Managed) => `${worker.pid}@${hostname()}`;
  const waitForPolling = async (expected: Managed[], what: string) => {
    const polling = await until(what, async () => {
      const seen = await pollingWorkers(address, namespace, 'par-index');
      return expected.every((worker) => seen.includes(identity(worker))) ? seen : undefined;
    });
    return polling;
  };
  await waitForPolling(workers, 'both workers polling');
  await firstAdminLogsIn(apiUrl, 'snv.quantri', oneTimePassword);
  say('the first administrator logged in with the one-time password, was made to change it, and works with the new one');
  say(`API pid ${api.pid} on ${apiUrl} (NODE_ENV=production), workers pid ${workers.map((w) => w.pid).join(' and ')} polling`);

  // The campaign, with a worker killed mid-step and the server restarted.
  const campaign = createHttpCampaign({ api: apiUrl, password: twinPassword, slug: id.replace('_', '') });
  await campaign.start();
  say(`campaign ${campaign.campaignId} created, guidance published, ${campaign.unitCodes.length} unit workflows started`);
  const evidenceBytes = new TextEncoder().encode(`%PDF-1.4\n% biên bản ${id}\n%%EOF\n`);
  const evidence = await campaign.uploadEvidence(campaign.unitCodes[0]!, evidenceBytes);
  say(`evidence file uploaded by ${campaign.unitCodes[0]} (sha256 ${evidence.sha256.slice(0, 12)}…)`);

  const submissions = Promise.all(campaign.unitCodes.map((code) => campaign.submitSelfAssessment(code)));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const killed = workers[0]!;
  await killed.stop('SIGKILL');
  say(`SIGKILL to ${killed.name} (pid ${killed.pid}) while ${campaign.unitCodes.length} self-assessments are in flight`);
  await submissions;
  say('every self-assessment accepted (the other worker took the tasks)');
  workers[0] = node('worker-1', 'worker/main.ts');
  await waitForPolling(workers, 'the restarted worker polling');
  say(`${workers[0].name} restarted (pid ${workers[0].pid}) and polling`);

  await campaign.completeSurvey();
  say('survey: plan, approval, fieldwork, results accepted');

  const stopping = Date.now();
  const serverExit = await server.stop('SIGTERM', 60_000);
  say(`temporal-server stopped (exit ${serverExit}, ${Math.round((Date.now() - stopping) / 1000)} s); starting it again`);
  server = startServer();
  await waitForPolling(workers, 'both workers polling the restarted server');
  say(`temporal-server restarted (pid ${server.pid}); API and workers reconnected by themselves`);

  // Backup and restore drill (deploy/backup.sh, deploy/restore.sh): everything stopped, backed up,
  // restored into new databases and a new DATA_DIR, and the campaign goes on from there.
  const drillStarted = Date.now();
  for (const child of [api, ...workers, server]) await child.stop('SIGTERM', 60_000);
  const backupDir = join(scratch, 'backup');
  const pgEnv = { ...baseEnv, PGHOST: pg.host, PGPORT: pg.port, PGUSER: pg.user, PGPASSWORD: pg.password };
  await run('sh', ['deploy/backup.sh'], {
    cwd: root,
    env: { ...pgEnv, BACKUP_DIR: backupDir, DATA_DIR: appEnv.DATA_DIR!, PAR_DB: names.parDb, TEMPORAL_DB: names.temporalDb, TEMPORAL_VISIBILITY_DB: names.visibilityDb },
  });
  const restoredDataDir = join(scratch, 'data-restored');
  await run('sh', ['deploy/restore.sh'], {
    cwd: root,
    env: {
      ...pgEnv,
      BACKUP_DIR: backupDir,
      DATA_DIR: restoredDataDir,
      PAR_DB: names.restoredParDb,
      PAR_ROLE: names.parRole,
      TEMPORAL_DB: names.restoredTemporalDb,
      TEMPORAL_VISIBILITY_DB: names.restoredVisibilityDb,
      TEMPORAL_ROLE: names.temporalRole,
    },
  });
  Object.assign(serverEnv, { TEMPORAL_DB: names.restoredTemporalDb, TEMPORAL_VISIBILITY_DB: names.restoredVisibilityDb });
  Object.assign(appEnv, { DATABASE_URL: `postgres://${names.parRole}:${passwords.par}@${pg.host}:${pg.port}/${names.restoredParDb}`, DATA_DIR: restoredDataDir });
  server = startServer();
  // The API exits when Temporal does not answer at its start (a service manager restarts it); start it after the server.
  await until('the restored Temporal server', async () => {
    const connection = await Connection.connect({ address, connectTimeout: '2s' });
    try {
      await temporalCheck(connection)();
      return true;
    } finally {
      await connection.close();
    }
  });
  api = node('api', 'server/main.ts');
  workers.splice(0, 2, node('worker-1', 'worker/main.ts'), node('worker-2', 'worker/main.ts'));
  await until('the restored API /ready', async () => ((await fetch(`${apiUrl}/ready`)).ok ? true : undefined));
  await waitForPolling(workers, 'both workers polling the restored server');
  say(`backup (deploy/backup.sh) with everything stopped, restored (deploy/restore.sh) into ${names.restoredParDb} and two new Temporal databases; server, API and workers restarted on them (${Math.round((Date.now() - drillStarted) / 1000)} s)`);

  for (const [index, code] of campaign.unitCodes.entries()) await campaign.appraise(code, index === 0);
  say('appraisal: every area of every unit, one explanation round');
  await campaign.waitForStage('council');
  await campaign.approveAndPublish();
  await campaign.waitForStage('published');
  await until('the read model to show publication', async () => ((await campaign.readModelStage()) === 'published' ? true : undefined));
  say('council approved; results published (workflow and read model)');

  const restoredEvidence = await campaign.downloadEvidence(evidence.id);
  if (Buffer.compare(Buffer.from(restoredEvidence), Buffer.from(evidenceBytes)) !== 0) throw new Error('the evidence file differs after the restore');
  say('the evidence file uploaded before the backup downloads unchanged after the restore');

  const events = await campaign.events();
  const mismatches = eventLogMismatches(campaign.accepted, events);
  if (mismatches.length) throw new Error(`the event log does not hold every accepted step exactly once:\n  ${mismatches.join('\n  ')}`);
  say(`event log: ${campaign.accepted.length} accepted steps, each exactly once among ${events.length} events`);

  // The operators' view: every /metrics passes promtool, the request and the projections show up, all are ready.
  const scrape = async (name: string) => {
    const base = `http://127.0.0.1:${opsPorts[name]!.METRICS_PORT}`;
    const ready = await fetch(`${base}/ready`);
    if (ready.status !== 200) throw new Error(`${name} /ready answered ${ready.status}: ${await ready.text()}`);
    const text = await (await fetch(`${base}/metrics`)).text();
    await run('promtool', ['check', 'metrics'], { cwd: root, env: baseEnv, input: text });
    return text;
  };
  const total = (text: string, name: string, labels: string[]) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && labels.every((label) => line.includes(label)))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  const apiMetrics = await scrape('api');
  // The API restarted with the restore: the publication is among the requests its histogram has seen since.
  const publications = total(apiMetrics, 'par_index_http_request_duration_seconds_count', ['method="POST"', 'route="/campaigns/:campaignId/publication"']);
  if (publications !== 1) throw new Error(`the API histogram counts ${publications} POST /campaigns/:campaignId/publication, not 1`);
  let projections = 0;
  for (const name of ['worker-1', 'worker-2']) {
    const text = await scrape(name);
    if (!text.includes('\ntemporal_')) throw new Error(`${name} /metrics lacks the Temporal SDK's metrics`);
    projections += total(text, 'par_index_projections_total', ['outcome="applied"']);
  }
  if (projections < 1) throw new Error('no worker counted an applied projection');
  say(`metrics: API, worker-1 and worker-2 pass promtool check metrics and /ready; the publication request in the API histogram; ${projections} projections applied by the workers since their last start`);

  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const query = `CampaignId = "${campaign.campaignId}"`;
    const found: string[] = [];
    for await (const execution of client.workflow.list({ query })) found.push(execution.workflowId);
    const wanted = [campaign.campaignId, ...campaign.unitCodes.map((code) => unitWorkflowId(campaign.campaignId, code))];
    const missing = wanted.filter((workflowId) => !found.includes(workflowId));
    if (missing.length) throw new Error(`visibility query ${query} misses ${missing.join(', ')} (found ${found.join(', ')})`);
    const { count } = await client.workflow.count(query);
    if (count !== found.length) throw new Error(`visibility count ${count} disagrees with the list's ${found.length}`);
    say(`SQL visibility: ${query} finds ${found.length} workflows (the campaign and its ${campaign.unitCodes.length} units among them)`);
  } finally {
    await connection.close();
  }
  ok = true;
} finally {
  for (const child of started.reverse()) await child.stop('SIGTERM', 30_000);
  for (const database of [names.parDb, names.temporalDb, names.visibilityDb, names.restoredParDb, names.restoredTemporalDb, names.restoredVisibilityDb]) {
    await psql(['-c', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`]).catch((error) => say(String(error)));
  }
  await psql(['-c', `DROP ROLE IF EXISTS "${names.parRole}"`, '-c', `DROP ROLE IF EXISTS "${names.temporalRole}"`]).catch((error) => say(String(error)));
  say(`databases and roles ${id}_* dropped`);
  killAll();
  if (ok && !process.env.PROD_TWIN_KEEP) rmSync(scratch, { recursive: true, force: true });
  else say(`logs kept in ${logDir}`);
}
say(`PASSED in ${Math.round((Date.now() - t0) / 1000)} s: campaign published on Temporal server 1.29.1 with Postgres persistence and two workers, through a worker SIGKILL, a server restart and a backup restored into new databases`);

/** The guide's first login: the one-time password works, forces a change, and the new password is the one that works after. */
async function firstAdminLogsIn(apiUrl: string, username: string, oneTimePassword: string): Promise<void> {
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const first = await post('/auth/login', { username, password: oneTimePassword });
  const session = (await first.json()) as { token?: string; must_change_password?: boolean };
  if (first.status !== 200 || session.must_change_password !== true) throw new Error(`the one-time password's login answered ${first.status} ${JSON.stringify(session)}`);
  const newPassword = `Quản trị ${randomUUID().slice(0, 8)} Sở Nội vụ`;
  const changed = await post('/auth/password', { current_password: oneTimePassword, new_password: newPassword }, session.token);
  if (changed.status !== 200) throw new Error(`the password change answered ${changed.status} ${await changed.text()}`);
  const again = await post('/auth/login', { username, password: newPassword });
  if (again.status !== 200) throw new Error(`the new password's login answered ${again.status}`);
}
