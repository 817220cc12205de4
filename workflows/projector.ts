import { proxyActivities } from '@temporalio/workflow';
import type { CampaignActivities } from '../activities';
import type { ReadModelChange } from '../domain/effects';

const { project } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export type ChangeDraft = Omit<ReadModelChange, 'idempotencyKey' | 'at'> & { at?: string };

/**
 * Mirrors a workflow's accepted steps into the read model, one change at a time
 * and in order, so a later snapshot never lands before an earlier one. Each
 * change's idempotency key is the workflow ID plus a sequence number that is
 * carried across continue-as-new: a retried activity applies nothing twice.
 */
export function createProjector(workflowId: string, startSeq: number) {
  let seq = startSeq;
  let tail: Promise<void> = Promise.resolve();
  return {
    get seq() {
      return seq;
    },
    emit(draft: ChangeDraft): Promise<void> {
      seq += 1;
      const change: ReadModelChange = { ...draft, at: draft.at ?? new Date().toISOString(), idempotencyKey: `${workflowId}#${seq}` };
      const run = tail.then(() => project(change));
      tail = run.catch(() => undefined);
      return run;
    },
  };
}
