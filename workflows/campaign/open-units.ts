import { ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import { STEP_WORKFLOW_TASK_TIMEOUT } from '../../contracts/task-timeout';
import type { CampaignUnit } from '../../domain/campaign';
import { toVietnamIso } from '../../domain/deadlines';
import { unitOpenedChange } from '../../domain/unit-opening';
import { areaOwners, unitWorkflowId } from '../../domain/units';
import { UNIT_TIMER_KEYS, type UnitTimerKey } from '../../contracts/messages';
import { unitWorkflow } from '../unit';
import { openUnits, projectAll, startUnits } from './activities';
import type { CampaignRun } from './run';

/** Runs that take fan-out-v2 but not fan-out-v3 open units through activities this many at a time. */
const UNITS_PER_ACTIVITY_BATCH = 500;
/** Runs that take neither start unit workflows as children this many at a time, well under the 2,000 pending-children limit. */
const UNITS_PER_CHILD_BATCH = 100;

/**
 * Opens every unit: projects its opening and starts its workflow. Runs that
 * take fan-out-v3 do it in one activity, so the campaign takes no workflow
 * task between two batches.
 *
 * Not async itself (nor startUnitChildren): the caller awaits the very promise
 * of the work, with no async frame between that would resume it a microtask
 * later (workflows/README.md, "Microtask order").
 */
export function openAllUnits(run: CampaignRun): Promise<void> {
  if (patched('fan-out-v3')) return openUnitsInOneActivity(run);
  return openUnitsInBatches(run);
}

/** A deadline move waits until this is done: it would otherwise miss the units being opened. */
async function openUnitsInOneActivity(run: CampaignRun): Promise<void> {
  const { campaignId, definition } = run;
  run.openingUnits = true;
  await openUnits({
    common: { campaignId, year: definition.year, areaOwners: areaOwners(definition.contributors), deadlines: openingDeadlines(run), openedByCampaign: true },
    openedAt: new Date().toISOString(),
  });
  run.state.unitsStarted = definition.units.length;
  run.openingUnits = false;
}

/**
 * Runs that do not take fan-out-v3 open units batch by batch. Those that take
 * fan-out-v2 start each batch with an activity that uses the client, not as
 * children (the campaign's history then holds no unit input, and the campaign
 * is not one execution that every start must update), after another activity
 * has projected the batch's openings in one transaction, so a unit starts with
 * no activity of its own; the others start each unit as a child workflow.
 */
async function openUnitsInBatches(run: CampaignRun): Promise<void> {
  const { campaignId, definition, state } = run;
  const byActivity = patched('fan-out-v2');
  const batchSize = byActivity ? UNITS_PER_ACTIVITY_BATCH : UNITS_PER_CHILD_BATCH;
  while (state.unitsStarted < definition.units.length) {
    run.openingUnits = true;
    const batch = definition.units.slice(state.unitsStarted, state.unitsStarted + batchSize);
    const owners = areaOwners(definition.contributors);
    const deadlines = openingDeadlines(run);
    if (byActivity) {
      const at = new Date().toISOString();
      await projectAll(batch.map((unit) => unitOpenedChange(campaignId, unit.code, deadlines, at)));
      await startUnits({
        common: { campaignId, year: definition.year, areaOwners: owners, deadlines, openedByCampaign: true },
        groups: definition.framework.groups,
        units: batch,
      });
    } else {
      await startUnitChildren(run, batch, owners, deadlines);
    }
    state.unitsStarted += batch.length;
    run.openingUnits = false;
    await run.continueAsNewIfSuggested();
  }
}

function startUnitChildren(run: CampaignRun, batch: CampaignUnit[], owners: Record<string, string[]>, deadlines: Record<UnitTimerKey, string>): Promise<unknown> {
  const { campaignId, definition } = run;
  return Promise.all(
    batch.map((unit) =>
      startChild(unitWorkflow, {
        workflowId: unitWorkflowId(campaignId, unit.code),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowTaskTimeout: STEP_WORKFLOW_TASK_TIMEOUT,
        args: [{ campaignId, year: definition.year, unit, group: definition.framework.groups[unit.group]!, areaOwners: owners, deadlines }],
      }),
    ),
  );
}

/** The deadlines units open with now: in batched runs, a move between two batches reaches the next batch. */
function openingDeadlines(run: CampaignRun): Record<UnitTimerKey, string> {
  return Object.fromEntries(UNIT_TIMER_KEYS.map((key) => [key, toVietnamIso(run.deadlineOf(key))])) as Record<UnitTimerKey, string>;
}
