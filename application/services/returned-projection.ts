import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ReadModelChange } from '../../domain/effects';
import { stepMarksOf, withStepMarks } from '../../domain/returned-marks';
import type { Returned } from '../../contracts/messages';
import { isRetryableDatabaseFailure } from '../../db/failures';
import type { ParkedChangeRepository } from '../../db/repositories/read-model-parking';
import type { ProjectionIntent, ProjectionIntentRepository, ReturnedStep } from '../../db/repositories/projection-intents';
import type { ReadModelRepository } from '../../db/repositories/read-model';

/** What the projection logs: a failed batch, a parked change, a swept intent. */
export interface ProjectionLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ReturnedProjectionDeps {
  intents: Pick<ProjectionIntentRepository, 'record' | 'applyReturned' | 'settle' | 'listStale'>;
  /** A change the database refuses for good is applied alone, then parked, as the workflows' projection does. */
  readModel: Pick<ReadModelRepository, 'applyChange'>;
  parked: Pick<ParkedChangeRepository, 'park'>;
  temporal: Pick<Client, 'workflow' | 'withDeadline'>;
  log: ProjectionLog;
  now?: () => number;
  /**
   * An intent older than this is a step whose request is over and whose
   * changes were not projected (its process died, the database was away):
   * the sweeper projects it. Well above the call bound of a step
   * (TEMPORAL_CALL_TIMEOUT_MS), so that a step still being answered is not swept.
   */
  staleAfterMs?: number;
  /** How often the sweeper looks for stale intents; 0 leaves it off (tests drive sweep() themselves). */
  sweepEveryMs?: number;
  /** How long the sweeper waits for one update's outcome before it leaves the intent for its next round. */
  outcomeTimeoutMs?: number;
}

const SWEEP_BATCH = 200;

/**
 * The read-model projection of steps the API takes with a returning update
 * (contracts/messages.ts): the workflow answers as soon as the step is in its
 * history, with the changes it stamped, and this projects them off the
 * workflow's path, exactly once by their keys.
 *
 * Group commit: every returned step waiting when the previous transaction
 * ends goes into the next one (db/repositories/projection-intents.ts
 * applyReturned), in arrival order, which keeps each workflow's changes in
 * its own order; a burst of submissions costs a few transactions a second,
 * not one each.
 *
 * Nothing is lost when this process dies between the workflow's answer and
 * the commit, or when the database refuses the batch for a while: the step's
 * intent, written before the update was sent, outlives it, and the sweeper
 * asks Temporal for the update's outcome (kept with the workflow's history)
 * and projects it. A workflow that continues as new projects what it returned
 * itself first (workflows/unit.ts), since its updates' outcomes stay with its
 * old run.
 */
