import { asc, lt, sql } from 'drizzle-orm';
import type { ReadModelChange } from '../../domain/effects';
import type { Database } from '../connect';
import { projectionIntents } from '../schema-intents';
import type { ChainFaults } from './chain';
import { applyInOrder } from './read-model';
import type { FrameworkGroupsCache } from './unit-sheets';

/** A step the API sent to a workflow and projects itself (db/schema-intents.ts). */
export interface ProjectionIntent {
  workflowId: string;
  updateId: string;
  campaignId: string;
}

/** An accepted step's changes, with the intent they settle. */
export interface ReturnedStep {
  intent: ProjectionIntent;
  changes: readonly ReadModelChange[];
}

/**
 * The intents of the API's own projection, and the transaction that applies
 * returned steps and settles their intents together: a step is projected and
 * its intent gone, or neither.
 */
export function createProjectionIntentRepository(db: Database, options: { chainFaults?: ChainFaults } = {}) {
  const groups: FrameworkGroupsCache = new Map();

  /** Deletes the given intents inside the caller's transaction. */
  async function settleIn(tx: Database, intents: readonly ProjectionIntent[]): Promise<void> {
    if (intents.length === 0) return;
    await tx.execute(sql`
      delete from ${projectionIntents} as intent
      using unnest(${sql.param(intents.map((intent) => intent.workflowId))}::text[], ${sql.param(intents.map((intent) => intent.updateId))}::text[])
        as settled(workflow_id, update_id)
      where intent.workflow_id = settled.workflow_id and intent.update_id = settled.update_id`);
  }

  return {
    /** Before the update is sent; a retried request with the same update ID keeps the first row. */
    async record(intent: ProjectionIntent, at: Date): Promise<void> {
      await db.insert(projectionIntents).values({ ...intent, createdAt: at }).onConflictDoNothing();
    },

    /**
     * Every step's changes, in the given order (each workflow's in its own
     * order), in one transaction with the deletion of their intents; each change
     * applies once by its key. Returns how many changes this call applied.
     */
    async applyReturned(steps: readonly ReturnedStep[]): Promise<{ applied: number }> {
      return db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        const applied = await applyInOrder(tx, groups, steps.flatMap((step) => step.changes), options.chainFaults);
        await settleIn(tx, steps.map((step) => step.intent));
        return { applied };
      });
    },

    /** Deletes intents that have nothing to project (a refused step, an update that never reached its workflow). */
    async settle(intents: readonly ProjectionIntent[]): Promise<void> {
      await settleIn(db, intents);
    },

    /** Intents older than `before`, oldest first: steps whose request is long over and whose changes were not projected. */
    async listStale(before: Date, limit: number): Promise<(ProjectionIntent & { createdAt: Date })[]> {
      return db
        .select({ workflowId: projectionIntents.workflowId, updateId: projectionIntents.updateId, campaignId: projectionIntents.campaignId, createdAt: projectionIntents.createdAt })
        .from(projectionIntents)
        .where(lt(projectionIntents.createdAt, before))
        .orderBy(asc(projectionIntents.createdAt))
        .limit(limit);
    },
  };
}

export type ProjectionIntentRepository = ReturnType<typeof createProjectionIntentRepository>;
