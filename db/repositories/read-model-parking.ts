import { and, asc, count, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { parseChangeKey, type ReadModelChange, type ReadModelEffect } from '../../domain/effects';
import type { Database } from '../connect';
import { describeDatabaseFailure, isRetryableDatabaseFailure } from '../failures';
import { campaignEvents, campaignUnits, campaigns } from '../schema';
import { parkedChanges } from '../schema-parking';
import { applyInOrder } from './read-model';
import { withoutWritten } from './read-model-targets';
import type { FrameworkGroupsCache } from './unit-sheets';

/**
 * Parked changes (db/schema-parking.ts): what the projection could not apply
 * for good, kept with its error until an operator applies it after a fix.
 *
 * Order. A workflow's changes are projected one after another; a parked one is
 * skipped and its successors applied. Applied late, it must neither run twice
 * nor put older state over newer, so a retry, in one transaction:
 *   1. locks the parked row; a row already resolved is left as it is (a second
 *      retry changes nothing);
 *   2. reads what the workflow's later changes wrote (campaign_events.writes
 *      of the same workflow with a higher sequence number) and drops those
 *      parts of the change's effects: a unit's state, a stage or a mark that a
 *      later change set stays as that change set it;
 *   3. appends the change's event under its own key `workflowId#seq` (so the
 *      projection's own retry, or another operator, finds it applied and does
 *      nothing) with its original time, which places it among the events where
 *      it happened (campaigns.listEvents), and applies what is left of its effects;
 *   4. marks the row resolved.
 * A retry refused again records the new error and leaves the row parked.
 */

export interface ParkedChangeRow {
  id: number;
  workflowId: string;
  seq: number;
  campaignId: string;
  campaignName: string | null;
  unitCode: string | null;
  unitName: string | null;
  action: string;
  errorCode: string | null;
  errorMessage: string;
  parkedAt: Date;
  attempts: number;
  lastTriedAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export type ParkedState = 'parked' | 'resolved';

export type RetryOutcome =
  /** The change's event and effects are now in the read model; `skipped` lists what later changes had already written. */
  | { outcome: 'applied'; skipped: string[] }
  /** Its event was already there (the projection's own retry applied it): nothing written, the row is resolved. */
  | { outcome: 'already_applied'; skipped: [] }
  /** The row was resolved before: nothing done. */
  | { outcome: 'already_resolved'; skipped: [] }
  /** Refused again (the fix is not in place yet): the row stays parked with the new error. */
  | { outcome: 'still_failing'; skipped: []; errorCode: string | null; errorMessage: string };

export function createParkedChangeRepository(db: Database) {
  const groups: FrameworkGroupsCache = new Map();

  /** What a later change of the same workflow wrote, read inside the retry's transaction. */
  async function writtenLater(tx: Database, campaignId: string, workflowId: string, seq: number): Promise<Set<string>> {
    const prefix = `${workflowId}#`;
    const rows = await tx
      .select({ writes: campaignEvents.writes })
      .from(campaignEvents)
      .where(
        and(
          eq(campaignEvents.campaignId, campaignId),
          sql`left(${campaignEvents.idempotencyKey}, ${prefix.length}) = ${prefix}`,
          sql`substring(${campaignEvents.idempotencyKey} from '#([0-9]+)$')::int > ${seq}`,
          isNotNull(campaignEvents.writes),
        ),
      );
    return new Set(rows.flatMap((row) => row.writes ?? []));
  }

  return {
    /**
     * Keeps a change the read model refused for good. Parking the same change
     * again (the activity retried after parking it) keeps the first record.
     */
    async park(change: ReadModelChange, error: unknown, at: Date): Promise<void> {
      const key = parseChangeKey(change.idempotencyKey);
      const { code, message } = describeDatabaseFailure(error);
      await db
        .insert(parkedChanges)
        .values({
          idempotencyKey: change.idempotencyKey,
          workflowId: key?.workflowId ?? change.idempotencyKey,
          seq: key?.seq ?? 0,
          campaignId: change.campaignId,
          unitCode: change.unitCode ?? null,
          action: change.action,
          change,
          errorCode: code,
          errorMessage: message,
          parkedAt: at,
          lastTriedAt: at,
        })
        .onConflictDoNothing({ target: parkedChanges.idempotencyKey });
    },

    /** How many changes wait for an operator: the figure to watch (a gauge) and to alert on above zero. */
    async countParked(): Promise<number> {
      const [row] = await db.select({ parked: count() }).from(parkedChanges).where(isNull(parkedChanges.resolvedAt));
      return row?.parked ?? 0;
    },

    /** Parked changes, oldest first, or resolved ones, newest first; with the campaign's and the unit's Vietnamese names. */
    async listParked(state: ParkedState = 'parked', limit = 200): Promise<ParkedChangeRow[]> {
      return db
        .select({
          id: parkedChanges.id,
          workflowId: parkedChanges.workflowId,
          seq: parkedChanges.seq,
          campaignId: parkedChanges.campaignId,
          campaignName: campaigns.nameVi,
          unitCode: parkedChanges.unitCode,
          unitName: campaignUnits.nameVi,
          action: parkedChanges.action,
          errorCode: parkedChanges.errorCode,
          errorMessage: parkedChanges.errorMessage,
          parkedAt: parkedChanges.parkedAt,
          attempts: parkedChanges.attempts,
          lastTriedAt: parkedChanges.lastTriedAt,
          resolvedAt: parkedChanges.resolvedAt,
          resolvedBy: parkedChanges.resolvedBy,
        })
        .from(parkedChanges)
        .leftJoin(campaigns, eq(campaigns.id, parkedChanges.campaignId))
        .leftJoin(campaignUnits, and(eq(campaignUnits.campaignId, parkedChanges.campaignId), eq(campaignUnits.unitCode, parkedChanges.unitCode)))
        .where(state === 'parked' ? isNull(parkedChanges.resolvedAt) : isNotNull(parkedChanges.resolvedAt))
        .orderBy(state === 'parked' ? asc(parkedChanges.id) : desc(parkedChanges.resolvedAt))
        .limit(limit);
    },

    /** An operator's retry of one parked change (see the top of this file); null when there is no such row. */
    async retryParked(id: number, operator: string, now: Date): Promise<RetryOutcome | null> {
      try {
        return await db.transaction(async (transaction) => {
          const tx = transaction as unknown as Database;
          const [row] = await tx.select().from(parkedChanges).where(eq(parkedChanges.id, id)).for('update');
          if (row === undefined) return null;
          if (row.resolvedAt !== null) return { outcome: 'already_resolved', skipped: [] };
          const change = row.change;
          const written = await writtenLater(tx, change.campaignId, row.workflowId, row.seq);
          const kept: ReadModelEffect[] = [];
          const skipped: string[] = [];
          for (const effect of change.effects) {
            const left = withoutWritten(effect, written);
            if (left !== null) kept.push(left);
            if (left !== effect) skipped.push(effect.kind);
          }
          const applied = await applyInOrder(tx, groups, [{ ...change, effects: kept }]);
          await tx.update(parkedChanges).set({ resolvedAt: now, resolvedBy: operator, lastTriedAt: now }).where(eq(parkedChanges.id, id));
          return applied > 0 ? { outcome: 'applied', skipped } : { outcome: 'already_applied', skipped: [] };
        });
      } catch (error) {
        // The database away or a lost race: the caller retries later, nothing was written.
        if (isRetryableDatabaseFailure(error)) throw error;
        const { code, message } = describeDatabaseFailure(error);
        await db
          .update(parkedChanges)
          .set({ attempts: sql`${parkedChanges.attempts} + 1`, lastTriedAt: now, errorCode: code, errorMessage: message })
          .where(eq(parkedChanges.id, id));
        return { outcome: 'still_failing', skipped: [], errorCode: code, errorMessage: message };
      }
    },
  };
}

export type ParkedChangeRepository = ReturnType<typeof createParkedChangeRepository>;
