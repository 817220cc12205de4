import { and, eq, sql } from 'drizzle-orm';
import type { ReadModelEffect } from '../../domain/effects';
import type { FrozenSheet } from '../../domain/scoring';
import { asStoredJson, genesisHash, linkHash, resultsDigest, type ChainedEvent, type PublishedResult } from '../chain';
import type { Database } from '../connect';
import { jsonOf, rowsOf } from '../raw-rows';
import { campaigns, results } from '../schema';
import { campaignChains } from '../schema-chain';

/** An event about to be linked: what the chain hashes, without its place. */
export type LinkInput = Omit<ChainedEvent, 'seq'>;

/** Test hooks: a fault injected while a change's events are linked, never set by a process's composition root. */
export interface ChainFaults {
  /** Runs after the events are inserted and linked and before the chain head moves, inside the same transaction; throwing simulates a crash there. */
  beforeHeadMoves?(campaignId: string, idempotencyKeys: readonly string[]): void | Promise<void>;
}

/**
 * Locks the campaign's chain head (creating it at the definition's hash the
 * first time) until the caller's transaction ends: every transaction that
 * links events of the campaign waits here for the one before it to commit, so
 * two concurrent steps never take the same place in the chain.
 */
async function lockChainHead(tx: Database, campaignId: string): Promise<{ seq: number; hash: string }> {
  const locked = () =>
    tx
      .select({ seq: campaignChains.headSeq, hash: campaignChains.headHash })
      .from(campaignChains)
      .where(eq(campaignChains.campaignId, campaignId))
      .for('update');
  const [head] = await locked();
  if (head !== undefined) return head;
  const [campaign] = await tx.select({ definition: campaigns.definition }).from(campaigns).where(eq(campaigns.id, campaignId));
  if (campaign === undefined) throw new Error(`Campaign ${campaignId} is not in the read model`);
  const genesis = genesisHash(campaignId, campaign.definition);
  // Two first links at once: the second insert waits on the first's key, then does nothing and locks its row.
  await tx.insert(campaignChains).values({ campaignId, genesisHash: genesis, headSeq: 0, headHash: genesis }).onConflictDoNothing();
  const [created] = await locked();
  return created!;
}

/**
 * Links events the caller's transaction has just inserted, in order, after
 * their campaign's chain head, and moves the head. Called last in the
 * transaction, so the head's lock is held only for these few statements and
 * the links follow the order in which the changes' writes commit.
 * Returns each event's place and hash by idempotency key.
 */
export async function linkEvents(tx: Database, events: readonly LinkInput[], faults?: ChainFaults): Promise<Map<string, { seq: number; hash: string }>> {
  const links = new Map<string, { seq: number; hash: string }>();
  const campaignIds = [...new Set(events.map((event) => event.campaign_id))].sort();
  for (const campaignId of campaignIds) {
    let { seq, hash } = await lockChainHead(tx, campaignId);
    const keys: string[] = [];
    const seqs: number[] = [];
    const hashes: string[] = [];
    for (const event of events) {
      if (event.campaign_id !== campaignId) continue;
      seq += 1;
      hash = linkHash(hash, { ...event, seq });
      links.set(event.idempotency_key, { seq, hash });
      keys.push(event.idempotency_key);
      seqs.push(seq);
      hashes.push(hash);
    }
    await tx.execute(sql`
      update campaign_events as event set chain_seq = link.seq, chain_hash = link.hash
      from unnest(${sql.param(keys)}::text[], ${sql.param(seqs)}::int[], ${sql.param(hashes)}::text[]) as link(key, seq, hash)
      where event.idempotency_key = link.key`);
    await faults?.beforeHeadMoves?.(campaignId, keys);
    await tx.update(campaignChains).set({ headSeq: seq, headHash: hash }).where(eq(campaignChains.campaignId, campaignId));
  }
  return links;
}

/** The content the chain hashes of an event as a caller inserts it. */
export function linkInputOf(event: {
  campaignId: string;
  unitCode?: string | null;
  actor: string;
  action: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  occurredAt: Date;
  idempotencyKey: string;
  effects?: ReadModelEffect[] | null;
}): LinkInput {
  return {
    campaign_id: event.campaignId,
    unit_code: event.unitCode ?? null,
    actor: event.actor,
    action: event.action,
    before: asStoredJson(event.before),
    after: asStoredJson(event.after),
    reason: event.reason ?? null,
    occurred_at: event.occurredAt.toISOString(),
    idempotency_key: event.idempotencyKey,
    effects: asStoredJson(event.effects),
  };
}

/** A results row as Postgres gives it back: its jsonb columns not yet read. */
type RawResultRow = Omit<PublishedResult, 'flags' | 'sheet'> & { flags: unknown; sheet: unknown };

/** The published pass of a campaign, every unit's figures and frozen sheet, by unit code. */
export async function publishedResults(tx: Database, campaignId: string): Promise<PublishedResult[]> {
  const rows = rowsOf<RawResultRow>(
    await tx.execute(sql`
      select pass, unit_code, group_code, assessed_centi, survey_centi, bonus_centi, penalty_centi, total_centi, index_centi, rank,
        classification, flags, sheet
      from ${results} where campaign_id = ${campaignId} and published
      order by unit_code`),
  );
  return rows.map((row) => ({
    ...row,
    flags: jsonOf<string[]>(row.flags),
    sheet: row.sheet === null ? null : jsonOf<FrozenSheet>(row.sheet),
  }));
}

/**
 * Freezes the digest of the published results at the publication event's
 * link, in the transaction that publishes them: what the report prints as its
 * verification code.
 */
export async function freezePublishedDigest(tx: Database, campaignId: string, link: { seq: number; hash: string }, at: Date): Promise<void> {
  const [chain] = await tx.select({ genesis: campaignChains.genesisHash }).from(campaignChains).where(eq(campaignChains.campaignId, campaignId));
  if (chain === undefined) return;
  const digest = resultsDigest({ genesis_hash: chain.genesis, seq: link.seq, link_hash: link.hash, results: await publishedResults(tx, campaignId) });
  await tx
    .update(campaignChains)
    .set({ publishedSeq: link.seq, publishedDigest: digest, publishedAt: at })
    .where(and(eq(campaignChains.campaignId, campaignId)));
}
