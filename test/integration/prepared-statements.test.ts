import { eq, gt, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/connect';
import { rowsOf } from '../../db/raw-rows';
import { campaigns, campaignUnits } from '../../db/schema';
import { createTestDatabase } from './helpers/database';

/** A table of this test's own, which it migrates under a running connection. */
const probe = pgTable('prepared_probe', { id: text('id').primaryKey(), n: integer('n') });
/** With a parameter: postgres.js sends a statement without one as a simple query, never prepared. */
const probeRows = (db: Pick<Database, 'select'>) => db.select({ id: probe.id, n: probe.n }).from(probe).where(gt(probe.n, 0)).orderBy(probe.id);

/** How often each of the connection’s prepared statements whose text holds `fragment` has run. */
const preparedLike = (fragment: string) =>
  sql`select generic_plans + custom_plans as runs from pg_prepared_statements where statement like ${`%${fragment}%`}`;

describe('statements that drizzle sends to Postgres', () => {
  it('are prepared on their connection and run again without parsing, in transactions and savepoints too', async () => {
    const database = await createTestDatabase();
    try {
      await database.db.transaction(async (tx) => {
        for (const id of ['par-2019-a', 'par-2019-b', 'par-2019-c']) {
          await tx.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, id));
        }
        await tx.transaction(async (savepoint) => {
          await savepoint.select({ code: campaignUnits.unitCode }).from(campaignUnits).where(eq(campaignUnits.campaignId, 'par-2019-a'));
        });
        const runsOf = async (fragment: string) => rowsOf<{ runs: string | number }>(await tx.execute(preparedLike(fragment))).map((row) => Number(row.runs));
        expect(await runsOf('where "campaigns"."id" = $1')).toEqual([3]);
        expect(await runsOf('where "campaign_units"."campaign_id" = $1')).toEqual([1]);
      });
    } finally {
      await database.destroy();
    }
  });

  it('are prepared again when a migration changes their table; a transaction that met a stale one commits once, and no other failure runs it again', async () => {
    const database = await createTestDatabase();
    // One connection: the transaction after the migration meets the statement it prepared before.
    const running = openDatabase({ url: database.url, dataDir: 'unused', maxConnections: 1 });
    try {
      await database.db.execute(sql`create table prepared_probe (id text primary key, n integer)`);
      await running.db.transaction(async (tx) => {
        await tx.insert(probe).values({ id: 'a', n: 1 });
        await probeRows(tx);
      });
      // Postgres answers a statement prepared before this with "cached plan must not change result type".
      await database.db.execute(sql`alter table prepared_probe alter column n type bigint`);

      let attempts = 0;
      await running.db.transaction(async (tx) => {
        attempts += 1;
        await tx.insert(probe).values({ id: 'b', n: 2 });
        expect(await probeRows(tx)).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
      });
      expect(attempts).toBe(2);
      expect(await probeRows(running.db)).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);

      // Any other failure is the caller's, after one attempt.
      let failedAttempts = 0;
      const refused = running.db.transaction(async (tx) => {
        failedAttempts += 1;
        await tx.insert(probe).values({ id: 'a', n: 3 });
      });
      await expect(refused).rejects.toThrow(/prepared_probe/);
      expect(failedAttempts).toBe(1);
    } finally {
      await running.close();
      await database.destroy();
    }
  });
});
