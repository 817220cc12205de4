import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { condition, log, ParentClosePolicy, patched, proxyActivities, proxyLocalActivities, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notifications';
import { PERMANENT_SMTP_ERROR, planReminders, reminderKey, type ReminderDispatch, type ReminderStage } from '../domain/reminder-plan';
import type { ReminderPolicy } from '../domain/reminders';

/*
 * Deadline reminders: runReminderTrack runs INSIDE each unit workflow,
 * beside its main track. The timers live there because the unit workflow
 * already knows, without a single message, whether the unit still owes
 * something and what its deadline is now (extensions and campaign-wide moves
 * re-arm them, exactly like the stage timers of deadline-wait.ts). 5,000 units
 * are 5,000 workflows with their own timers: no campaign-wide fan-out and no
 * pending-activity limit.
 *
 * When a reminder is due, runs that take reminders-v2 deliver it
 * with deliverReminder as a local activity, inside the workflow task the timer
 * woke (the policy is read the same way): in a reminder storm every workflow
 * task of an evicted unit workflow is a full replay, and one task per reminder
 * is the fewest a timer can cost. If the SMTP relay does not answer within a few
 * quick attempts, the same activity goes to a regular activity that retries
 * without limit, so an outage neither grows the unit's history nor holds more
 * than the reminder track (never the unit's main track or the campaign). Both
 * are idempotent by the reminder's key and each e-mail's row. Runs that do not
 * take reminders-v2 start one reminderDeliveryWorkflow child per reminder
 * (ABANDON, workflow ID = the reminder's key, REJECT_DUPLICATE).
 */

const { loadReminderPolicy } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** reminders-v2: the policy is read inside the unit's workflow task, not through one more round trip. */
const { loadReminderPolicy: loadPolicyLocally } = proxyLocalActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** reminders-v2: the quick path, in the woken task; three attempts in about three seconds before the regular activity takes over. */
const { deliverReminder: deliverInTask } = proxyLocalActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
});

/** Settles what a lost attempt of a reminder the unit no longer owes left unsent; retried until the database answers. */
const { cancelUnsentReminders } = proxyLocalActivities<NotificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * A reminder that fell due while the unit moved on may have been recorded by a
 * delivery whose workflow task was lost with its worker; the task that replaced
 * it saw the unit move on first and never delivered. Its e-mails are cancelled
 * with the reason, so none stays queued.
 */
export const SETTLE_LEFT_REMINDERS_PATCH = 'reminders-settle-left';

const { prepareReminder } = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** SMTP retries: 2 s, 4 s, 8 s … capped at 5 minutes, without a limit on attempts (an outage delays, never drops). */
const smtpRetry = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: [PERMANENT_SMTP_ERROR] };
const { sendReminderEmail, deliverReminder } = proxyActivities<NotificationActivities>({ startToCloseTimeout: '2 minutes', retry: smtpRetry });

/** What the unit owes now, or null. */
export interface OwedStep {
  stage: ReminderStage;
  deadlineMs: number;
  missing: string[];
}

/** Carried across continue-as-new inside the unit's state. */
export interface ReminderTrackState {
  /** Keys of reminders already dispatched (or superseded by a later one due at the same wake-up). */
  fired: string[];
  /** stage@deadline → when the unit workflow first planned it: reminders due before that are not sent late. */
  since: Record<string, number>;
}

export interface ReminderTrackDeps {
  campaignId: string;
  unitCode: string;
  unitWorkflowId: string;
  owed(): OwedStep | null;
  /** True once the unit can never owe anything again (its workflow ends the track). */
  finished(): boolean;
  state: ReminderTrackState;
  /** The unit run takes reminders-v2: deliver and read the policy with local activities, inside its workflow task. */
  inTask: boolean;
  /** The policy the unit was started with, for the first plan only; absent: the first plan reads it too. */
  firstPolicy?: ReminderPolicy;
}

/** What the unit workflow must wait for before it continues as new or ends: an e-mail still being sent would be lost. */
export interface ReminderTrack {
  idle(): boolean;
}

export function emptyReminderTrackState(): ReminderTrackState {
  return { fired: [], since: {} };
}

/** The reminder workflow's ID: the unit workflow's ID plus the reminder, e.g. par-2019-hn/unit-STP/reminder-self_assessment-1577811599000-before-P3D. */
export function reminderWorkflowId(unitWorkflowId: string, dispatch: Pick<ReminderDispatch, 'stage' | 'deadlineMs' | 'kind' | 'offset'>): string {
  return `${unitWorkflowId}/reminder-${dispatch.stage}-${dispatch.deadlineMs}-${dispatch.kind === 'escalation' ? 'after' : 'before'}-${dispatch.offset}`;
}

/**
 * Waits for each reminder instant of what the unit owes and dispatches it. Re-plans
 * whenever the stage or the deadline changes; stops as soon as nothing is owed.
 * Never throws: a reminder problem must not fail a unit workflow.
 */
export function runReminderTrack(deps: ReminderTrackDeps): ReminderTrack {
  const delivering = { count: 0 };
  track(deps, delivering).catch((error: unknown) => {
    log.error('reminder track stopped', { unitCode: deps.unitCode, error: String(error) });
  });
  return { idle: () => delivering.count === 0 };
}

