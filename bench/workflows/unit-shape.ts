import { condition, defineUpdate, proxyLocalActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { StageKey } from '../../workflows/search-attributes';
import { finishSignal } from './noop';

/**
 * What a unit workflow asked of the Temporal server during P1 and P2 in round
 * 11 of BENCHMARKS, and nothing else (bench/floor-shapes.ts, issue 8): no
 * validation, no Postgres, no API. Its first task runs a local activity (the
 * unit read its reminder policy; since round 12 the policy comes in the unit's
 * input) and arms two timers (its deadline and its next reminder). An update
 * then runs a local activity (the unit stores its submission), upserts a
 * search attribute (its stage), and ends both waits, which cancels their
 * timers, before a new deadline timer is armed: the events a submission adds
 * to a unit's history.
 */
export interface ShapeActivities {
  readShapePolicy(): Promise<void>;
  storeShapeSubmission(payload: unknown): Promise<void>;
}

const { readShapePolicy, storeShapeSubmission } = proxyLocalActivities<ShapeActivities>({ startToCloseTimeout: '1 minute' });

export const submitShapeUpdate = defineUpdate<number, [unknown]>('benchSubmitShape');

const THIRTY_DAYS_MS = 30 * 86_400_000;

export async function unitShapeWorkflow(): Promise<number> {
  let submitted = false;
  let finished = false;
  setHandler(finishSignal, () => {
    finished = true;
  });
  setHandler(submitShapeUpdate, async (payload) => {
    await storeShapeSubmission(payload);
    upsertSearchAttributes([{ key: StageKey, value: 'appraisal_round_1' }]);
    submitted = true;
    return 1;
  });
  await readShapePolicy();
  const deadlineOrReminder = () => condition(() => submitted || finished, THIRTY_DAYS_MS);
  await Promise.all([deadlineOrReminder(), deadlineOrReminder()]);
  await condition(() => finished, THIRTY_DAYS_MS);
  return submitted ? 1 : 0;
}
