/**
 * `npm run fuzz`: the real stack (a Temporal dev server, a scratch Postgres
 * database, the worker and the API of `npm start`, seeded with the demo
 * campaign and users) and a few thousand requests generated from its OpenAPI
 * document, over every route as every role of the demo seed and as nobody:
 * valid-ish and hostile paths, queries and bodies (test/fuzz/generate.ts).
 * Prints its counts and exits 1 on any 5xx or any request that does not
 * answer within the per-request timeout.
 *
 *   npm run fuzz [-- --requests 3000 --seed 7 --minutes 4 --timeout-ms 15000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createScratchDatabase, freePort, mapWithConcurrency, startNodeService, waitForHttp, eventually } from '../../bench/stack';
import { DEMO_PASSWORD } from '../../seed/users';
import { operationsOfDocument, type OpenApiDocument, type Operation } from '../helpers/openapi-requests';
import { requestFor, seededRandom, type FuzzRequest } from './generate';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    minutes: { type: 'string', default: '4' },
    'timeout-ms': { type: 'string', default: '15000' },
    concurrency: { type: 'string', default: '4' },
  },
});
const total = Number(args.requests);
const seed = Number(args.seed);
const timeoutMs = Number(args['timeout-ms']);
const stopAt = Date.now() + Number(args.minutes) * 60_000;
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One demo account per role (README "Demo users"); null: no login at all. */
const ACCOUNTS = ['snv.admin', 'snv.dieuphoi', 'stp.thamdinh', 'stp', 'vien.khaosat', 'hoidong.thanhvien', 'congdan', null] as const;

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
try {
  log(`fuzz: starting the stack (Temporal :${temporalPort}, Postgres ${new URL(database.url).pathname.slice(1)}, API :${apiPort}); seed ${seed}`);
  await waitForHttp(`${base}/health`, system, 300_000);
  const tokens = new Map<string | null, string | null>([[null, null]]);
  for (const username of ACCOUNTS) {
    if (username === null) continue;
    const response = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
    if (!response.ok) throw new Error(`login as ${username}: ${response.status} ${await response.text()}`);
    tokens.set(username, ((await response.json()) as { token: string }).token);
  }
  // The demo campaign's units exist once the seeding start has fanned them out.
  const admin = { authorization: `Bearer ${tokens.get('snv.admin')}` };
  await eventually(async () => (await fetch(`${base}/campaigns/par-2019-hn`, { headers: admin })).ok, 120_000, 'the demo campaign');

  const document = (await (await fetch(`${base}/docs/json`)).json()) as OpenApiDocument;
  const operations = operationsOfDocument(document);
  const random = seededRandom(seed);
  const byClass = new Map<string, number>();
  const failures: string[] = [];
  let sent = 0;
  let hangs = 0;
  let serverErrors = 0;
  /** Per operation, the callers that got past authorization: the second round calls mostly as them. */
  const admitted = new Map<Operation, (string | null)[]>();

  const send = async ({ operation, account, request }: { operation: Operation; account: string | null; request: FuzzRequest }) => {
    if (Date.now() > stopAt) return;
    sent += 1;
    const token = tokens.get(account);
    const headers = { ...request.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const what = `${request.method} ${request.url.slice(0, 160)} as ${account ?? 'anonymous'} (${operation.method} ${operation.path})`;
    try {
      const response = await fetch(`${base}${request.url}`, { method: request.method, headers, body: request.body, signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      const status = `${Math.floor(response.status / 100)}xx`;
      byClass.set(status, (byClass.get(status) ?? 0) + 1);
      if (response.status !== 401 && response.status !== 403) admitted.set(operation, [...(admitted.get(operation) ?? []), account]);
      if (response.status >= 500) {
        serverErrors += 1;
        failures.push(`${response.status} ${what}\n    body sent: ${String(request.body ?? '').slice(0, 300)}\n    answer: ${text.slice(0, 300)}`);
      }
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      if (timedOut) hangs += 1;
      else serverErrors += 1;
      failures.push(`${timedOut ? 'HANG' : 'NETWORK ERROR'} ${what}: ${String(error)}\n    body sent: ${String(request.body ?? '').slice(0, 300)}`);
    }
  };

  // Round 1: every route as every caller.
  const matrix = operations.flatMap((operation) => ACCOUNTS.map((account) => ({ operation, account, request: requestFor(random, operation) })));
  log(`fuzz: ${operations.length} operations × ${ACCOUNTS.length} callers, then random routes up to ${total} requests; at most ${args.minutes} min, ${timeoutMs} ms each`);
  await mapWithConcurrency(matrix, Number(args.concurrency), send);
  // Round 2: random routes, mostly as a caller the route admits, so generated bodies reach the services and workflows.
  const rest = Array.from({ length: Math.max(0, total - matrix.length) }, () => {
    const operation = operations[Math.floor(random() * operations.length)]!;
    const callers = admitted.get(operation);
    const account = callers?.length && random() < 0.85 ? callers[Math.floor(random() * callers.length)]! : ACCOUNTS[Math.floor(random() * ACCOUNTS.length)]!;
    return { operation, account, request: requestFor(random, operation) };
  });
  await mapWithConcurrency(rest, Number(args.concurrency), send);
  const planned = matrix.length + rest.length;

  const classes = [...byClass.entries()].sort().map(([status, count]) => `${status} ${count}`).join(', ');
  log(`fuzz: ${sent} requests: ${classes}; 5xx ${serverErrors}, hangs ${hangs}${sent < planned ? ` (time limit reached after ${sent})` : ''}`);
  for (const failure of failures.slice(0, 30)) log(`  ${failure}`);
  if (failures.length > 30) log(`  … and ${failures.length - 30} more`);
  if (system.child.exitCode !== null) throw new Error(`the stack exited during the run:\n${system.tail()}`);
  exitCode = serverErrors === 0 && hangs === 0 ? 0 : 1;
} catch (error) {
  log(`fuzz: ${error instanceof Error ? error.message : String(error)}`);
  log(system.tail());
} finally {
  await system.stop();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
