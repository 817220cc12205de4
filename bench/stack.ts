/**
 * The real stack for bench/run.ts: a scratch Postgres database, and
 * the worker and the API as separate Node processes (`node --import tsx
 * worker/main.ts`, `server/main.ts`), as they run in production. Not part of the
 * app or of `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import postgres from 'postgres';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export { freePort } from '../runtime/free-port';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates `par_bench_<random>` on the server of adminUrl; drop() removes it (with force). */
export async function createScratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const name = `par_bench_${randomBytes(5).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface NodeService {
  name: string;
  child: ChildProcess;
  /** Resolves when the process exits, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines of its output, for an error message. */
  tail(): string;
  /** VmHWM (peak resident set) of the process in MiB, from /proc; null once it has exited. */
  peakRssMiB(): number | null;
  stop(): Promise<void>;
}

/** Runs `node [nodeArgs] --import tsx <script>` from the repository root with env added to ours. */
export function startNodeService(name: string, script: string, env: Record<string, string>, nodeArgs: readonly string[] = []): NodeService {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of stripVTControlCharacters(chunk.toString()).split('\n').filter(Boolean)) {
      lines.push(line);
      if (lines.length > 40) lines.shift();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    name,
    child,
    exited,
    tail: () => lines.join('\n'),
    peakRssMiB: () => (child.pid === undefined || child.exitCode !== null ? null : readVmHwmMiB(child.pid)),
    stop: () => stopChild(child),
  };
}

/** Runs a one-shot script (the migrations) to completion, failing with its output. */
export async function runNodeScript(script: string, env: Record<string, string>): Promise<void> {
  const service = startNodeService(script, script, env);
  const code = await new Promise<number | null>((resolve) => service.child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${service.tail()}`);
}

export function readVmHwmMiB(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Clock ticks per second of the CPU times in /proc (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcessTimes {
  command: string;
  /** user + system ticks of the process itself. */
  ownTicks: number;
  /** user + system ticks of its children that have exited and been waited for. */
  reapedChildrenTicks: number;
}

/** A process's CPU times from /proc/<pid>/stat; null once it has exited. */
function readProcessTimes(pid: number | string): ProcessTimes | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const commandEnd = stat.lastIndexOf(')');
    // Fields after "pid (comm) ": state is [0], utime [11], stime [12], cutime [13], cstime [14].
    const fields = stat.slice(commandEnd + 2).split(' ');
    return {
      command: stat.slice(stat.indexOf('(') + 1, commandEnd),
      ownTicks: Number(fields[11]) + Number(fields[12]),
      reapedChildrenTicks: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) the process has used so far, from /proc; null once it has exited. */
export function readCpuSeconds(pid: number): number | null {
  const times = readProcessTimes(pid);
  return times === null ? null : times.ownTicks / TICKS_PER_SECOND;
}

/**
 * CPU seconds used so far by every Postgres process of this machine: the
 * backends' own time and, through the postmaster's children fields, that of
 * backends which have exited. The harness runs alone on its machine, so this
 * is the benchmark's Postgres.
 */
export function readPostgresCpuSeconds(): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // null: the process ended while we listed /proc.
    const times = readProcessTimes(entry);
    if (times?.command === 'postgres') ticks += times.ownTicks + times.reapedChildrenTicks;
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * Waits until the process has used under a tenth of a core for three seconds in a row, so that a
 * scenario starts on an idle system and not behind the workflow tasks the previous one left queued.
 * Returns how long it took.
 */
export async function waitUntilIdle(pid: number, timeoutMs = 600_000): Promise<number> {
  const started = Date.now();
  let quietSeconds = 0;
  let last = readCpuSeconds(pid);
  while (quietSeconds < 3 && Date.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = readCpuSeconds(pid);
    if (now === null || last === null) break;
    quietSeconds = now - last < 0.1 ? quietSeconds + 1 : 0;
    last = now;
  }
  return Date.now() - started;
}

/** Polls url until it answers 2xx, the service exits, or the time is up. */
export async function waitForHttp(url: string, service: NodeService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited with ${service.child.exitCode}:\n${service.tail()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${service.name} did not answer ${url} within ${timeoutMs} ms:\n${service.tail()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls check until it returns a value, failing with `what` after timeoutMs. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Runs job over items with at most `concurrency` in flight; results in input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** Nearest-rank percentile of a list of numbers (ms). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Where the CPU went during a phase: seconds per named process (null if one ended meanwhile). */
export type CpuSplit = Record<string, number | null>;

/**
 * Starts counting the CPU seconds of each source (a reader such as
 * readCpuSeconds of a pid); the function returned stops and gives each
 * source's share of the phase.
 */
export function startCpuSplit(sources: Record<string, () => number | null>): () => CpuSplit {
  const before = Object.fromEntries(Object.entries(sources).map(([name, read]) => [name, read()]));
  return () =>
    Object.fromEntries(
      Object.entries(sources).map(([name, read]) => {
        const start = before[name];
        const end = read();
        return [name, start === null || start === undefined || end === null ? null : end - start];
      }),
    );
}

/** This process's own CPU seconds (user + system). */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
