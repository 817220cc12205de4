import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CampaignActivities } from '../activities';
import { changeKey, type ReadModelChange } from '../domain/effects';

/**
 * The first retry comes 200 ms after a failure: a step waits on it, and the
 * attempt lost with its worker has already cost the heartbeat timeout. A
 * failure that lasts (a database restarting) backs off from there as before.
 */
const retry = { initialInterval: '200 milliseconds', maximumInterval: '1 minute' };
/**
 * The attempt beats while it runs (activities/liveness.ts): one lost with its
 * worker is retried 5 s after its last beat, not when the 30 s start-to-close
 * ends, which a step waiting on it sat through. A slow attempt (a lock wait)
 * keeps beating and is not cut short. Options are not part of what a replay
 * compares (the activity's type and ID are), so running histories replay
 * unchanged without a patch (docs/decisions.md).
 */
const { project } = proxyActivities<CampaignActivities>({ startToCloseTimeout: '30 seconds', heartbeatTimeout: '5 seconds', retry });
// A local activity runs inside the worker's own workflow task: none of the round trips
// through the server that a regular activity costs (schedule, dispatch, completion, a new
// workflow task), which a caller waiting on an update would otherwise sit through
// (BENCHMARKS.md). Fit for it: a short transaction, idempotent by key, so a re-run after a
// crash is harmless.
const { projectAll } = proxyLocalActivities<CampaignActivities>({ startToCloseTimeout: '30 seconds', retry });

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
  const stamp = (draft: ChangeDraft): ReadModelChange => {
    seq += 1;
    return { ...draft, at: draft.at ?? new Date().toISOString(), idempotencyKey: changeKey(workflowId, seq) };
  };
  const enqueue = (apply: () => Promise<void>): Promise<void> => {
    const run = tail.then(apply);
    tail = run.catch(() => undefined);
    return run;
  };
  return {
    get seq() {
      return seq;
    },
    emit(draft: ChangeDraft): Promise<void> {
      const change = stamp(draft);
      return enqueue(() => project(change));
    },
    /** Several steps in one local activity and one transaction: the least on a caller's critical path. */
    emitAll(drafts: ChangeDraft[]): Promise<void> {
      const changes = drafts.map(stamp);
      return enqueue(() => projectAll(changes));
    },
    /** Stamps steps without projecting them: for a caller that projects them itself (a returning update). */
    stamp(drafts: ChangeDraft[]): ReadModelChange[] {
      return drafts.map(stamp);
    },
    /** Projects changes stamped earlier, after whatever this projector has queued; a key already applied applies nothing. */
    reproject(changes: ReadModelChange[]): Promise<void> {
      return enqueue(() => projectAll(changes));
    },
  };
}
