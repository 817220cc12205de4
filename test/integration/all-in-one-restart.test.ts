import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DEMO_PASSWORD } from '../../seed/users';
import { freePort } from './global-setup';

const dataDir = mkdtempSync(join(tmpdir(), 'par-all-in-one-'));
const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: string;
}

/** Runs `npm start`'s script the way a newcomer would, with embedded PGlite and its own dev server. */
async function startAllInOne(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-all.ts'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, ...env, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URLs printed within 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Temporal UI:')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start-all exited with ${code}:\n${output}`));
    });
  });
  return { child, output };
}

/** Logs in as the seeded demo admin (seed/users.ts), as a newcomer following the README would. */
async function loginAsDemoAdmin(api: string): Promise<Record<string, string>> {
  const response = await fetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'snv.admin', password: DEMO_PASSWORD }),
  });
  expect(response.status).toBe(200);
  const { token } = (await response.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('the all-in-one command', () => {
  it('prints its URLs, seeds the demo campaign once, and still has it after a restart', async () => {
    const apiPort = await freePort();
    const temporalPort = await freePort();
    const env = {
      DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_UI_PORT: String(await freePort()),
      TEMPORAL_CLI: inject('temporalCli'),
    };
    const api = `http://127.0.0.1:${apiPort}`;

    const first = await startAllInOne(env);
    expect(first.output).toContain(`API docs:     ${api}/docs`);
    expect((await fetch(`${api}/campaigns/par-2019-hn`)).status).toBe(401);
    const admin = await loginAsDemoAdmin(api);
    const before = (await (await fetch(`${api}/campaigns/par-2019-hn`, { headers: admin })).json()) as { created_at: string };
    expect(before).toMatchObject({ id: 'par-2019-hn', stage: 'guidance', unit_count: 52 });
    expect((await fetch(`${api}/docs/json`)).status).toBe(200);
    expect(await stop(first.child)).toBe(0);

    const second = await startAllInOne(env);
    const again = await loginAsDemoAdmin(api);
    const after = (await (await fetch(`${api}/campaigns/par-2019-hn`, { headers: again })).json()) as { created_at: string };
    expect(after.created_at).toBe(before.created_at);
    const events = await (await fetch(`${api}/campaigns/par-2019-hn/events`, { headers: again })).json();
    expect(events).toHaveLength(1);
    const progress = await (await fetch(`${api}/campaigns/par-2019-hn/progress`, { headers: again })).json();
    expect(progress).toMatchObject({ stage: 'guidance', recorded: true });

    // The Temporal server kept the workflow in its db file: one run, still open.
    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    const runs = [];
    for await (const run of new Client({ connection }).workflow.list({ query: `WorkflowId = 'par-2019-hn'` })) runs.push(run);
    await connection.close();
    expect(runs.map((run) => run.status.name)).toEqual(['RUNNING']);
    expect(await stop(second.child)).toBe(0);
  });
});
