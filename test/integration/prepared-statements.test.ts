import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/raw-rows';
import { campaigns, campaignUnits } from '../../db/schema';
import { createTestDatabase } from './helpers/database';

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
});
