import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { CampaignDefinition, CampaignUnit } from '../domain/campaign';
import type { FrameworkGroup } from '../domain/framework';
import type { ReminderPolicy } from '../domain/reminders';
import { unitOpenedChange } from '../domain/unit-opening';
import { beatingWhile } from './liveness';
import { unitWorkflowId } from '../domain/units';
import type { CampaignRepository } from '../db/repositories/campaigns';
import type { ReadModelRepository } from '../db/repositories/read-model';
import {
  CampaignIdKey,
  CampaignYearKey,
  StageKey,
  UnitCodeKey,
  UnitGroupKey,
  UnitStatusKey,
} from '../contracts/search-attributes';
import type { unitWorkflowV2, UnitWorkflowInput } from '../workflows/unit';
import { reopenAppraisalSignal, unitDeadlinesSignal, unitPublishedSignal } from '../contracts/messages';
import { STEP_WORKFLOW_TASK_TIMEOUT } from '../contracts/task-timeout';

export interface FanOutActivityDeps {
  client: Pick<Client, 'workflow'>;
  /** Where openUnits reads the units and their groups: the campaign as recordCampaign stored it. */
  campaigns: Pick<CampaignRepository, 'findCampaign'>;
  /** Where openUnits projects each chunk's openings. */
  readModel: Pick<ReadModelRepository, 'applyChanges'>;
  /** The campaign's reminder policy in force, given to each unit it starts (loadReminderPolicy's answer). */
  reminderPolicyOf(campaignId: string): Promise<ReminderPolicy>;
}

/** The campaign → unit signals, by the names contracts/messages.ts gives them. */
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

/** Workflow starts in flight at once: what the raw floor of P1 uses too (BENCHMARKS.md), so the two compare like for like. */
export const START_CONCURRENCY = 100;

export interface StartUnitsInput {
  /** The unit workflow input shared by the whole batch, as openUnits takes it. */
  common: OpenUnitsInput['common'];
  /** Group code → criteria tree, once per batch instead of once per unit. */
  groups: Record<string, FrameworkGroup>;
  units: CampaignUnit[];
}

export interface StartUnitsResult {
  started: number;
  /** Units whose workflow already existed (a retried attempt), left alone. */
  existing: number;
}

/** Units opened and started per chunk by openUnits: the batch size of the runs before it. */
export const OPENING_CHUNK = 500;

export interface OpenUnitsInput {
  /** The unit workflow input every unit shares: everything but the unit, its group's criteria and the policy. */
  common: Omit<UnitWorkflowInput, 'unit' | 'group' | 'resume' | 'reminderPolicy' | 'restsUntilDue'>;
  /** The campaign workflow's time of the opening, the `at` of every `unit_opened` change. */
  openedAt: string;
}

/** What each unit's start shares with the others of its batch. */
interface SharedUnitInput {
  common: OpenUnitsInput['common'];
  groups: Record<string, FrameworkGroup>;
  reminderPolicy: ReminderPolicy;
}

/** openUnits' heartbeat details: the first chunk a retried attempt opens, and the counts so far. */
interface OpeningProgress extends StartUnitsResult {
  next: number;
}

function openingProgress(details: unknown): OpeningProgress {
  const progress = details as Partial<OpeningProgress> | undefined;
  if (typeof progress?.next !== 'number') return { next: 0, started: 0, existing: 0 };
  return { next: progress.next, started: progress.started ?? 0, existing: progress.existing ?? 0 };
}

