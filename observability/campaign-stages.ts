import { count } from 'drizzle-orm';
import type { Database } from '../db/connect';
import { campaigns } from '../db/schema';

/** Campaigns per stage in the read model, for the `par_index_campaigns` gauge. */
export async function campaignStages(db: Pick<Database, 'select'>): Promise<{ stage: string; count: number }[]> {
  return db.select({ stage: campaigns.stage, count: count() }).from(campaigns).groupBy(campaigns.stage);
}