async function track(deps: ReminderTrackDeps, delivering: { count: number }): Promise<void> {
  const { state } = deps;
  let policy: ReminderPolicy | null = null;
  let policyFor = '';
  let given = deps.firstPolicy ?? null;
  for (;;) {
    if (deps.finished()) return;
    const target = deps.owed();
    if (target === null) {
      await condition(() => deps.finished() || deps.owed() !== null);
      continue;
    }
    const targetKey = `${target.stage}@${target.deadlineMs}`;
    const same = () => {
      const now = deps.owed();
      return now !== null && now.stage === target.stage && now.deadlineMs === target.deadlineMs && !deps.finished();
    };
    notePlanned(state, targetKey);
    // The policy is read again for each new stage or deadline, so a change by Sở Nội vụ applies from the next re-plan.
    if (policyFor !== targetKey || policy === null) {
      if (given !== null) {
        policy = given;
        given = null;
      } else {
        policy = deps.inTask ? await loadPolicyLocally({ campaignId: deps.campaignId }) : await loadReminderPolicy({ campaignId: deps.campaignId });
      }
      policyFor = targetKey;
      if (!same()) continue;
    }
    const pending = pendingReminders(deps, policy, target, state.since[targetKey]!);
    const now = Date.now();
    const due = pending.filter((planned) => planned.at <= now);
    if (due.length > 0) {
      // After a long pause (worker down) only the latest due reminder is sent; the older ones are stale.
      const latest = due[due.length - 1]!;
      state.fired = [...state.fired, ...due.map((planned) => planned.key)].slice(-100);
      const owed = deps.owed() ?? target;
      const reminder: ReminderDispatch = {
        key: latest.key,
        campaignId: deps.campaignId,
        unitCode: deps.unitCode,
        stage: target.stage,
        kind: latest.kind,
        offset: latest.offset,
        deadlineMs: target.deadlineMs,
        dueAtMs: latest.at,
        missing: owed.missing,
        coordinatorUnit: policy.coordinator_unit,
        coordinators: policy.coordinators,
      };
      if (deps.inTask) {
        delivering.count += 1;
        try {
          await deliverInTask(reminder).catch(() => deliverReminder(reminder));
        } finally {
          delivering.count -= 1;
        }
      } else {
        await startDeliveryChild(deps, reminder);
      }
      continue;
    }
    const next = pending[0];
    if (next === undefined) {
      await condition(() => !same());
      continue;
    }
    await condition(() => !same(), next.at - now);
    const missed = pending.filter((planned) => planned.at <= Date.now());
    if (!same() && deps.inTask && missed.length > 0 && patched(SETTLE_LEFT_REMINDERS_PATCH)) {
      const owedNow = deps.owed();
      const reason =
        owedNow === null || owedNow.stage !== target.stage
          ? `no longer owed: the unit left stage ${target.stage} before the reminder was sent`
          : 'no longer owed: the deadline moved before the reminder was sent';
      delivering.count += 1;
      try {
        await cancelUnsentReminders({ keys: missed.map((planned) => planned.key), reason });
      } finally {
        delivering.count -= 1;
      }
    }
  }
}

/** The reminders of a plan not yet sent, nor due before `since` (when the unit first planned for this stage and deadline). */
function pendingReminders(deps: PlanOwner, policy: ReminderPolicy, target: OwedStep, since: number) {
  return planReminders(policy, target.deadlineMs)
    .map((planned) => ({
      ...planned,
      key: reminderKey({ campaignId: deps.campaignId, unitCode: deps.unitCode, stage: target.stage, deadlineMs: target.deadlineMs, kind: planned.kind, offset: planned.offset }),
    }))
    .filter((planned) => planned.at >= since && !deps.state.fired.includes(planned.key));
}

/** Notes when the unit first planned for a stage and deadline, keeping the last 20. */
function notePlanned(state: ReminderTrackState, targetKey: string): void {
  if (state.since[targetKey] !== undefined) return;
  state.since[targetKey] = Date.now();
  const keys = Object.keys(state.since);
  if (keys.length > 20) delete state.since[keys[0]!];
}

/** Who a plan is for: the unit and its track's bookkeeping. */
type PlanOwner = Pick<ReminderTrackDeps, 'campaignId' | 'unitCode' | 'state'>;

/**
 * When the first reminder of what the unit owes falls due under `policy`, or
 * null if none is left to send. Notes the plan as the track's own first plan
 * does, so the track that starts later sends a reminder due in between, however
 * late its workflow task runs.
 */
export function firstReminderAt(owner: PlanOwner, policy: ReminderPolicy, target: OwedStep): number | null {
  const targetKey = `${target.stage}@${target.deadlineMs}`;
  notePlanned(owner.state, targetKey);
  return pendingReminders(owner, policy, target, owner.state.since[targetKey]!)[0]?.at ?? null;
}

async function startDeliveryChild(deps: ReminderTrackDeps, reminder: ReminderDispatch): Promise<void> {
  try {
    await startChild(reminderDeliveryWorkflow, {
      workflowId: reminderWorkflowId(deps.unitWorkflowId, reminder),
      args: [reminder],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

/**
 * One reminder of a run that does not take reminders-v2: records it with its inbox messages and queued e-mails
 * (idempotent by key), then sends each e-mail with its own retries. Per-recipient
 * failures are logged in the delivery log and do not stop the others.
 */
export async function reminderDeliveryWorkflow(reminder: ReminderDispatch): Promise<{ sent: number; other: number }> {
  const { deliveryIds } = await prepareReminder(reminder);
  const outcomes = await Promise.allSettled(deliveryIds.map((deliveryId) => sendReminderEmail({ deliveryId })));
  const sent = outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value === 'sent').length;
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') log.warn('reminder e-mail not delivered', { key: reminder.key, error: String(outcome.reason) });
  }
  return { sent, other: outcomes.length - sent };
}
