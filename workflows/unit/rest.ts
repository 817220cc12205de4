import { condition } from '@temporalio/workflow';
import { emptyReminderTrackState, firstReminderAt } from '../reminders';
import { owedStep } from './reminder-track';
import type { UnitRun } from './run';

/** How a unit's rest ended: its first instant came, something moved it on first, or it did not rest. */
export type RestOutcome = 'due' | 'moved' | 'none';

/**
 * A unit opened by the campaign with `restsUntilDue` arms one timer in its
 * first workflow task, for the first instant anything is due to it: its first
 * reminder under the policy it was started with, or its self-assessment
 * deadline if no reminder comes before. Its reminder track and its stage
 * timers start then, or as soon as a submission or a deadline move reaches it,
 * whichever is first; its handlers are registered already, so it takes its
 * self-assessment meanwhile. Thousands of units opened at once then cost one
 * timer each instead of two, and a first task of a fraction of the promises
 * (BENCHMARKS.md, P1'). The plan is noted now, as the track's first plan notes
 * it, so a wake-up that runs late (a worker down) still sends the reminder due
 * at it. 'moved': the track reads the policy in force, as any re-plan does.
 */
export async function restUntilFirstDue(run: UnitRun): Promise<RestOutcome> {
  const { state, input } = run;
  const policy = input.reminderPolicy;
  const owed = owedStep(run);
  if (!input.restsUntilDue || !run.inTask || input.resume || !policy || owed === null) return 'none';
  state.reminders ??= emptyReminderTrackState();
  const reminderAt = firstReminderAt({ campaignId: run.campaignId, unitCode: run.unit.code, state: state.reminders }, policy, owed);
  const restMs = Math.min(reminderAt ?? owed.deadlineMs, owed.deadlineMs) - Date.now();
  if (restMs <= 0) return 'none';
  const moved = () => state.stage !== owed.stage || state.submittedAt !== null || run.deadline('self_assessment_due') !== owed.deadlineMs;
  return (await condition(moved, restMs)) ? 'moved' : 'due';
}
