import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeFlags } from './search-attributes';

export interface DevServerOptions {
  executable: string;
  ip?: string;
  port: number;
  uiPort?: number;
  /** A SQLite file so workflows survive a restart; omit for an in-memory server (tests). */
  dbFilename?: string;
  namespace?: string;
  startupTimeoutMs?: number;
  /** Server dynamic config, e.g. a low `limit.historyCount.suggestContinueAsNew` to exercise continue-as-new in a test. */
  dynamicConfig?: Record<string, unknown>;
  onOutput?: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

/** A server we spawned ourselves: its process is known (bench/run.ts counts its CPU). */
export interface SpawnedDevServer extends RunningDevServer {
  pid: number;
}

/**
 * Spawns `temporal server start-dev` and waits until its frontend answers.
 * We spawn it ourselves rather than through TestWorkflowEnvironment.createLocal
 * because the SDK gives the server about five seconds, too little on a loaded
 * two-core machine (shared/TEMPORAL-NOTES.md).
 */
export async function startDevServer(options: DevServerOptions): Promise<SpawnedDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port), '--namespace', namespace, '--log-level', 'warn'];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFilename) {
    mkdirSync(dirname(options.dbFilename), { recursive: true });
    args.push('--db-filename', options.dbFilename);
  }
  args.push(...devServerSearchAttributeFlags());
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }

  const child = spawn(options.executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const address = `${ip}:${options.port}`;
  try {
    await waitUntilServing(address, child, options.startupTimeoutMs ?? 120_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`Temporal dev server did not start: ${(error as Error).message}\n${output.join('\n')}`);
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://${ip}:${options.uiPort}` : null,
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`no answer at ${address} within ${timeoutMs} ms: ${String(lastError)}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
