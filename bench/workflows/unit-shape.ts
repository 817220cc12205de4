import { condition, defineUpdate, proxyLocalActivities, proxySinks, setHandler, upsertSearchAttributes, type Sinks } from '@temporalio/workflow';
import { StageKey } from '../../contracts/search-attributes';
import { finishSignal } from './noop';

/**
 * What a unit workflow asks of the Temporal server during P1 and P2, and
 * nothing else (bench/floor-shapes.ts): no validation, no Postgres,
 * no API. An update runs a local activity (the unit stores its submission),
 * upserts a search attribute (its stage) and ends the first task's waits,
 * which cancels their timers, before a new deadline timer is armed: the events
 * a submission adds to a unit's history. The first task's variants:
 * - `policy-read`: a local activity (a unit that reads its reminder policy) and two
 *   timers (its deadline and its next reminder);
 * - `two-timers`: the two timers alone, as a unit that gets its policy in its input;
 * - `one-alarm`: one timer, for the earlier of the two wake-ups (the unit workflow
 *   does not do this: P1 did not move when it was tried, BENCHMARKS.md round 13).
 * - `returned`: the two timers, and an update that runs no local activity: it
 *   changes state, upserts the search attribute and returns what the read model
 *   needs, for the caller to project (a unit whose submission is projected by the API).
 * - `returned-marks`: `returned`, answering with the submission itself, the size of
 *   the changes a unit returns (40 marks with their notes).
 */
export type UnitShape = 'policy-read' | 'two-timers' | 'one-alarm' | 'returned' | 'returned-marks';

export interface ShapeActivities {
  readShapePolicy(): Promise<void>;
  storeShapeSubmission(payload: unknown): Promise<void>;
}

/** Tells the harness that a first task has armed its timers, without an event in the history. */
export interface ShapeSinks extends Sinks {
  shape: { firstTaskDone(): void };
}

const { readShapePolicy, storeShapeSubmission } = proxyLocalActivities<ShapeActivities>({ startToCloseTimeout: '1 minute' });
const { shape: shapeSink } = proxySinks<ShapeSinks>();

export const submitShapeUpdate = defineUpdate<unknown, [unknown]>('benchSubmitShape');

const THIRTY_DAYS_MS = 30 * 86_400_000;

export async function unitShapeWorkflow(shape: UnitShape = 'policy-read'): Promise<number> {
  let submitted = false;
  let finished = false;
  setHandler(finishSignal, () => {
    finished = true;
  });
  setHandler(submitShapeUpdate, async (payload) => {
    const returns = shape === 'returned' || shape === 'returned-marks';
    if (!returns) await storeShapeSubmission(payload);
    upsertSearchAttributes([{ key: StageKey, value: 'appraisal_round_1' }]);
    submitted = true;
    return shape === 'returned-marks' ? payload : 1;
  });
  if (shape === 'policy-read') await readShapePolicy();
  const deadlineOrReminder = () => condition(() => submitted || finished, THIRTY_DAYS_MS);
  const waits = Promise.all(shape === 'one-alarm' ? [deadlineOrReminder()] : [deadlineOrReminder(), deadlineOrReminder()]);
  shapeSink.firstTaskDone();
  await waits;
  await condition(() => finished, THIRTY_DAYS_MS);
  return submitted ? 1 : 0;
}
