import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { campaigns } from './schema';

/**
 * The head of each campaign's hash chain over campaign_events (db/chain.ts).
 * Its row is the lock that serialises the links of one campaign: a change
 * takes it, links its events after the head and moves the head, all in the
 * transaction that inserted the events, so the chain never forks and a crash
 * leaves neither a gap nor a duplicate.
 */
export const campaignChains = pgTable('campaign_chains', {
  campaignId: text('campaign_id')
    .primaryKey()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  /** The hash of the campaign's definition (framework, units, timeline): the link before the first event. */
  genesisHash: text('genesis_hash').notNull(),
  headSeq: integer('head_seq').notNull(),
  headHash: text('head_hash').notNull(),
  /**
   * Frozen at publication: the digest over the chain head of the publication
   * event, the definition and every published unit's result ("Mã kiểm chứng").
   */
  publishedSeq: integer('published_seq'),
  publishedDigest: text('published_digest'),
  publishedAt: timestamp('published_at', { withTimezone: true }),
});
