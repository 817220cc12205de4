import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * The raw floor of the benchmarks (bench/run.ts): a workflow that does
 * nothing but stay open, accept an update and close on a signal. Bundled only
 * into the harness's own bench worker; no part of the app imports it.
 */
export const pingUpdate = defineUpdate<number, [unknown]>('benchPing');
export const finishSignal = defineSignal('benchFinish');

export async function noopWorkflow(): Promise<number> {
  let pings = 0;
  let finished = false;
  setHandler(pingUpdate, () => ++pings);
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
  return pings;
}
