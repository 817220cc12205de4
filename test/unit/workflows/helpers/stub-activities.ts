import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CampaignActivities, SignalUnitsResult, StartUnitsResult } from '../../../../activities';
import type { NotificationActivities } from '../../../../activities/notifications';
import type { CampaignDefinition, CampaignUnit } from '../../../../domain/campaign';
import type { ReadModelChange } from '../../../../domain/effects';
import type { FrameworkGroup } from '../../../../domain/framework';
import type { ReminderDispatch } from '../../../../domain/reminder-plan';
import { resolveReminderPolicy, type ReminderPolicy } from '../../../../domain/reminders';
import { unitOpenedChange } from '../../../../domain/unit-opening';
import { unitWorkflowId } from '../../../../domain/units';
import type { unitWorkflowV2 } from '../../../../workflows';

/** Every activity a worker registers (worker/compose.ts): the campaign's and the reminders'. */
export type Activities = CampaignActivities & NotificationActivities;
type OpenUnitsInput = Parameters<Activities['openUnits']>[0];

export interface ActivityCall {
  name: keyof Activities;
  input: unknown;
}

/**
 * Activities as plain functions that record what the workflows asked of them
 * and answer in the shape the real ones do, with no database: the campaign
 * definition recordCampaign was given stands in for the campaigns table, the
 * recorded changes for the read model and its event log. The ones that talk to
 * other workflows (opening units, the unit fan-out) do so with the test
 * environment's client, as the real ones do with theirs, so a campaign runs with
 * its real unit and survey workflows.
 */
export interface StubActivities {
  activities: Activities;
  /** Every activity call, in the order they started. */
  calls: ActivityCall[];
  /** The read-model changes the workflows projected, each once (the real projection is idempotent by key). */
  changes: ReadModelChange[];
  /** The reminders the unit workflows delivered. */
  reminders: ReminderDispatch[];
  /**
   * The changes one workflow projected, in its own order (their keys are its
   * workflow ID and a sequence number); a unit's opening, which the campaign
   * projects for it, included.
   */
  changesOf(workflowId: string): ReadModelChange[];
  /** Sở Nội vụ changes a campaign's reminder policy: what the policy read answers from then on. */
  setReminderPolicy(campaignId: string, policy: CampaignDefinition['settings']['reminders']): void;
}

const sequenceOf = (change: ReadModelChange) => Number(change.idempotencyKey.slice(change.idempotencyKey.lastIndexOf('#') + 1));

export function createStubActivities({ client, taskQueue }: { client: Client; taskQueue: string }): StubActivities {
  const calls: ActivityCall[] = [];
  const changes: ReadModelChange[] = [];
  const reminders: ReminderDispatch[] = [];
  const definitions = new Map<string, CampaignDefinition>();
  const record = (name: keyof Activities, input: unknown) => calls.push({ name, input });

  const apply = (change: ReadModelChange) => {
    if (!changes.some((known) => known.idempotencyKey === change.idempotencyKey)) changes.push(change);
  };
  const definitionOf = (campaignId: string) => {
    const definition = definitions.get(campaignId);
    if (definition === undefined) throw new Error(`Campaign ${campaignId} is not recorded`);
    return definition;
  };
  const policyOf = (campaignId: string): ReminderPolicy => resolveReminderPolicy(definitionOf(campaignId).settings.reminders);

  async function startUnit(common: OpenUnitsInput['common'], unit: CampaignUnit, group: FrameworkGroup, result: StartUnitsResult) {
    try {
      await client.workflow.start<typeof unitWorkflowV2>('unitWorkflowV2', {
        taskQueue,
        workflowId: unitWorkflowId(common.campaignId, unit.code),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [{ ...common, unit, group, reminderPolicy: policyOf(common.campaignId), restsUntilDue: true }],
      });
      result.started += 1;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      result.existing += 1;
    }
  }

  const activities: Activities = {
    async recordCampaign(input) {
      record('recordCampaign', input);
      definitions.set(input.campaignId, input.definition);
    },
    async project(change) {
      record('project', change);
      apply(change);
    },
    async projectAll(batch) {
      record('projectAll', batch);
      batch.forEach(apply);
    },
    async aggregateResults(input) {
      record('aggregateResults', input);
      const { units } = definitionOf(input.campaignId);
      const groups = [...new Set(units.map((unit) => unit.group))].sort().map((code) => ({ code, ranked: units.filter((unit) => unit.group === code).length }));
      return { pass: input.pass, units: units.length, groups };
    },
    async openUnits(input) {
      record('openUnits', input);
      const { units, framework } = definitionOf(input.common.campaignId);
      const result: StartUnitsResult = { started: 0, existing: 0 };
      for (const unit of units) {
        apply(unitOpenedChange(input.common.campaignId, unit.code, input.common.deadlines, input.openedAt));
        await startUnit(input.common, unit, framework.groups[unit.group]!, result);
      }
      return result;
    },
    async startUnits(input) {
      record('startUnits', input);
      const result: StartUnitsResult = { started: 0, existing: 0 };
      for (const unit of input.units) await startUnit(input.common, unit, input.groups[unit.group]!, result);
      return result;
    },
    async signalUnits(input) {
      record('signalUnits', input);
      const result: SignalUnitsResult = { signalled: 0, missing: [] };
      for (const unitCode of input.unitCodes) {
        try {
          await client.workflow.getHandle(unitWorkflowId(input.campaignId, unitCode)).signal(input.signal, input.payload);
          result.signalled += 1;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          result.missing.push(unitCode);
        }
      }
      return result;
    },
    async loadReminderPolicy(input) {
      record('loadReminderPolicy', input);
      return policyOf(input.campaignId);
    },
    async deliverReminder(dispatch) {
      record('deliverReminder', dispatch);
      if (reminders.some((known) => known.key === dispatch.key)) return { sent: 0, other: 1 };
      reminders.push(dispatch);
      return { sent: 1, other: 0 };
    },
    async cancelUnsentReminders(input) {
      record('cancelUnsentReminders', input);
      return 0;
    },
    async prepareReminder(dispatch) {
      record('prepareReminder', dispatch);
      return { deliveryIds: [], inbox: 0 };
    },
    async sendReminderEmail(input) {
      record('sendReminderEmail', input);
      return 'skipped';
    },
  };

  return {
    activities,
    calls,
    changes,
    reminders,
    setReminderPolicy: (campaignId, policy) => {
      definitionOf(campaignId).settings.reminders = policy;
    },
    changesOf: (workflowId) =>
      changes.filter((change) => change.idempotencyKey.startsWith(`${workflowId}#`)).sort((a, b) => sequenceOf(a) - sequenceOf(b)),
  };
}
