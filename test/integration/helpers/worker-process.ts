import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { eventually } from './wait';

export interface WorkerProcess {
  readonly pid: number;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves when the output has a line matching `pattern` (its match), for a test to act at a chosen moment. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<number | null>;
  kill(): Promise<number | null>;
}

const running = new Set<WorkerProcess>();

/** SIGKILLs every worker process a test spawned and did not stop, and resolves when they have exited. */
export async function killWorkerProcesses(): Promise<void> {
  await Promise.all([...running].map((worker) => worker.kill()));
}

/** A worker entry (worker/main.ts by default) as its own process, configured by environment as in the image. */
export function spawnWorker(env: Record<string, string>, entry = 'worker/main.ts'): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: join(import.meta.dirname, '..', '..', '..'),
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: (() => void)[] = [];
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const worker: WorkerProcess = {
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    async waitFor(pattern, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`worker output never matched ${String(pattern)}:\n${output.slice(-2000)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500);
        });
      }
    },
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
    kill() {
      child.kill('SIGKILL');
      return exited;
    },
  };
  running.add(worker);
  void exited.then(() => running.delete(worker));
  return worker;
}

/**
 * Resolves once the worker process polls the task queue for workflow tasks (its identity, pid@host, among
 * the queue's pollers): a request made before it runs would wait on it, under load past the API's bound.
 */
export async function waitForPolling(client: Client, taskQueue: string, worker: WorkerProcess, timeoutMs = 180_000): Promise<void> {
  const identity = `${worker.pid}@${hostname()}`;
  await eventually(async () => {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return pollers?.some((poller) => poller.identity === identity);
  }, timeoutMs, `worker process ${identity} polling ${taskQueue}`);
}
