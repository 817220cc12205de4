import { patched, sleep } from '@temporalio/workflow';

/**
 * bench/patch-markers.ts: the same one-timer workflow with and without two
 * patched() calls, to weigh what a patch marker costs the Temporal server (a
 * marker event and a TemporalChangeVersion search-attribute upsert each).
 */
export async function oneTimerWorkflow(): Promise<void> {
  await sleep(1);
}

export async function twoPatchesWorkflow(): Promise<void> {
  patched('bench-first');
  patched('bench-second');
  await sleep(1);
}
