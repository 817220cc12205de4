/**
 * `npm run fuzz`: the real stack (a Temporal dev server, a scratch Postgres
 * database, the worker and the API of `npm start`, seeded with the demo
 * campaign and users) and a few thousand requests generated from its OpenAPI
 * document, over every route as every role of the demo seed and as nobody
 * (test/fuzz/generate.ts). Two kinds, both counted: valid requests, as a
 * well-behaved client sends them (a caller the route's access rule admits,
 * ids the system has shown, bodies within the schema and the demo's codes,
 * each checked against the route's schemas first), so that the services and
 * workflows behind each route do their work; and hostile ones
 * (nearly valid, hostile strings and numbers, wrong types, any caller).
 * Prints its counts and the most frequent refusals, and exits 1 on any 5xx
 * or any request that does not answer within the per-request timeout.
 *
 *   npm run fuzz [-- --requests 3000 --seed 7 --minutes 4 --timeout-ms 15000 --valid 0.5 --refusals 15]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { createScratchDatabase, eventually, freePort, mapWithConcurrency, sleep, startNodeService, waitForHttp } from '../../bench/stack';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { DEMO_PASSWORD } from '../../seed/users';
import { operationsOfDocument, type OpenApiDocument, type Operation } from '../helpers/openapi-requests';
import { buildUnreachableApp } from '../helpers/unreachable-app';
import { ACCOUNTS, admits, demoHints, SPARES, UNIT_OF } from './demo';
import { requestFor, seededRandom, type FuzzRequest, type Knowledge } from './generate';
import { KnownIds } from './known-ids';
import { describeError, LoginFailure, SESSION_ENDING, Sessions } from './sessions';
import { SchemaCheck } from './schema-check';
import { Tally } from './tally';
import { validBodyFor } from './valid-bodies';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    minutes: { type: 'string', default: '4' },
    'timeout-ms': { type: 'string', default: '15000' },
    concurrency: { type: 'string', default: '4' },
    /** The share of valid requests (the warm-up's are all valid). */
    valid: { type: 'string', default: '0.5' },
    /** How many of the most frequent refusals to print. */
    refusals: { type: 'string', default: '15' },
  },
});
const total = Number(args.requests);
const seed = Number(args.seed);
const timeoutMs = Number(args['timeout-ms']);
const stopAt = Date.now() + Number(args.minutes) * 60_000;
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** How often a pending step is asked again before its 503 counts as a failure. */
const PENDING_RETRIES = 8;

/** A 503 that says the work is under way (update_pending, campaign_pending): ask again, not a failure yet. */
function isPending(status: number, text: string): boolean {
  if (status !== 503) return false;
  try {
    return /_pending$/.test((JSON.parse(text) as { error?: string }).error ?? '');
  } catch {
    return false;
  }
}

const log = (line: string) => process.stdout.write(`${line}\n`);

const database = await createScratchDatabase(ADMIN_URL);
const dataDir = mkdtempSync(join(tmpdir(), 'par-fuzz-'));
const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
const base = `http://127.0.0.1:${apiPort}`;
const system = startNodeService('par-index', 'scripts/start-all.ts', {
  DATABASE_URL: database.url,
  DATA_DIR: dataDir,
  TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
  TEMPORAL_UI_PORT: String(uiPort),
  API_HOST: '127.0.0.1',
  API_PORT: String(apiPort),
  // The limiter is not what this run looks at; a 429 would hide the answer behind it.
  RATE_LIMIT_MAX: '1000000',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'development',
});

