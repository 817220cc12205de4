import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

/** Child processes of the production twin, each logging to its own file in the scratch folder. */

export type Env = Record<string, string>;

export interface Managed {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<number | null>;
  /** Sends the signal and waits for the exit; SIGKILL after `graceMs` if it is still running. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

export function startProcess(name: string, command: string, args: string[], options: { env: Env; cwd: string; logDir: string }): Managed {
  const logFile = join(options.logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
  });
  running.add(child);
  void exited.finally(() => running.delete(child)).catch(() => {});
  return {
    name,
    pid: child.pid!,
    logFile,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

const running = new Set<ChildProcess>();
/** Last resort on an unexpected exit of the twin itself: nothing it started outlives it. */
export function killAll() {
  for (const child of running) child.kill('SIGKILL');
}

/** Runs a one-shot command to completion; rejects with its output's tail when it fails. */
export function run(command: string, args: string[], options: { env: Env; cwd: string; input?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-3000)}`));
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Polls `check` once a second until it returns a value, or fails naming what it waited for. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}
