import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import { mapWithConcurrency, percentile, sleep } from './stack';

const WORKFLOW_TASK_COMPLETED = proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
/** A workflow's first task is done within its first events: started, scheduled, started, completed (a timed-out attempt adds a few). */
const FIRST_PAGE = 16;
/** History reads in flight: read after the measured window, so they cost it nothing. */
const READ_CONCURRENCY = 50;

/** When every workflow of a set had its first workflow task completed, by the server's clock. */
export interface FirstTasks {
  /** Workflows whose first task was found completed. */
  done: number;
  /** Workflows whose first task was still not completed when the reads gave up. */
  missing: number;
  /** From `since` until the last first task completed: when the last workflow was ready. */
  lastMs: number;
  /** From `since` until half of the first tasks had completed. */
  p50Ms: number;
}

/**
 * Reads each workflow's first history page and takes the time of its first
 * WorkflowTaskCompleted event: when that workflow had run its first task (for
 * a unit, its handlers registered and its timers armed: ready for its
 * self-assessment). The server records the event anyway, so the system under
 * measure does no extra work for it; the reads run once the window is over.
 * `since` is a wall-clock instant of this host (the server runs here too).
 * Workflows not yet done are read again for up to `patienceMs`.
 */
export async function firstTasksDone(client: Client, workflowIds: readonly string[], since: number, patienceMs = 120_000): Promise<FirstTasks> {
  const completedAt = new Map<string, number>();
  const giveUpAt = Date.now() + patienceMs;
  let pending = [...workflowIds];
  for (;;) {
    const found = await mapWithConcurrency(pending, READ_CONCURRENCY, (workflowId) => firstTaskCompletedAt(client, workflowId));
    pending = pending.filter((workflowId, i) => {
      const at = found[i];
      if (at === null || at === undefined) return true;
      completedAt.set(workflowId, at);
      return false;
    });
    if (pending.length === 0 || Date.now() > giveUpAt) break;
    await sleep(1_000);
  }
  const offsets = [...completedAt.values()].map((at) => at - since);
  return {
    done: completedAt.size,
    missing: pending.length,
    lastMs: offsets.length ? Math.max(...offsets) : Number.NaN,
    p50Ms: percentile(offsets, 50),
  };
}

async function firstTaskCompletedAt(client: Client, workflowId: string): Promise<number | null> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId },
    maximumPageSize: FIRST_PAGE,
  });
  const completed = history?.events?.find((event) => event.eventType === WORKFLOW_TASK_COMPLETED);
  return completed?.eventTime ? tsToMs(completed.eventTime) : null;
}
