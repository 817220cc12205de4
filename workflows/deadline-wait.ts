import { condition } from '@temporalio/workflow';

/**
 * Waits until `done()` holds or the deadline passes, re-arming the timer
 * whenever the deadline moves (an extension or a campaign-wide change). The
 * idea follows samples-typescript timer-examples/updatable-timer. Date.now() in
 * workflow code is the activation's time, so this is deterministic.
 *
 * `deadlineWinsTies`: when the wait wakes with the deadline passed by the
 * workflow's clock and `done()` holding too (the last step and the deadline
 * arrived in one workflow task, in whichever order the SDK hands them over),
 * the deadline is what happened first, so that the calendar's boundary is
 * recorded whichever way the two messages fell into tasks. Called only in that
 * case, so it may be a patched() check.
 */
export async function waitForDoneOrDeadline(
  deadlineMs: () => number,
  done: () => boolean,
  deadlineWinsTies?: () => boolean,
): Promise<'done' | 'deadline'> {
  let woken = false;
  for (;;) {
    const armedFor = deadlineMs();
    if (woken && armedFor <= Date.now() && done() && deadlineWinsTies?.()) return 'deadline';
    if (done()) return 'done';
    const remaining = armedFor - Date.now();
    if (remaining <= 0) return 'deadline';
    await condition(() => done() || deadlineMs() !== armedFor, remaining);
    woken = true;
  }
}
