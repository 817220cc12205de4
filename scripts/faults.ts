import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import postgres from 'postgres';
import { openDatabase } from '../db/connect';
import { createContactRepository } from '../db/repositories/contacts';
import { createUserRepository } from '../db/repositories/users';
import { startDevServer, type SpawnedDevServer } from '../runtime/dev-server';
import { freePort } from '../runtime/free-port';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { hanoi2019Contacts } from '../seed/contacts-hanoi-2019';
import { DEMO_PASSWORD, seedDemoUsers } from '../seed/users';
import { SmtpSink } from '../test/integration/reminders-smtp-sink';
import { bundleWorkflows } from '../worker/create-worker';
import { cleanUpOnExit, createCleanup } from './faults/cleanup';
import { dumpWorkflows } from './faults/histories';
import { FULL_PLAN, plannedCounts, QUICK_PLAN, type Fault } from './faults/plan';
import { startPostgresCluster, type PostgresCluster } from './faults/postgres-cluster';
import { createHttpCampaign, eventLogMismatches, type ObservedAnswer } from './prod-twin/campaign';
import { type Env, killAll, type Managed, run, startProcess, until } from './prod-twin/processes';

/**
 * `npm run faults`: campaigns driven to publication through the HTTP API while
 * the processes under them die, each a process of its own as in production: a
 * private Postgres cluster (scripts/faults/postgres-cluster.ts), a Temporal dev
 * server on a file, the API (server/main.ts), the worker (worker/main.ts) and a
 * real SMTP server. Injected, each while steps are in flight (the full plan;
 * `--quick`, a smaller one: scripts/faults/plan.ts): the worker SIGKILLed ten
 * times (once in the reminder burst), the Temporal server restarted once,
 * Postgres stopped with `-m immediate` and started once, the API SIGKILLed and
 * restarted twice. The client sends each step with an Idempotency-Key and
 * sends it again after a 503/504 or no answer.
 *
 * Asserted and printed: every campaign published; every step the client got
 * a 2xx for is in the event log exactly once; every due reminder reached the
 * SMTP server (one Message-ID per campaign and inbox); no e-mail row left
 * queued or sending; every error the client saw a 503/504 with Retry-After
 * (or no answer while the API process was down); after each worker kill, the
 * first step answered at most 3 s after the new worker polled. Exits 1 on any
 * failure. Every process it started and its temporary folders go with it
 * however it ends (a failure, Ctrl-C, SIGTERM); a failed run keeps its logs
 * and its workflows' histories.
 *
 *   npm run faults [-- --quick] [-- --campaigns 2 --units-per-group 3]   FAULTS_KEEP=1 keeps everything
 */
