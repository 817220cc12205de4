import { log } from '@temporalio/activity';
import type { ReadModelChange } from '../domain/effects';
import { beatingWhile } from './liveness';
import { describeDatabaseFailure, isRetryableDatabaseFailure } from '../db/failures';
import type { ParkedChangeRepository } from '../db/repositories/read-model-parking';
import type { ReadModelRepository } from '../db/repositories/read-model';

/** Test hooks: a fault injected at a chosen point of the activity, never set by a process's composition root. */
export interface ProjectionFaults {
  /** Runs after the change's transaction committed and before the activity completes; throwing simulates a crash there. */
  afterCommit?(changes: readonly ReadModelChange[]): void | Promise<void>;
}

export interface ProjectionActivityDeps {
  readModel: Pick<ReadModelRepository, 'applyChange' | 'applyChanges'>;
  parked: Pick<ParkedChangeRepository, 'park'>;
  projectionFaults?: ProjectionFaults;
}

/**
 * Projects accepted workflow steps into the Postgres read model: each change's
 * event and effects in one transaction, exactly once per idempotency key.
 *
 * A failure that goes away on its own (the database restarting, a lost
 * serialization race: db/failures.ts) fails the activity and Temporal retries
 * it. A change the database refuses for good (a value it does not accept, a
 * broken constraint) would fail every retry and hold up every later step of
 * its workflow, so it is parked instead (db/repositories/read-model-parking.ts)
 * and the activity completes: the workflow goes on answering and projecting,
 * and an operator applies the change after a fix. The activity's signature is
 * unchanged, so running workflows need no patch.
 */
export function createProjectionActivities({ readModel, parked, projectionFaults }: ProjectionActivityDeps) {
  /** Applies one change in its own transaction, or parks it when the database refuses it for good; whether it applied. */
  async function applyOrPark(change: ReadModelChange): Promise<boolean> {
    try {
      return (await readModel.applyChange(change)).applied;
    } catch (error) {
      if (isRetryableDatabaseFailure(error)) throw error;
      await parked.park(change, error, new Date());
      // The server's own sentence, not drizzle's message, which repeats the statement's parameters (the refused value).
      const { code, message } = describeDatabaseFailure(error);
      log.error('change refused by the read model; parked for an operator', { campaignId: change.campaignId, idempotencyKey: change.idempotencyKey, code, message });
      return false;
    }
  }

  return {
    async project(change: ReadModelChange): Promise<void> {
      const applied = await beatingWhile(() => applyOrPark(change));
      await projectionFaults?.afterCommit?.([change]);
      if (!applied) log.info('change not applied (already projected, or parked)', { campaignId: change.campaignId, idempotencyKey: change.idempotencyKey });
    },

    /**
     * Several steps at once, in order, in one transaction: a submission and
     * the stage move it causes, or the opening of a batch of units. One
     * activity instead of one per change on the caller's critical path. When
     * the database refuses the batch for good, each change is tried alone, in
     * order, so that only the one it refuses is parked.
     */
    async projectAll(changes: ReadModelChange[]): Promise<void> {
      const applied = await beatingWhile(async () => {
        try {
          return (await readModel.applyChanges(changes)).applied;
        } catch (error) {
          if (isRetryableDatabaseFailure(error)) throw error;
          let one = 0;
          for (const change of changes) if (await applyOrPark(change)) one += 1;
          return one;
        }
      });
      await projectionFaults?.afterCommit?.(changes);
      if (applied < changes.length) {
        log.info('some changes not applied (already projected, or parked)', { campaignId: changes[0]?.campaignId, applied, changes: changes.length });
      }
    },
  };
}

export type ProjectionActivities = ReturnType<typeof createProjectionActivities>;
