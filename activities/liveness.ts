import { Context } from '@temporalio/activity';

/** How often a running attempt tells the server it is alive; the SDK sends at most one per 80 % of the caller's heartbeatTimeout. */
const BEAT_EVERY_MS = 1_000;

/**
 * Runs `work`, heartbeating while it lasts, so that the caller's
 * heartbeatTimeout tells an attempt lost with its worker (SIGKILL, OOM: no
 * heartbeat any more) from one that is only slow (a lock wait, a queue for the
 * pool: it keeps beating). Without it the server learns of a lost attempt only
 * when its start-to-close timeout ends, and the step waiting on it with it.
 * An attempt that ends within a second never beats. A local activity, or a
 * call outside any activity (tests), just runs.
 *
 * `details`: for an activity that records where a retry resumes in its
 * heartbeats (the fan-out), what the last of them said. A beat carries the
 * details it is given and replaces those before, so a beat without them would
 * make a retry start again from the beginning.
 */
export async function beatingWhile<T>(work: () => Promise<T>, details?: () => unknown): Promise<T> {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    context = undefined;
  }
  if (!context || context.info.isLocal) return work();
  const beating = context;
  const timer = setInterval(() => (details ? beating.heartbeat(details()) : beating.heartbeat()), BEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
