import { log } from '@temporalio/activity';
import type { ReadModelChange } from '../domain/effects';
import type { ReadModelRepository } from '../db/repositories/read-model';

export interface ProjectionActivityDeps {
  readModel: Pick<ReadModelRepository, 'applyChange' | 'applyChanges'>;
}

/**
 * Projects one accepted workflow step into the Postgres read model: its event
 * and its effects in one transaction, exactly once per idempotency key.
 */
export function createProjectionActivities({ readModel }: ProjectionActivityDeps) {
  return {
    async project(change: ReadModelChange): Promise<void> {
      const { applied } = await readModel.applyChange(change);
      if (!applied) {
        log.info('change already projected; nothing applied', { campaignId: change.campaignId, idempotencyKey: change.idempotencyKey });
      }
    },

    /**
     * Several steps at once, in order, in one transaction (issue 8): a
     * submission and the stage move it causes, or the opening of a batch of
     * units. One activity instead of one per change on the caller's critical path.
     */
    async projectAll(changes: ReadModelChange[]): Promise<void> {
      const { applied } = await readModel.applyChanges(changes);
      if (applied < changes.length) {
        log.info('some changes already projected; applied the rest', { campaignId: changes[0]?.campaignId, applied, changes: changes.length });
      }
    },
  };
}

export type ProjectionActivities = ReturnType<typeof createProjectionActivities>;