let exitCode = 1;
let routes: FastifyInstance | undefined;
try {
  log(`fuzz: starting the stack (Temporal :${temporalPort}, Postgres ${new URL(database.url).pathname.slice(1)}, API :${apiPort}); seed ${seed}`);
  await waitForHttp(`${base}/health`, system, 300_000);
  const sessions = new Sessions(base, DEMO_PASSWORD, SPARES, timeoutMs);
  for (const username of ACCOUNTS) if (username !== null) await sessions.keep(username, DEMO_PASSWORD);
  // The demo campaign's units exist once the seeding start has fanned them out.
  const admin = { authorization: `Bearer ${sessions.tokenOf('snv.admin')}` };
  await eventually(async () => (await fetch(`${base}/campaigns/par-2019-hn`, { headers: admin })).ok, 120_000, 'the demo campaign');

  const document = (await (await fetch(`${base}/docs/json`)).json()) as OpenApiDocument;
  // The live document has no access rules: they are read from the same routes built over services that are never called.
  routes = await buildUnreachableApp();
  const accessOf = new Map(routes.routeAccess.map((entry) => [`${entry.method} ${entry.url}`, entry.access]));
  const schemaCheck = new SchemaCheck(routes);
  const unruled: string[] = [];
  const operations = operationsOfDocument(document, (method, url) => accessOf.get(`${method} ${url}`) ?? (unruled.push(`${method} ${url}`), 'public'));
  // A route without a rule would send valid requests as callers it refuses: the table must know every route.
  if (unruled.length) throw new Error(`no access rule for ${unruled.join(', ')}`);
  const random = seededRandom(seed);
  const ids = new KnownIds(operations, new Set([...ACCOUNTS.filter((account) => account !== null), ...SPARES]));
  const demo = hanoi2019Campaign();
  const hints = demoHints(demo);
  const template = await fetch(`${base}/onboarding/template.xlsx`, { headers: admin });
  const onboardingTemplate = template.ok ? Buffer.from(await template.arrayBuffer()) : undefined;
  const tally = new Tally();
  const failures: string[] = [];
  let sent = 0;
  let skipped = 0;
  /** Per route, the requests generated as valid that its schemas refused, sent as hostile instead. */
  const schemaRefused = new Map<string, number>();
  /** Per route, how often a pending answer was asked again. */
  const pendingRetries = new Map<string, number>();
  let hangs = 0;
  let serverErrors = 0;

  interface Planned {
    operation: Operation;
    account: string | null;
    valid: boolean;
    /** Seeds the request's own generator: the same seed sends the same requests while the system answers alike. */
    index: number;
  }
  let planned = 0;
  const plan = (operation: Operation, account: string | null, valid: boolean): Planned => ({ operation, account, valid, index: planned++ });

  const send = async ({ operation, account, valid: meant, index }: Planned) => {
    let valid = meant;
    if (Date.now() > stopAt) return;
    const random = seededRandom(seed * 7919 + index);
    const route = `${operation.method} ${operation.path}`;
    // A valid request of a unit's route names the caller's own unit, or any unit for a caller of no unit.
    const unitCode = (account === null ? null : UNIT_OF.get(account)) ?? hints.unitCode![Math.floor(random() * hints.unitCode!.length)]!;
    // The unit is the demo's, so a unit's route names the demo campaign, not one the run created with other units.
    const unitRoute = operation.path.includes('{unitCode}');
    const knowledge: Knowledge = {
      hints,
      idsOf: (path, name) => (valid && name === 'unitCode' ? [unitCode] : valid && unitRoute && name === 'campaignId' ? hints.campaignId! : ids.of(path, name)),
    };
    let request: FuzzRequest = requestFor(random, operation, valid, knowledge);
    const special = valid ? validBodyFor(route, random, { demo, unitCode, frameworkCodes: ids.of('/frameworks/{code}', 'code'), onboardingTemplate, serial: index }) : undefined;
    if (special !== undefined) {
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'content-type'));
      request = { ...request, headers: special.contentType ? { ...headers, 'content-type': special.contentType } : headers, body: special.body };
    }
    let token = sessions.tokenOf(account);
    let spare: { username: string; password: string } | null = null;
    let caller = account;
    const what = () => `${valid ? 'valid' : 'hostile'} ${request.method} ${request.url.slice(0, 160)} as ${caller ?? 'anonymous'} (${route})`;
    try {
      if (SESSION_ENDING.has(route) && token !== undefined) {
        const fresh = await sessions.spare();
        if (fresh === null) {
          skipped += 1;
          return;
        }
        ({ token, ...spare } = fresh);
        caller = fresh.username;
      }
      const body = valid ? sessions.validBody(route, random, spare) : undefined;
      if (body !== undefined) request = { ...request, body: JSON.stringify(body) };
      if (valid && !(await schemaCheck.passes(request, caller))) {
        valid = false;
        schemaRefused.set(route, (schemaRefused.get(route) ?? 0) + 1);
      }
      const kind = valid ? 'valid' : 'hostile';
      sent += 1;
      const headers = { ...request.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const ask = async () => {
        const response = await fetch(`${base}${request.url}`, { method: request.method, headers, body: request.body, signal: AbortSignal.timeout(timeoutMs) });
        return { response, text: await response.text() };
      };
      let { response, text } = await ask();
      // A step or start the workflow has not answered in time is a 503 that asks for the same request again, with the
      // same Idempotency-Key, after Retry-After: a well-behaved client does so, and gets the one result. Within the
      // run's time bound only: the 503 still pending then counts as a 5xx.
      for (let attempt = 1; attempt <= PENDING_RETRIES && isPending(response.status, text); attempt += 1) {
        const wait = 1_000 * Number(response.headers.get('retry-after') ?? 3);
        if (Date.now() + wait > stopAt) break;
        pendingRetries.set(route, (pendingRetries.get(route) ?? 0) + 1);
        await sleep(wait);
        ({ response, text } = await ask());
      }
      tally.record(kind, route, response.status, text);
      if (response.ok && response.headers.get('content-type')?.includes('application/json')) ids.learn(operation, JSON.parse(text));
      if (response.ok && route === 'POST /auth/password' && spare !== null) sessions.passwordChanged(spare.username, (body as { new_password: string }).new_password);
      if (response.status >= 500) {
        serverErrors += 1;
        failures.push(`${response.status} ${what()}\n    body sent: ${String(request.body ?? '').slice(0, 300)}\n    answer: ${text.slice(0, 300)}`);
      }
    } catch (error) {
      if (error instanceof LoginFailure) {
        // The spare's login that a session-ending route needs: its own failure, named as such.
        if (error.kind === 'HANG') hangs += 1;
        else serverErrors += 1;
        failures.push(`${error.message}\n    (a spare's login, for ${what()})`);
        return;
      }
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      if (timedOut) hangs += 1;
      else serverErrors += 1;
      failures.push(`${timedOut ? 'HANG' : 'NETWORK ERROR'} ${what()}: ${describeError(error)}\n    body sent: ${String(request.body ?? '').slice(0, 300)}`);
    }
  };

  const validShare = Number(args.valid);
  // Warm-up: every list and page as the admin, so the ids the valid requests name are known from the start.
  const warmUp = operations
    .filter((operation) => operation.method === 'GET' && !operation.path.endsWith('}') && admits(operation.access, 'snv.admin'))
    .map((operation) => plan(operation, 'snv.admin', true));
  await mapWithConcurrency(warmUp, Number(args.concurrency), send);
  // Round 1: every route as every caller; valid only as a caller the route's access rule admits.
  const matrix = operations.flatMap((operation) => ACCOUNTS.map((account) => plan(operation, account, random() < validShare && admits(operation.access, account))));
  log(`fuzz: ${warmUp.length} lists as the admin, ${operations.length} operations × ${ACCOUNTS.length} callers, then random routes up to ${total} requests, ${Math.round(validShare * 100)}% valid; at most ${args.minutes} min, ${timeoutMs} ms each`);
  await mapWithConcurrency(matrix, Number(args.concurrency), send);
  // Round 2: random routes, mostly as a caller the route admits (a valid request always), so bodies reach the services and workflows.
  const rest = Array.from({ length: Math.max(0, total - warmUp.length - matrix.length) }, () => {
    const operation = operations[Math.floor(random() * operations.length)]!;
    const callers = ACCOUNTS.filter((account) => admits(operation.access, account));
    const valid = random() < validShare && callers.length > 0;
    const account = callers.length && (valid || random() < 0.85) ? callers[Math.floor(random() * callers.length)]! : ACCOUNTS[Math.floor(random() * ACCOUNTS.length)]!;
    return plan(operation, account, valid);
  });
  await mapWithConcurrency(rest, Number(args.concurrency), send);

  log(`fuzz: ${sent} requests: ${tally.classes()}; 5xx ${serverErrors}, hangs ${hangs}${sent + skipped < planned ? ` (time limit reached after ${sent})` : ''}${skipped ? `; ${skipped} not sent (no spare account logged in)` : ''}`);
  const retried = [...pendingRetries.entries()].sort(([, a], [, b]) => b - a);
  const retriedTotal = retried.reduce((sum, [, count]) => sum + count, 0);
  log(`fuzz:   valid ${tally.classes('valid')}; hostile ${tally.classes('hostile')}; ${retriedTotal} pending answers asked again${retried.length ? `: ${retried.map(([route, count]) => `${route} ×${count}`).join(', ')}` : ''}`);
  const refused = [...schemaRefused.entries()].sort(([, a], [, b]) => b - a);
  if (refused.length) log(`fuzz:   generated as valid but refused by the route's schema, sent as hostile: ${refused.map(([route, count]) => `${route} ×${count}`).join(', ')}`);
  const unanswered = tally.unanswered(operations.map((operation) => `${operation.method} ${operation.path}`));
  log(`fuzz: ${operations.length - unanswered.length} of ${operations.length} routes answered 2xx at least once; never: ${unanswered.join(', ') || 'none'}`);
  log(`fuzz: most frequent refusals:\n${tally.mostFrequentRefusals(Number(args.refusals))}`);
  for (const failure of failures.slice(0, 30)) log(`  ${failure}`);
  if (failures.length > 30) log(`  … and ${failures.length - 30} more`);
  if (system.child.exitCode !== null) throw new Error(`the stack exited during the run:\n${system.tail()}`);
  exitCode = serverErrors === 0 && hangs === 0 ? 0 : 1;
} catch (error) {
  log(`fuzz: ${error instanceof Error ? error.message : String(error)}`);
  log(system.tail());
} finally {
  await routes?.close();
  await system.stop();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
