import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { QueryObserver } from './observed-queries';
import { preparingStatements } from './prepared-statements';
import * as schema from './schema';

export type Schema = typeof schema;
/** What repositories depend on: the query builder both drivers share. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** Applies the committed drizzle-kit migrations (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export interface DatabaseOptions {
  /** postgres:// URL; when absent an embedded PGlite database lives in dataDir. */
  url?: string;
  dataDir: string;
  maxConnections?: number;
  /** Told of every statement on Postgres (observability/tracing.ts: one span each); absent, nothing is added. */
  observeQuery?: QueryObserver;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.url) {
    // onnotice: silence "relation already exists, skipping" from idempotent DDL.
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      // JIT compiles a query when its estimated cost is high, and the planner
      // overestimates the progress status's correlated EXISTS (BENCHMARKS.md, P4): the
      // 5,000-unit count took 12 ms of compiling for 1 ms of work. The longest query
      // here, the survey points over 1,000,000 answers, took as long without it.
      connection: { jit: 'off' },
    });
    const db = drizzlePostgres(preparingStatements(client, options.observeQuery), { schema });
    return {
      db: db as unknown as Database,
      kind: 'postgres',
      migrate: () => migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const directory = resolve(join(options.dataDir, 'pglite'));
  mkdirSync(directory, { recursive: true });
  const client = new PGlite(directory);
  const db = drizzlePglite(client, { schema });
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}
