import { condition } from '@temporalio/workflow';

/**
 * Waits until `done()` holds or the deadline passes, re-arming the timer
 * whenever the deadline moves (an extension or a campaign-wide change). The
 * idea follows samples-typescript timer-examples/updatable-timer. Date.now() in
 * workflow code is the activation's time, so this is deterministic.
 */
export async function waitForDoneOrDeadline(deadlineMs: () => number, done: () => boolean): Promise<'done' | 'deadline'> {
  for (;;) {
    if (done()) return 'done';
    const armedFor = deadlineMs();
    const remaining = armedFor - Date.now();
    if (remaining <= 0) return 'deadline';
    await condition(() => done() || deadlineMs() !== armedFor, remaining);
  }
}