export function createReturnedProjection({
  intents,
  readModel,
  parked,
  temporal,
  log,
  now = Date.now,
  staleAfterMs = 60_000,
  sweepEveryMs = 15_000,
  outcomeTimeoutMs = 10_000,
}: ReturnedProjectionDeps) {
  interface Waiting {
    step: ReturnedStep;
    settled: () => void;
  }
  let queue: Waiting[] = [];
  let draining: Promise<void> | null = null;
  let closed = false;

  /** Applies one step alone; a change the database refuses for good is applied on its own or parked, and the intent settled. */
  async function applyAlone(step: ReturnedStep): Promise<void> {
    try {
      await intents.applyReturned([step]);
      return;
    } catch (error) {
      if (isRetryableDatabaseFailure(error)) throw error;
    }
    for (const change of step.changes) {
      try {
        await readModel.applyChange(change);
      } catch (error) {
        if (isRetryableDatabaseFailure(error)) throw error;
        await parked.park(change, error, new Date(now()));
        log.error({ campaignId: change.campaignId, idempotencyKey: change.idempotencyKey }, 'change refused by the read model; parked for an operator');
      }
    }
    await intents.settle([step.intent]);
  }

  async function applyBatch(batch: Waiting[]): Promise<void> {
    const steps = batch.map((waiting) => waiting.step);
    try {
      await intents.applyReturned(steps);
    } catch (error) {
      if (isRetryableDatabaseFailure(error)) throw error;
      // One step the database refuses must not hold up the others.
      for (const step of steps) await applyAlone(step);
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await applyBatch(batch);
      } catch (error) {
        // The database is away: the intents stay, and the sweeper projects these steps once it is back.
        log.warn({ err: error, steps: batch.length }, 'returned steps not projected yet; their intents are kept for the sweeper');
      }
      for (const waiting of batch) waiting.settled();
    }
    draining = null;
  }

  /**
   * Queues a step's changes for the next transaction. Resolves once that
   * transaction has ended, committed or not: a step whose batch failed is
   * still recorded by its workflow, and its intent gets it projected later.
   */
  function project(step: ReturnedStep): Promise<void> {
    if (step.changes.length === 0) return intents.settle([step.intent]);
    return new Promise<void>((settled) => {
      queue.push({ step, settled });
      draining ??= drain();
    });
  }

  /** Projects every stale intent whose update has an outcome; settles the ones with nothing to project. */
  async function sweep(): Promise<{ projected: number; settled: number; left: number }> {
    const stale = await intents.listStale(new Date(now() - staleAfterMs), SWEEP_BATCH);
    const tally = { projected: 0, settled: 0, left: 0 };
    for (const intent of stale) {
      const outcome = await outcomeOf(intent);
      if (outcome === 'pending') {
        tally.left += 1;
      } else if (outcome === 'nothing') {
        await intents.settle([intent]);
        tally.settled += 1;
      } else {
        await project({ intent, changes: outcome });
        tally.projected += 1;
      }
    }
    if (stale.length > 0) log.warn({ ...tally }, 'swept projection intents');
    return tally;
  }

  /**
   * The step the intent's update carried, read from its workflow's history
   * (the update's accepted request): its marks complete the changes its
   * answer returned without them.
   */
  async function stepOf(intent: ProjectionIntent): Promise<unknown> {
    const history = await temporal.withDeadline(now() + outcomeTimeoutMs, () => temporal.workflow.getHandle(intent.workflowId).fetchHistory());
    for (const event of history.events ?? []) {
      const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
      if (request?.meta?.updateId !== intent.updateId) continue;
      const payload = request.input?.args?.payloads?.[0];
      return payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
    }
    return undefined;
  }

  /** The changes of the intent's update; 'nothing' when it was refused or never reached its workflow; 'pending' when Temporal does not say yet. */
  async function outcomeOf(intent: ProjectionIntent): Promise<readonly ReadModelChange[] | 'nothing' | 'pending'> {
    try {
      const handle = temporal.workflow.getHandle(intent.workflowId).getUpdateHandle<Returned<unknown>>(intent.updateId);
      const returned = await temporal.withDeadline(now() + outcomeTimeoutMs, () => handle.result());
      const needsMarks = returned.changes.some((change) => change.effects.some((effect) => effect.kind === 'scores'));
      const marks = needsMarks ? stepMarksOf(await stepOf(intent)) : [];
      return returned.changes.map((change) => withStepMarks(change, marks));
    } catch (error) {
      // Refused by its validator (nothing entered history), or never admitted: the client got no 200 for it.
      if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) return 'nothing';
      log.warn({ err: error, workflowId: intent.workflowId, updateId: intent.updateId }, 'update outcome not available; the intent is kept');
      return 'pending';
    }
  }

  let sweeping: Promise<unknown> | null = null;
  const timer =
    sweepEveryMs > 0
      ? setInterval(() => {
          if (closed || sweeping) return;
          sweeping = sweep()
            .catch((error: unknown) => log.warn({ err: error }, 'projection sweep failed; the next one retries'))
            .finally(() => {
              sweeping = null;
            });
        }, sweepEveryMs)
      : null;
  timer?.unref();

  return {
    /** Records the intent of a step about to be sent; the step must not be sent if this throws. */
    recordIntent: (intent: ProjectionIntent) => intents.record(intent, new Date(now())),
    project,
    /** Drops the intent of a step that recorded nothing (refused by its workflow). */
    settle: (intent: ProjectionIntent) => intents.settle([intent]),
    sweep,
    /** Stops the sweeper and waits for the transaction in flight and the steps queued behind it. */
    async close(): Promise<void> {
      closed = true;
      if (timer) clearInterval(timer);
      await sweeping;
      await draining;
    },
  };
}

export type ReturnedProjection = ReturnType<typeof createReturnedProjection>;
