import { condition } from '@temporalio/workflow';
import type { Alarm } from './alarm';

/**
 * Waits until `done()` holds or the deadline passes, re-arming the timer
 * whenever the deadline moves (an extension or a campaign-wide change). The
 * idea follows samples-typescript timer-examples/updatable-timer. Date.now() in
 * workflow code is the activation's time, so this is deterministic. Given the
 * workflow's alarm, the wait shares its one timer (workflows/alarm.ts);
 * without, it arms a timer of its own.
 */
export async function waitForDoneOrDeadline(deadlineMs: () => number, done: () => boolean, alarm?: Alarm): Promise<'done' | 'deadline'> {
  if (alarm) return (await alarm.until(deadlineMs, done)) ? 'done' : 'deadline';
  for (;;) {
    if (done()) return 'done';
    const armedFor = deadlineMs();
    const remaining = armedFor - Date.now();
    if (remaining <= 0) return 'deadline';
    await condition(() => done() || deadlineMs() !== armedFor, remaining);
  }
}
