import { execFileSync } from 'node:child_process';
import { startDevServer } from '../runtime/dev-server';
import { resolveTemporalCli } from '../runtime/temporal-cli';
import { freePort, readCpuSeconds } from './stack';

/**
 * A Temporal dev server of its own for the benchmarks that need Temporal only
 * (bench:patches, bench:shapes), with a reader of its CPU seconds (/proc), so
 * that they can say what the server spent on each workflow or update.
 * TEMPORAL_CLI names the binary (else runtime/temporal-cli.ts finds one).
 */
export async function startTemporalAlone() {
  const executable = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI, progress: (line) => process.stderr.write(`${line}\n`) });
  if (!executable) throw new Error('no Temporal CLI found (npm run temporal:resolve)');
  const port = await freePort();
  const server = await startDevServer({ executable, port, startupTimeoutMs: 120_000 });
  const pid = Number(execFileSync('pgrep', ['-f', `start-dev.*--port ${port}`]).toString().trim().split('\n')[0]);
  const cpuSeconds = () => {
    const seconds = readCpuSeconds(pid);
    if (seconds === null) throw new Error(`the Temporal dev server (pid ${pid}) has exited`);
    return seconds;
  };
  return { server, pid, cpuSeconds };
}
