import { currentUpdateInfo } from '@temporalio/workflow';

/**
 * The scores an update's validator computed, kept for that same update's
 * handler, so a step is scored once when it arrives.
 *
 * A validator must not change what the workflow does, because it does not
 * always run: on replay the history already says the update was accepted, and
 * the SDK calls the handler alone. So what is kept here is only ever a
 * shortcut: the value of a pure function of the update's arguments and of
 * state that no handler changes while the stage the validator requires lasts
 * (the framework group, the self-assessment column, round 1 once round 2 is
 * open). The handler takes the kept value when its validator ran, and computes
 * the same value itself when it did not (a replay), so live and replayed runs
 * hold the same scores and emit the same commands.
 *
 * Keyed by the update's ID (the SDK keeps it in scope for the validator and the
 * handler alike, and calls the handler right after the validator accepts); the
 * handler removes its entry. Nothing here reaches the unit's state, a query or
 * continue-as-new, and a refused update keeps nothing.
 */
export class ScoredOnce<T> {
  private readonly byUpdate = new Map<string, T>();

  /** From a validator that accepted: the value its handler will need. */
  keep(value: T): void {
    const id = currentUpdateInfo()?.id;
    if (id !== undefined) this.byUpdate.set(id, value);
  }

  /** From a handler: the value its validator kept, or `compute()` when the validator did not run. */
  take(compute: () => T): T {
    const id = currentUpdateInfo()?.id;
    if (id === undefined) return compute();
    const kept = this.byUpdate.get(id);
    this.byUpdate.delete(id);
    return kept ?? compute();
  }
}