const TimeoutType = proto.temporal.api.enums.v1.TimeoutType;
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    campaigns: { type: 'string' },
    'units-per-group': { type: 'string', default: '3' },
  },
});
const plan = args.quick ? QUICK_PLAN : FULL_PLAN;
const CAMPAIGNS = Number(args.campaigns ?? plan.campaigns);
const UNITS_PER_GROUP = Number(args['units-per-group']);
/** The bound on recovery after a worker kill, beyond the time the new worker took to poll. */
const RECOVERY_BOUND_MS = 3_000;
/** How far ahead of the campaigns' start the reminders fall due: time for the start, the fan-out and the survey's first half. */
const REMINDER_LEAD_MS = 35_000;

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const t0 = Date.now();
const say = (line: string) => process.stdout.write(`[faults ${String(Math.round((Date.now() - t0) / 1000)).padStart(3)} s] ${line}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let exitCode = 1;
const cleanup = createCleanup(say);
cleanUpOnExit(cleanup, say);
const scratch = mkdtempSync(join(tmpdir(), 'par-faults-'));
const logDir = join(scratch, 'logs');
mkdirSync(logDir);
const keep = Boolean(process.env.FAULTS_KEEP);
cleanup.add('the scratch folder', () => {
  if (keep) return say(`everything kept in ${scratch}`);
  // A failed run keeps its processes' logs (small) and drops the rest: the databases, the bundle.
  for (const entry of readdirSync(scratch)) if (exitCode === 0 || entry !== 'logs') rmSync(join(scratch, entry), { recursive: true, force: true });
  if (exitCode === 0) rmSync(scratch, { recursive: true, force: true });
  else say(`logs kept in ${logDir}`);
});
const started: Managed[] = [];
let cluster: PostgresCluster | undefined;
let temporal: SpawnedDevServer | undefined;
const sink = new SmtpSink(0, { delayMs: 50 });
cleanup.add('the Postgres cluster', () => cluster?.destroy());
cleanup.add('the SMTP sink', () => sink.stop());
cleanup.add('the Temporal server', () => temporal?.stop());
cleanup.add('the API and worker processes', async () => {
  for (const child of [...started].reverse()) await child.stop('SIGTERM', 10_000);
  killAll();
});

/** Every answer the clients saw, and the windows in which the API process was down (no answer is expected then). */
const answers: ObservedAnswer[] = [];
let campaignIds: string[] = [];
const apiDown: { from: number; to: number }[] = [];
/** Processes that exited while in service without the suite killing them (a crash), with the log's last error. */
const unplannedExits: { name: string; at: number; code: number | null; cause: string }[] = [];
/** deploy/systemd's RestartSec: how soon production starts a crashed API or worker again. */
const SUPERVISOR_RESTART_MS = 5_000;
/** The last error a process logged (pino's err.message, else the last line naming an Error), for the report of its exit. */
function lastError(logFile: string): string {
  const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n') : [];
  for (const line of lines.reverse()) {
    if (line.includes('"err"')) {
      try {
        const { err } = JSON.parse(line) as { err?: { type?: string; message?: string; stack?: string } };
        if (err) return `${err.type ?? 'Error'}: ${err.message ?? ''} ${(err.stack ?? '').split('\n')[1]?.trim() ?? ''}`.trim();
      } catch {
        // not a JSON line
      }
    }
    if (/Error\b/.test(line)) return line.trim().slice(0, 300);
  }
  return 'no error in its log';
}
const recoveries: { fault: string; restartMs: number; backAt: number; recoveryMs?: number | null }[] = [];
const faultsDone = new Map<string, number>();
const failures: string[] = [];
const check = (ok: boolean, failure: string) => {
  if (!ok) failures.push(failure);
};

/** Steps of a phase, sent in bursts around the faults and the rest at the end. */
class Steps {
  constructor(private readonly pending: (() => Promise<void>)[]) {}
  take(n: number): Promise<void>[] {
    return this.pending.splice(0, n).map((send) => {
      const sent = send();
      // Awaited by the caller after its fault; a failure meanwhile must not end the process unhandled.
      sent.catch(() => undefined);
      return sent;
    });
  }
  async drain(concurrency: number): Promise<void> {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let send = this.pending.shift(); send; send = this.pending.shift()) await send();
    }));
  }
}

try {
  const [pgPort, temporalPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const cli = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI || undefined, progress: say });
  if (!cli) throw new Error('needs the Temporal CLI (TEMPORAL_CLI, or Go to build it)');
  const temporalOptions = { executable: cli, port: temporalPort, dbFilename: join(scratch, 'temporal.db') };
  const bundlePath = join(scratch, 'workflow-bundle.js');
  // Independent, so at once: the cluster's initdb, the server's start and the bundle.
  // Each is kept for the cleanup as soon as it exists, so one that fails to start leaves none of the others running.
  const starts = await Promise.allSettled([
    startPostgresCluster(pgPort).then((value) => (cluster = value)),
    startDevServer(temporalOptions).then((value) => (temporal = value)),
    bundleWorkflows().then((bundle) => writeFileSync(bundlePath, bundle.code)),
  ]);
  for (const start of starts) if (start.status === 'rejected') throw start.reason;
  if (!cluster || !temporal) throw new Error('unreachable: every start fulfilled');
  const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe('create database par_faults');
  await admin.end();
  const databaseUrl = cluster.adminUrl.replace(/\/postgres$/, '/par_faults');
  await sink.start();
  const appEnv: Env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    LANG: 'C.UTF-8',
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(48).toString('base64'),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'par-index',
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    DATA_DIR: join(scratch, 'data'),
    WORKFLOW_BUNDLE_PATH: bundlePath,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    RATE_LIMIT_MAX: '1000000',
    // info: the worker logs "Worker state changed" RUNNING when it polls, which is when it is back.
    LOG_LEVEL: 'info',
  };
  await run(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], { cwd: root, env: appEnv });
  const seeding = openDatabase({ url: databaseUrl, dataDir: appEnv.DATA_DIR! });
  await seedDemoUsers(createUserRepository(seeding.db));
  await createContactRepository(seeding.db).createMany(hanoi2019Contacts());
  await seeding.close();
  say(`Postgres cluster :${pgPort} (its own, in ${scratch}), Temporal dev server ${temporal.address} on a file, SMTP sink :${sink.port}; migrated and seeded`);

  let spawned = 0;
  /** The API and worker processes in service; the supervisor below replaces one that exits on its own. */
  const current: { api?: Managed; worker?: Managed } = {};
  const MAIN_MODULE = { api: 'server/main.ts', worker: 'worker/main.ts' } as const;
  const node = (kind: 'api' | 'worker') => {
    if (cleanup.closing) throw new Error(`not starting ${kind}: the suite is stopping`);
    spawned += 1;
    const child = startProcess(`${kind}-${spawned}`, process.execPath, ['--import', 'tsx', MAIN_MODULE[kind]], { cwd: root, env: appEnv, logDir });
    started.push(child);
    current[kind] = child;
    // As systemd's Restart=on-failure does in production (deploy/systemd, RestartSec=5): a process that exits
    // while in service, not by the suite's hand, is started again 5 s later, and the exit is reported.
    void child.exited.then(async (code) => {
      if (current[kind] !== child || stoppedByUs.has(child) || cleanup.closing) return;
      unplannedExits.push({ name: child.name, at: Date.now(), code, cause: lastError(child.logFile) });
      say(`UNPLANNED: ${child.name} exited (${code}) on its own: ${unplannedExits.at(-1)!.cause}; restarted in ${seconds(SUPERVISOR_RESTART_MS)}`);
      await sleep(SUPERVISOR_RESTART_MS);
      if (current[kind] !== child || cleanup.closing) return;
      node(kind);
      // The API away: its clients get no answer, as while the suite kills it.
      if (kind === 'api') await apiReady().then(() => apiDown.push({ from: unplannedExits.at(-1)!.at, to: Date.now() }), () => undefined);
    });
    return child;
  };
  const stoppedByUs = new Set<Managed>();
  const stop = (child: Managed) => {
    stoppedByUs.add(child);
    return child.stop('SIGKILL');
  };
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const apiReady = () => until('the API /health', async () => ((await fetch(`${apiUrl}/health`)).ok ? true : undefined), 180_000);
  /** Resolves when the worker logged that it polls; rejects if it exits first. */
  const polling = async (worker: Managed) => {
    let exited = false;
    void worker.exited.then(() => (exited = true));
    for (;;) {
      const lines = existsSync(worker.logFile) ? readFileSync(worker.logFile, 'utf8').split('\n') : [];
      if (lines.some((line) => line.includes('Worker state changed') && line.includes('"RUNNING"'))) return;
      if (exited) throw new Error(`${worker.name} exited before polling; see ${worker.logFile}`);
      await sleep(25);
    }
  };
  const firstApi = node('api');
  const firstWorker = node('worker');
  await Promise.all([apiReady(), polling(firstWorker)]);
  say(`API pid ${firstApi.pid} on ${apiUrl} (NODE_ENV=production), worker pid ${firstWorker.pid} polling`);

  // ---- faults
  const count = (fault: string) => faultsDone.set(fault, (faultsDone.get(fault) ?? 0) + 1);
  /** SIGKILL to the worker, a new one at once; the recovery is timed from when the new one polls. */
  async function killWorker(when: string, probe?: Steps): Promise<number> {
    const killedAt = Date.now();
    await stop(current.worker!);
    const mailsAtKill = sink.received.length;
    await polling(node('worker'));
    const backAt = Date.now();
    count('worker SIGKILL');
    recoveries.push({ fault: `worker SIGKILL #${faultsDone.get('worker SIGKILL')} (${when})`, restartMs: backAt - killedAt, backAt });
    // A step sent the moment the new worker polls, to workflows last run by the dead one, if the phase has one left.
    await Promise.all(probe?.take(1) ?? []);
    return mailsAtKill;
  }
  async function killApi(): Promise<void> {
    const from = Date.now();
    await stop(current.api!);
    node('api');
    await apiReady();
    apiDown.push({ from, to: Date.now() });
    count('API SIGKILL');
  }
  async function restartTemporal(): Promise<void> {
    await temporal!.stop();
    temporal = await startDevServer(temporalOptions);
    // Started while the cleanup ran (a signal): it would outlive the suite.
    if (cleanup.closing) await temporal.stop();
    count('Temporal restart');
  }
  async function restartPostgres(): Promise<void> {
    await cluster!.stopImmediate();
    await sleep(1_000);
    await cluster!.start();
    if (cleanup.closing) await cluster!.destroy();
    count('Postgres immediate restart');
  }
  /** Sends `burst` steps, injects the fault while they are in flight, and waits for them all. */
  async function during(steps: Steps, burst: number, fault: () => Promise<unknown>): Promise<void> {
    const inFlight = steps.take(burst);
    await sleep(150);
    await fault();
    await Promise.all(inFlight);
  }

  // ---- the campaigns
  const reminderAt = Date.now() + REMINDER_LEAD_MS;
  const slug = `f${randomBytes(3).toString('hex')}`;
  const campaigns = Array.from({ length: CAMPAIGNS }, (_, index) =>
    createHttpCampaign({ api: apiUrl, password: DEMO_PASSWORD, slug: `${slug}${index}`, unitsPerGroup: UNITS_PER_GROUP, reminderAt, observe: (answer) => answers.push(answer) }),
  );
  campaignIds = campaigns.map((campaign) => campaign.campaignId);
  await Promise.all(campaigns.map((campaign) => campaign.start()));
  const units = campaigns.reduce((sum, campaign) => sum + campaign.unitCodes.length, 0);
  say(`${CAMPAIGNS} campaigns of ${units / CAMPAIGNS} units started, guidance published; reminders due in ${seconds(reminderAt - Date.now())}`);

  // Survey: plan, approval and fieldwork, with the Temporal server restarted in the middle.
  const surveys = Promise.all(campaigns.map((campaign) => campaign.surveyFieldwork()));
  await sleep(1_000);
  await restartTemporal();
  await surveys;
  say('survey fieldwork done in every campaign; Temporal server restarted during it');

  // The reminder burst (one e-mail per campaign and contact of each unit, none submitted yet): the worker killed
  // as the e-mails go out; the survey results are the steps sent when the new worker polls.
  const contacts = hanoi2019Contacts().filter((contact) => contact.role !== 'coordinator');
  const due = new Set(campaigns.flatMap((campaign) => contacts.filter((contact) => campaign.unitCodes.includes(contact.unitCode)).map((contact) => `${campaign.campaignId} ${contact.email.toLowerCase()}`)));
  const surveyResults = new Steps(campaigns.map((campaign) => () => campaign.surveyResults()));
  await sleep(Math.max(0, reminderAt - Date.now() + 300));
  const inBeforeKill = await killWorker('in the reminder burst', surveyResults);
  await surveyResults.drain(CAMPAIGNS);
  // No unit submits before its reminders are out: a submission would cancel what it no longer owes.
  await until('every due reminder at the SMTP server', async () => (new Set(sink.received.map((mail) => mail.messageId)).size >= due.size ? true : undefined), 120_000).catch(() => undefined);
  say(`reminder burst: worker killed with ${inBeforeKill} of ${due.size} e-mails at the SMTP server; survey results accepted`);
  const selfAssessments = new Steps(campaigns.flatMap((campaign) => campaign.unitCodes.map((code) => () => campaign.submitSelfAssessment(code))));

  /** The plan's fault, injected while `steps` are in flight (a burst of 2, or of 4 around an API or Postgres restart). */
  const inject = (fault: Fault, steps: Steps, when: string) =>
    fault === 'worker'
      ? during(steps, 2, () => killWorker(when, steps))
      : during(steps, fault === 'api' ? 3 : 4, () => (fault === 'api' ? killApi() : restartPostgres()));

  // Self-assessments, with the plan's faults while they are in flight.
  for (const fault of plan.duringSelfAssessments) await inject(fault, selfAssessments, 'self-assessments in flight');
  await selfAssessments.drain(4);
  say('every self-assessment accepted');

  // Appraisals, with the plan's faults while they are in flight.
  const explained = campaigns.map((campaign) => campaign.unitCodes[0]!);
  const appraisals = new Steps(campaigns.flatMap((campaign) => campaign.unitCodes.slice(1).flatMap((code) => campaign.areaAppraisals(code))));
  const explanations = Promise.all(campaigns.map((campaign, index) => campaign.appraise(explained[index]!, true)));
  // Awaited after the appraisals; a failure meanwhile must not end the process unhandled.
  explanations.catch(() => undefined);
  for (const fault of plan.duringAppraisals) await inject(fault, appraisals, 'appraisals in flight');
  await appraisals.drain(4);
  await explanations;
  say('every area appraised, one explanation round per campaign');

  for (const campaign of campaigns) await campaign.waitForStage('council');
  await Promise.all(campaigns.map((campaign) => campaign.approveAndPublish()));
  for (const campaign of campaigns) {
    await campaign.waitForStage('published');
    await until('the read model to show publication', async () => ((await campaign.readModelStage()) === 'published' ? true : undefined));
  }
  say('council approved and results published in every campaign');

  // ---- what must hold
  const published = campaigns.length;
  const accepted = campaigns.reduce((sum, campaign) => sum + campaign.accepted.length, 0);
  const mismatches: string[] = [];
  let events = 0;
  for (const campaign of campaigns) {
    const log = await campaign.events();
    events += log.length;
    mismatches.push(...eventLogMismatches(campaign.accepted, log).map((line) => `${campaign.campaignId}: ${line}`));
  }
  check(mismatches.length === 0, `accepted steps lost or duplicated:\n    ${mismatches.join('\n    ')}`);

  // Reminders: one per campaign and contact of each unit, all due before any unit submitted.
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const rows = await sql<{ campaign_id: string; recipient_email: string; message_id: string; status: string }[]>`
    select campaign_id, recipient_email, message_id, status from email_deliveries`;
  const byMessageId = new Map(rows.map((row) => [row.message_id, row]));
  const inboxes = new Map<string, Set<string>>();
  let strangers = 0;
  for (const mail of sink.received) {
    const row = mail.messageId ? byMessageId.get(mail.messageId) : undefined;
    if (!row) strangers += 1;
    for (const to of mail.to) {
      const key = `${row?.campaign_id ?? '?'} ${to}`;
      inboxes.set(key, (inboxes.get(key) ?? new Set()).add(mail.messageId ?? mail.raw));
    }
  }
  const missing = [...due].filter((key) => !inboxes.has(key));
  const twice = [...inboxes].filter(([, ids]) => ids.size > 1).map(([key]) => key);
  const unexpected = [...inboxes.keys()].filter((key) => !due.has(key));
  const copies = sink.received.length - [...inboxes.values()].reduce((sum, ids) => sum + ids.size, 0);
  check(missing.length === 0, `${missing.length} due reminders never reached the SMTP server: ${missing.slice(0, 5).join(', ')}`);
  check(twice.length === 0 && unexpected.length === 0 && strangers === 0, `reminders sent twice or not due: ${[...twice, ...unexpected].slice(0, 5).join(', ')}`);
  const [stuck] = await sql<{ queued: number; sending: number; unconfirmed: number }[]>`
    select count(*) filter (where status = 'queued')::int as queued, count(*) filter (where status = 'sending')::int as sending,
      count(*) filter (where status = 'unconfirmed')::int as unconfirmed from email_deliveries`;
  await sql.end();
  check(stuck!.queued + stuck!.sending === 0, `${stuck!.queued} e-mail rows left queued, ${stuck!.sending} left sending`);

  // What the client saw: errors only as 503/504 with Retry-After, no answer only while the API was down.
  const errors = answers.filter((answer) => answer.status !== null && answer.status >= 500);
  const badErrors = errors.filter((answer) => (answer.status !== 503 && answer.status !== 504) || !answer.retryAfter);
  const silent = answers.filter((answer) => answer.status === null);
  const unexplained = silent.filter((answer) => !apiDown.some((window) => answer.answeredAt >= window.from && answer.sentAt <= window.to));
  check(badErrors.length === 0, `errors without a retry hint: ${badErrors.slice(0, 5).map((answer) => `${answer.status} ${answer.method} ${answer.path}`).join(', ')}`);
  check(unexplained.length === 0, `no answer while the API was up: ${unexplained.slice(0, 5).map((answer) => `${answer.method} ${answer.path}: ${answer.error}`).join(', ')}`);
  const byStatus = new Map<string, number>();
  for (const answer of errors) byStatus.set(`${answer.status}`, (byStatus.get(`${answer.status}`) ?? 0) + 1);

  // Recovery after each worker kill: from the new worker polling to the first step answered with a 2xx.
  for (const recovery of recoveries) {
    const first = answers
      .filter((answer) => answer.method === 'POST' && answer.idempotencyKey && answer.status !== null && answer.status < 300 && answer.answeredAt >= recovery.backAt)
      .reduce((min, answer) => Math.min(min, answer.answeredAt), Infinity);
    recovery.recoveryMs = Number.isFinite(first) ? first - recovery.backAt : null;
  }
  // The slowest steps (first send to the 2xx) show any stall.
  // Every kill must be followed by an answered step. The time bound is a measurement, asserted by the full
  // run on a quiet machine; the quick run is CI's correctness smoke beside other work, so it prints its times only.
  for (const recovery of recoveries) {
    const within = recovery.recoveryMs != null && (args.quick || recovery.recoveryMs <= RECOVERY_BOUND_MS);
    check(within, `${recovery.fault}: recovery ${recovery.recoveryMs == null ? 'not measured (no step answered)' : seconds(recovery.recoveryMs)}`);
  }
  const stepTimes = new Map<string, { path: string; from: number; to: number }>();
  for (const answer of answers) {
    if (!answer.idempotencyKey) continue;
    const entry = stepTimes.get(answer.idempotencyKey) ?? { path: answer.path, from: answer.sentAt, to: answer.answeredAt };
    entry.to = Math.max(entry.to, answer.answeredAt);
    stepTimes.set(answer.idempotencyKey, entry);
  }
  const slowest = [...stepTimes.values()].sort((a, b) => b.to - b.from - (a.to - a.from)).slice(0, 3);
  const expected = plannedCounts(plan);
  for (const [fault, times] of Object.entries(expected)) check(faultsDone.get(fault) === times, `${fault}: ${faultsDone.get(fault) ?? 0} injected, ${times} planned`);

  // Activity attempts the server gave up on, by timeout: a lost attempt shows how long its step waited for it.
  const timeouts = new Map<string, number>();
  const connection = await Connection.connect({ address: temporal!.address });
  try {
    const client = new Client({ connection });
    for (const campaign of campaigns) {
      for await (const execution of client.workflow.list({ query: `CampaignId = "${campaign.campaignId}"` })) {
        const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
        // A retried attempt leaves no event: the started event of the next one carries its failure (lastFailure).
        for (const event of history.events ?? []) {
          const timedOut = event.activityTaskStartedEventAttributes?.lastFailure?.timeoutFailureInfo ?? event.activityTaskTimedOutEventAttributes?.failure?.timeoutFailureInfo;
          if (!timedOut) continue;
          const type = TimeoutType[timedOut.timeoutType ?? 0] ?? 'unknown';
          timeouts.set(type, (timeouts.get(type) ?? 0) + 1);
        }
      }
    }
  } finally {
    await connection.close();
  }

  // ---- summary
  const measured = recoveries.flatMap((recovery) => (recovery.recoveryMs == null ? [] : [recovery.recoveryMs]));
  say(`faults: ${Object.keys(expected).map((fault) => `${fault} ×${faultsDone.get(fault) ?? 0}`).join(', ')}`);
  say(`campaigns published: ${published} of ${CAMPAIGNS} (${units} units)`);
  say(`accepted steps: ${accepted}, lost or duplicated in the event log: ${mismatches.length} (${events} events)`);
  say(`reminders: due ${due.size}, received ${due.size - missing.length}, twice ${twice.length}, not due ${unexpected.length + strangers}; re-sent copies with the same Message-ID ${copies}`);
  say(`e-mail rows left queued ${stuck!.queued}, sending ${stuck!.sending}; unconfirmed ${stuck!.unconfirmed}`);
  say(`client-visible errors: ${errors.length} (${[...byStatus].map(([status, n]) => `${status} ×${n}`).join(', ') || 'none'}), without Retry-After or not 503/504: ${badErrors.length}; no answer while the API was down: ${silent.length - unexplained.length}, while it was up: ${unexplained.length}`);
  say(`recovery after a worker kill (new worker polling → first step answered): max ${measured.length ? seconds(Math.max(...measured)) : '—'} over ${measured.length} of ${recoveries.length} kills; restarts took ${seconds(Math.min(...recoveries.map((r) => r.restartMs)))}–${seconds(Math.max(...recoveries.map((r) => r.restartMs)))}`);
  for (const recovery of recoveries) say(`  ${recovery.fault}: restart ${seconds(recovery.restartMs)}, recovery ${recovery.recoveryMs == null ? '—' : seconds(recovery.recoveryMs)}`);
  say(`unplanned exits (a process that died on its own, restarted ${seconds(SUPERVISOR_RESTART_MS)} later as systemd would): ${unplannedExits.length ? unplannedExits.map((exit) => `${exit.name} at ${Math.round((exit.at - t0) / 1000)} s: ${exit.cause}`).join('; ') : 'none'}`);
  say(`activity attempts timed out: ${[...timeouts].map(([type, n]) => `${type.replace('TIMEOUT_TYPE_', '').toLowerCase()} ×${n}`).join(', ') || 'none'}`);
  say(`slowest steps (first send → 2xx): ${slowest.map((step) => `${seconds(step.to - step.from)} ${step.path}`).join('; ')}`);
  for (const failure of failures) say(`FAILED: ${failure}`);
  exitCode = failures.length ? 1 : 0;
} catch (error) {
  say(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  // A failed run keeps what its workflows did, for `temporal workflow show`-like reading after the server is gone.
  if (exitCode !== 0 && temporal && campaignIds.length && !cleanup.closing) {
    await dumpWorkflows(temporal.address, campaignIds, join(logDir, 'workflows'))
      .then((written) => say(`histories and descriptions of ${written} workflows in ${join(logDir, 'workflows')}`))
      .catch((error: unknown) => say(`could not keep the workflows' histories: ${String(error)}`));
  }
  await cleanup.run();
}
say(exitCode === 0 ? `PASSED in ${Math.round((Date.now() - t0) / 1000)} s` : `FAILED after ${Math.round((Date.now() - t0) / 1000)} s`);
process.exit(exitCode);
