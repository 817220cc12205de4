import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { CampaignUnit } from '../domain/campaign';
import type { FrameworkGroup } from '../domain/framework';
import type { ReminderPolicy } from '../domain/reminders';
import { unitWorkflowId } from '../domain/units';
import {
  CampaignIdKey,
  CampaignYearKey,
  StageKey,
  UnitCodeKey,
  UnitGroupKey,
  UnitStatusKey,
} from '../workflows/search-attributes';
import type { unitWorkflowV2, UnitWorkflowInput } from '../workflows/unit';
import { reopenAppraisalSignal, unitDeadlinesSignal, unitPublishedSignal } from '../workflows/messages';

export interface FanOutActivityDeps {
  client: Pick<Client, 'workflow'>;
  /** The campaign's reminder policy in force, given to each unit it starts (loadReminderPolicy's answer). */
  reminderPolicyOf(campaignId: string): Promise<ReminderPolicy>;
}

/** The campaign → unit signals, by the names workflows/messages.ts gives them. */
const UNIT_SIGNALS = {
  unitDeadlines: unitDeadlinesSignal,
  unitPublished: unitPublishedSignal,
  reopenAppraisal: reopenAppraisalSignal,
} as const;
type UnitSignals = typeof UNIT_SIGNALS;
export type UnitSignalName = keyof UnitSignals;
type PayloadOf<N extends UnitSignalName> = UnitSignals[N] extends SignalDefinition<infer Args> ? Args[0] : never;

export type SignalUnitsInput = {
  [N in UnitSignalName]: { campaignId: string; unitCodes: string[]; signal: N; payload: PayloadOf<N> };
}[UnitSignalName];

export interface SignalUnitsResult {
  signalled: number;
  /** Units whose workflow no longer exists (or has closed), skipped. */
  missing: string[];
}

/** Signals in flight at once: enough for thousands of units, gentle on the frontend. */
export const FAN_OUT_CONCURRENCY = 50;

/** Workflow starts in flight at once (issue 8: what the raw floor of P1 uses too). */
export const START_CONCURRENCY = 100;

export interface StartUnitsInput {
  /** The unit workflow input shared by the whole batch: everything but the unit and its group's criteria. */
  common: Omit<UnitWorkflowInput, 'unit' | 'group' | 'resume'>;
  /** Group code → criteria tree, once per batch instead of once per unit. */
  groups: Record<string, FrameworkGroup>;
  units: CampaignUnit[];
}

export interface StartUnitsResult {
  started: number;
  /** Units whose workflow already existed (a retried attempt), left alone. */
  existing: number;
}

/** Heartbeat details: where a retried attempt resumes. */
interface FanOutProgress {
  next: number;
  signalled: number;
  missing: string[];
}

function resumePoint(details: unknown): FanOutProgress {
  if (typeof details === 'number') return { next: details, signalled: details, missing: [] };
  if (typeof details === 'object' && details !== null && typeof (details as FanOutProgress).next === 'number') {
    const progress = details as FanOutProgress;
    return { next: progress.next, signalled: progress.signalled ?? 0, missing: progress.missing ?? [] };
  }
  return { next: 0, signalled: 0, missing: [] };
}

/**
 * Campaign-wide signals to unit workflows (deadline changes, reopening,
 * publication) from an activity, so a campaign with thousands of units does not
 * put thousands of signal commands in its own history. Batches of
 * FAN_OUT_CONCURRENCY; progress is heartbeated and a retried attempt resumes
 * after the last finished batch. Receivers are idempotent, so the batch in
 * flight when a worker died may safely be signalled again.
 */
export function createFanOutActivities({ client, reminderPolicyOf }: FanOutActivityDeps) {
  return {
    async signalUnits(input: SignalUnitsInput): Promise<SignalUnitsResult> {
      const definition = UNIT_SIGNALS[input.signal] as SignalDefinition<[unknown]> | undefined;
      if (definition === undefined) {
        throw ApplicationFailure.nonRetryable(`Unknown unit signal ${String(input.signal)}`, 'UnknownUnitSignal');
      }
      const context = Context.current();
      const progress = resumePoint(context.info.heartbeatDetails);
      if (progress.next > 0) log.info('resuming unit fan-out', { campaignId: input.campaignId, signal: input.signal, from: progress.next });

      for (let start = progress.next; start < input.unitCodes.length; start += FAN_OUT_CONCURRENCY) {
        context.cancellationSignal.throwIfAborted();
        const batch = input.unitCodes.slice(start, start + FAN_OUT_CONCURRENCY);
        const outcomes = await Promise.all(
          batch.map(async (unitCode) => {
            try {
              await client.workflow.getHandle(unitWorkflowId(input.campaignId, unitCode)).signal(definition, input.payload);
              return null;
            } catch (error) {
              if (error instanceof WorkflowNotFoundError) return unitCode;
              throw error;
            }
          }),
        );
        const missing = outcomes.filter((code): code is string => code !== null);
        progress.next = start + batch.length;
        progress.signalled += batch.length - missing.length;
        progress.missing.push(...missing);
        context.heartbeat(progress);
      }

      if (progress.missing.length > 0) {
        log.warn('unit workflows not found; skipped', { campaignId: input.campaignId, signal: input.signal, missing: progress.missing });
      }
      return { signalled: progress.signalled, missing: progress.missing };
    },

    /**
     * Starts a batch of unit workflows on this activity's task queue with the
     * client, START_CONCURRENCY in flight, instead of as children of the campaign
     * (issue 8, P1): the campaign's history then holds one activity per batch, not
     * two events and an input per unit, and the campaign is not the one execution
     * every start must update. Idempotent by business ID: a unit that already
     * exists, open or closed, is not started again.
     */
    async startUnits(input: StartUnitsInput): Promise<StartUnitsResult> {
      const context = Context.current();
      const { campaignId } = input.common;
      const result: StartUnitsResult = { started: 0, existing: 0 };
      // Once per batch, so no unit's first workflow task reads it (issue 8, P1). A change by Sở Nội vụ
      // in between applies from each unit's next re-plan, as a change after the start always has.
      const reminderPolicy = await reminderPolicyOf(campaignId);
      let next = 0;
      const lane = async () => {
        while (next < input.units.length) {
          const unit = input.units[next++]!;
          context.cancellationSignal.throwIfAborted();
          const group = input.groups[unit.group];
          if (group === undefined) throw ApplicationFailure.nonRetryable(`Unit ${unit.code}: no group ${unit.group}`, 'UnknownUnitGroup');
          try {
            await client.workflow.start<typeof unitWorkflowV2>('unitWorkflowV2', {
              taskQueue: context.info.taskQueue,
              workflowId: unitWorkflowId(campaignId, unit.code),
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              // Set at the start, so operators find every unit at once and its first task has nothing to upsert.
              typedSearchAttributes: [
                { key: CampaignIdKey, value: campaignId },
                { key: CampaignYearKey, value: input.common.year },
                { key: UnitCodeKey, value: unit.code },
                { key: UnitGroupKey, value: unit.group },
                { key: StageKey, value: 'self_assessment' },
                { key: UnitStatusKey, value: 'pending' },
              ],
              args: [{ ...input.common, unit, group, reminderPolicy }],
            });
            result.started += 1;
          } catch (error) {
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
            result.existing += 1;
          }
          context.heartbeat(result);
        }
      };
      await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, input.units.length) }, lane));
      if (result.existing > 0) log.info('unit workflows already started; left alone', { campaignId, ...result });
      return result;
    },
  };
}

export type FanOutActivities = ReturnType<typeof createFanOutActivities>;
