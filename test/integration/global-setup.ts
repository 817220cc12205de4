import { Connection } from '@temporalio/client';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startDevServer, type RunningDevServer } from '../../runtime/dev-server';
import { freePort } from '../../runtime/free-port';
import { ensureSearchAttributes } from '../../runtime/search-attributes';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import { bundleWorkflows } from '../../worker/create-worker';

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

export async function setup(project: TestProject) {
  const adminDatabaseUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const sql = postgres(adminDatabaseUrl, { max: 1, connect_timeout: 10 });
  try {
    await sql`select 1`;
  } catch (error) {
    throw new Error(`Integration tests need Postgres at ${adminDatabaseUrl} (set TEST_DATABASE_URL): ${(error as Error).message}`);
  } finally {
    await sql.end();
  }

  const executable = await resolveTemporalCli({
    explicitPath: process.env.TEMPORAL_CLI || undefined,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  if (!executable) throw new Error('Integration tests need the Temporal CLI: set TEMPORAL_CLI or install Go (see README)');
  server = await startDevServer({ executable, port: await freePort() });
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
}

