import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connect';
import { classifyDatabaseFailure, describeDatabaseFailure } from '../../db/failures';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/**
 * The classification the projection (retry or park) and the API (503 or 500)
 * act on, checked against the errors real Postgres and postgres.js raise
 * through drizzle, not against hand-made error objects.
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => {
      throw new Error('expected the statement to fail');
    },
    (error: unknown) => error,
  );
}

/** Postgres raising the SQLSTATE itself, as it would for the condition the code names. */
const raising = (state: string) => () =>
  database.db.execute(sql.raw(`do $$ begin raise exception 'raised for the test' using errcode = '${state}'; end $$`));

describe('database failures', () => {
  it('calls a refused connection unavailable', async () => {
    const nowhere = openDatabase({ url: 'postgres://postgres@127.0.0.1:1/nowhere', dataDir: 'unused' });
    try {
      expect(classifyDatabaseFailure(await failureOf(() => nowhere.db.execute(sql`select 1`)))).toBe('unavailable');
    } finally {
      await nowhere.close();
    }
  });

  it('calls a terminated session, too many connections and a server shutting down unavailable', async () => {
    for (const state of ['57P01', '53300', '57P03', '08006']) {
      expect(classifyDatabaseFailure(await failureOf(raising(state))), state).toBe('unavailable');
    }
  });

  it('calls a serialization failure, a deadlock, a lock timeout and a cancelled statement transient', async () => {
    for (const state of ['40001', '40P01', '55P03', '57014']) {
      expect(classifyDatabaseFailure(await failureOf(raising(state))), state).toBe('transient');
    }
  });

  it('calls a NUL character in text or jsonb, a broken unique key and other data errors permanent, and keeps the refused value out of the description', async () => {
    const nulText = await failureOf(() => database.db.execute(sql`select ${'x\u0000y'}::text`));
    const nulJson = await failureOf(() => database.db.execute(sql`select ${JSON.stringify({ summary: 'x\u0000y' })}::jsonb`));
    await database.db.execute(sql.raw('create table failures_unique (code text primary key)'));
    await database.db.execute(sql`insert into failures_unique values (${'SECRET-VALUE'})`);
    const duplicate = await failureOf(() => database.db.execute(sql`insert into failures_unique values (${'SECRET-VALUE'})`));
    const outOfRange = await failureOf(() => database.db.execute(sql`select ${'2147483648'}::int`));
    const missingColumn = await failureOf(() => database.db.execute(sql.raw('select no_such_column from failures_unique')));
    for (const error of [nulText, nulJson, duplicate, outOfRange, missingColumn]) {
      expect(classifyDatabaseFailure(error)).toBe('permanent');
    }
    expect(describeDatabaseFailure(nulText).code).toBe('22021');
    expect(describeDatabaseFailure(nulJson).code).toBe('22P05');
    const described = describeDatabaseFailure(duplicate);
    expect(described.code).toBe('23505');
    expect(described.message).toContain('failures_unique_pkey');
    expect(described.message).not.toContain('SECRET-VALUE');
  });
});
