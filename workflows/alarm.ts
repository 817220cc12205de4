import { CancellationScope, condition, sleep } from '@temporalio/workflow';

/**
 * One Temporal timer for all of a workflow's timed waits (issue 8, P1). A unit
 * waits for its stage deadline and, beside it, for its next reminder; with a
 * timer each, its first workflow task armed two and a submission cancelled
 * two. With the alarm each wait names the instant it ends at, and a single
 * timer is armed for the earliest of them.
 *
 * The timer is re-armed synchronously, by the wait that begins, ends or sees
 * its instant move, as condition(fn, timeout) arms its own: so its commands
 * come in the same order however the SDK groups the jobs of a workflow task
 * (on replay, local activities that completed in separate activations can
 * resolve in one). Date.now() in workflow code is the activation's time, so a
 * wait whose instant has come sees it in the activation the timer woke.
 */
export interface Alarm {
  /** Resolves true once done() holds, or false once the instant at() names has come; at() may move meanwhile. */
  until(at: () => number, done: () => boolean): Promise<boolean>;
}

interface ArmedTimer {
  at: number;
  scope: CancellationScope;
  replaced: boolean;
}

export function startAlarm(): Alarm {
  const waits = new Set<{ at: () => number }>();
  // Timers hang from the scope the alarm was started in, never from the timer before them, which is cancelled.
  const parent = CancellationScope.current();
  let armed: ArmedTimer | null = null;
  // A cancelled workflow's timer throws: every wait then throws it, as a wait with its own timer would.
  let stopped: { error: unknown } | null = null;

  const earliest = () => {
    let first = Infinity;
    for (const wait of waits) first = Math.min(first, wait.at());
    return first;
  };

  function rearm() {
    if (stopped !== null) return;
    const first = earliest();
    if (armed !== null && armed.at === first) return;
    if (armed !== null) {
      armed.replaced = true;
      armed.scope.cancel();
      armed = null;
    }
    const remaining = first - Date.now();
    // Nothing timed to wait for, or an instant that has already come (its wait ends in this activation).
    if (!Number.isFinite(remaining) || remaining <= 0) return;
    const timer: ArmedTimer = { at: first, scope: new CancellationScope({ parent, cancellable: true }), replaced: false };
    armed = timer;
    timer.scope.run(() => sleep(remaining)).then(
      () => {
        if (armed !== timer) return;
        armed = null;
        // Normally the wait it was armed for ends now and re-arms; this covers an instant not yet come.
        rearm();
      },
      (error: unknown) => {
        if (!timer.replaced) stopped = { error };
      },
    );
  }

  return {
    async until(at, done) {
      const wait = { at };
      waits.add(wait);
      rearm();
      try {
        for (;;) {
          const armedFor = at();
          await condition(() => stopped !== null || done() || Date.now() >= armedFor || at() !== armedFor);
          if (stopped !== null || done() || Date.now() >= at()) break;
          rearm();
        }
      } finally {
        waits.delete(wait);
        rearm();
      }
      if (stopped !== null) throw stopped.error;
      return done();
    },
  };
}