/** signalUnits' heartbeat details: where a retried attempt resumes. */
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
export function createFanOutActivities({ client, reminderPolicyOf, campaigns, readModel }: FanOutActivityDeps) {
  /**
   * Starts unit workflows on this activity's task queue with the client,
   * START_CONCURRENCY in flight, instead of as children of the campaign: the
   * campaign's history then holds no unit input, and the campaign is not the one
   * execution every start must update. The reminder policy is read once per
   * batch, so no unit's first workflow task reads it (BENCHMARKS.md, P1); a change by
   * Sở Nội vụ in between applies from each unit's next re-plan, as a change
   * after the start always has.
   */
  async function startBatch(units: CampaignUnit[], shared: SharedUnitInput, result: StartUnitsResult, progress: () => unknown): Promise<void> {
    const context = Context.current();
    const { campaignId } = shared.common;
    let next = 0;
    const lane = async () => {
      while (next < units.length) {
        const unit = units[next++]!;
        context.cancellationSignal.throwIfAborted();
        const group = shared.groups[unit.group];
        if (group === undefined) throw ApplicationFailure.nonRetryable(`Unit ${unit.code}: no group ${unit.group}`, 'UnknownUnitGroup');
        try {
          await client.workflow.start<typeof unitWorkflowV2>('unitWorkflowV2', {
            taskQueue: context.info.taskQueue,
            workflowId: unitWorkflowId(campaignId, unit.code),
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            workflowTaskTimeout: STEP_WORKFLOW_TASK_TIMEOUT,
            // Set at the start, so operators find every unit at once and its first task has nothing to upsert.
            typedSearchAttributes: [
              { key: CampaignIdKey, value: campaignId },
              { key: CampaignYearKey, value: shared.common.year },
              { key: UnitCodeKey, value: unit.code },
              { key: UnitGroupKey, value: unit.group },
              { key: StageKey, value: 'self_assessment' },
              { key: UnitStatusKey, value: 'pending' },
            ],
            args: [{ ...shared.common, unit, group, reminderPolicy: shared.reminderPolicy, restsUntilDue: true }],
          });
          result.started += 1;
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          result.existing += 1;
        }
        context.heartbeat(progress());
      }
    };
    await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, units.length) }, lane));
  }

  return {
    async signalUnits(input: SignalUnitsInput): Promise<SignalUnitsResult> {
      const definition = UNIT_SIGNALS[input.signal] as SignalDefinition<[unknown]> | undefined;
      if (definition === undefined) {
        throw ApplicationFailure.nonRetryable(`Unknown unit signal ${String(input.signal)}`, 'UnknownUnitSignal');
      }
      const context = Context.current();
      const progress = resumePoint(context.info.heartbeatDetails);
      if (progress.next > 0) log.info('resuming unit fan-out', { campaignId: input.campaignId, signal: input.signal, from: progress.next });

      // Beats between batches too (a slow batch on a busy server), each with the progress so far.
      await beatingWhile(async () => {
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
      }, () => progress);

      if (progress.missing.length > 0) {
        log.warn('unit workflows not found; skipped', { campaignId: input.campaignId, signal: input.signal, missing: progress.missing });
      }
      return { signalled: progress.signalled, missing: progress.missing };
    },

    /**
     * Opens every unit of a campaign (fan-out-v3; BENCHMARKS.md, P1): chunk by chunk,
     * projects the chunk's `unit_opened` changes, then starts its unit workflows
     * START_CONCURRENCY at a time. One activity for the whole campaign, so no
     * campaign workflow task and no activity dispatch stand between two chunks
     * (0.2–0.5 s each at N = 5000, nine times over), and the next chunk's
     * openings are projected while this chunk starts. The units and their
     * groups come from the campaign as recordCampaign stored it, so the input
     * stays small whatever N is. A retried attempt resumes at the chunk it
     * heartbeated; both steps are idempotent (changes by key, starts by ID).
     */
    async openUnits(input: OpenUnitsInput): Promise<StartUnitsResult> {
      const context = Context.current();
      const resumed = openingProgress(context.info.heartbeatDetails);
      // What the last heartbeat said, which the beats in between repeat.
      let beat: OpeningProgress = resumed;
      return beatingWhile(async () => {
        const { campaignId } = input.common;
        const campaign = await campaigns.findCampaign(campaignId);
        if (campaign === null) throw ApplicationFailure.nonRetryable(`Campaign ${campaignId} is not recorded`, 'UnknownCampaign');
        const { units, framework } = campaign.definition as CampaignDefinition;
        const reminderPolicy = await reminderPolicyOf(campaignId);
        const result: StartUnitsResult = { started: resumed.started, existing: resumed.existing };
        if (resumed.next > 0) log.info('resuming the opening of units', { campaignId, from: resumed.next });
        const project = async (start: number) => {
          if (start >= units.length) return;
          const chunk = units.slice(start, start + OPENING_CHUNK);
          await readModel.applyChanges(chunk.map((unit) => unitOpenedChange(campaignId, unit.code, input.common.deadlines, input.openedAt)));
        };
        let projected = project(resumed.next);
        for (let start = resumed.next; start < units.length; start += OPENING_CHUNK) {
          await projected;
          projected = project(start + OPENING_CHUNK);
          // Awaited at the next chunk; until then a failure must not surface as an unhandled rejection.
          projected.catch(() => undefined);
          // Until the chunk is done, a retry opens it again from its start, with the counts from before it:
          // its units already started then count as existing, once.
          const beforeChunk: OpeningProgress = { next: start, ...result };
          beat = beforeChunk;
          await startBatch(units.slice(start, start + OPENING_CHUNK), { common: input.common, groups: framework.groups, reminderPolicy }, result, () => beforeChunk);
          beat = { next: start + OPENING_CHUNK, ...result };
          context.heartbeat(beat);
        }
        if (result.existing > 0) log.info('unit workflows already started; left alone', { campaignId, ...result });
        return result;
      }, () => beat);
    },

    /**
     * One batch of unit workflows, for campaign runs started before fan-out-v3,
     * whose workflow projects each batch's openings with an activity of its own
     * first. Idempotent by business ID: a unit that already exists, open or
     * closed, is not started again.
     */
    async startUnits(input: StartUnitsInput): Promise<StartUnitsResult> {
      const { campaignId } = input.common;
      const result: StartUnitsResult = { started: 0, existing: 0 };
      await beatingWhile(async () => {
        const reminderPolicy = await reminderPolicyOf(campaignId);
        await startBatch(input.units, { common: input.common, groups: input.groups, reminderPolicy }, result, () => result);
      }, () => result);
      if (result.existing > 0) log.info('unit workflows already started; left alone', { campaignId, ...result });
      return result;
    },
  };
}

export type FanOutActivities = ReturnType<typeof createFanOutActivities>;
