import { allHandlersFinished, condition, makeContinueAsNewFunc, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { STEP_WORKFLOW_TASK_TIMEOUT } from '../contracts/task-timeout';
import { CampaignIdKey, CampaignYearKey, UnitCodeKey, UnitGroupKey } from '../contracts/search-attributes';
import { appraisalRound1Stage, appraisalRound2Stage } from './unit/appraisal';
import { appraisedStage } from './unit/appraised';
import { explanationsStage } from './unit/explanations';
import { registerUnitHandlers } from './unit/handlers';
import { startReminders } from './unit/reminder-track';
import { restUntilFirstDue } from './unit/rest';
import { UnitRun } from './unit/run';
import { selfAssessmentStage } from './unit/self-assessment';
import type { TakesChange, UnitWorkflowInput } from './unit/state';

export type { UnitWorkflowInput } from './unit/state';

/**
 * One assessed unit through self-assessment, appraisal round 1, explanations,
 * appraisal round 2, council returns and publication. Workflow ID:
 * par-2019-hn/unit-STP. The unit keeps its own timers, so an extension for one
 * unit re-arms only that unit's deadline.
 *
 * The type units were first started as: its runs (and their continuations)
 * take each change through patched(), so their histories replay as recorded.
 */
export async function unitWorkflow(input: UnitWorkflowInput): Promise<void> {
  return runUnit(input, patched);
}

/**
 * The same unit workflow with every change taken, and no patch marker: the
 * type the campaign starts units as (activities/fan-out.ts). Each patched() of
 * a new run records a marker and upserts the TemporalChangeVersion search
 * attribute, four history events and two visibility writes when a unit starts
 * and two events and one write per submission, 4 ms of the Temporal server's
 * CPU each on the dev server (BENCHMARKS.md, `npm run bench:patches`).
 * Versioned by type, not by patch: a later change to this type goes through
 * patched() again. The name is the workflow type registered with Temporal,
 * which every open run of it is, so it keeps its suffix.
 */
export async function unitWorkflowV2(input: UnitWorkflowInput): Promise<void> {
  return runUnit(input, () => true);
}

async function runUnit(input: UnitWorkflowInput, takes: TakesChange): Promise<void> {
  const run = new UnitRun(input, takes);
  registerUnitHandlers(run);
  if (!input.resume && !input.openedByCampaign) await openUnit(run);
  const rest = await restUntilFirstDue(run);
  const reminders = startReminders(run, rest === 'moved' ? undefined : input.reminderPolicy);
  // An e-mail being sent belongs to this run: continuing as new or ending now would drop it.
  const quiet = () => allHandlersFinished() && (reminders?.idle() ?? true);

  for (;;) {
    if (workflowInfo().continueAsNewSuggested) {
      // Changes returned to a caller are projected by this run too before it goes: a caller that died with them
      // cannot ask the next run for them (an update's outcome belongs to its run). Runs that returned none wait
      // exactly as before, with no frame added (workflows/README.md, "Microtask order").
      if (run.returned.length > 0) await run.reprojectReturned();
      await condition(quiet);
      if (run.returned.length > 0) continue;
      // The task timeout named again: a run started before it was set continues with it too.
      await makeContinueAsNewFunc<typeof unitWorkflow>({ workflowTaskTimeout: STEP_WORKFLOW_TASK_TIMEOUT })(run.continuation());
    }
    switch (run.state.stage) {
      case 'self_assessment':
        await selfAssessmentStage(run);
        break;
      case 'appraisal_round_1':
        await appraisalRound1Stage(run);
        break;
      case 'explanations':
        await explanationsStage(run);
        break;
      case 'appraisal_round_2':
        await appraisalRound2Stage(run);
        break;
      case 'appraised':
        await appraisedStage(run);
        break;
      case 'published':
        await condition(quiet);
        return;
    }
  }
}

/**
 * A unit the campaign started as a child workflow sets its own search
 * attributes and projects its own opening. Not async: the body awaits the
 * projection's own promise (workflows/README.md, "Microtask order").
 */
function openUnit(run: UnitRun): Promise<void> {
  upsertSearchAttributes([
    { key: CampaignIdKey, value: run.campaignId },
    { key: CampaignYearKey, value: run.input.year },
    { key: UnitCodeKey, value: run.unit.code },
    { key: UnitGroupKey, value: run.unit.group },
  ]);
  return run.moveTo('self_assessment', 'pending', 'unit_opened');
}
