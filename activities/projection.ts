import { log } from '@temporalio/activity';
import type { ReadModelChange } from '../domain/effects';
import type { ReadModelRepository } from '../db/repositories/read-model';

export interface ProjectionActivityDeps {
  readModel: Pick<ReadModelRepository, 'applyChange'>;
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
  };
}

export type ProjectionActivities = ReturnType<typeof createProjectionActivities>;
