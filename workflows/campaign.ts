import { condition, startChild, upsertSearchAttributes } from '@temporalio/workflow';
import { aggregateResults, recordCampaign } from './campaign/activities';
import { followCalendar } from './campaign/calendar';
import { registerCampaignHandlers } from './campaign/handlers';
import { openAllUnits } from './campaign/open-units';
import { CampaignRun } from './campaign/run';
import { campaignRecord, campaignSearchAttributes, campaignStarted, surveyStart } from './campaign/start';
import type { CampaignWorkflowInput } from './campaign/state';
import { surveyWorkflow } from './survey';

export type { CampaignWorkflowInput } from './campaign/state';

/**
 * A yearly campaign from guidance to publication (Plan 245/KH-UBND). Workflow
 * ID: par-<year>-<slug>. It starts one unit workflow per assessed unit and the
 * survey track, follows the calendar, aggregates when every unit is appraised
 * and the survey accepted, and takes the council's decision and the publication.
 */
export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<void> {
  const run = new CampaignRun(input);
  const { state } = run;
  registerCampaignHandlers(run);

  if (!input.resume) {
    upsertSearchAttributes(campaignSearchAttributes(run));
    await recordCampaign(campaignRecord(run));
    await run.projector.emit(campaignStarted(run));
    await startChild(surveyWorkflow, surveyStart(run));
    // Only now can every step a caller may try next find its workflow.
    state.recorded = true;
  }

  for (;;) {
    await run.continueAsNewIfSuggested();
    switch (state.stage) {
      case 'guidance':
        await condition(() => state.guidance.publishedAt !== null);
        await openAllUnits(run);
        await run.setStage('self_assessment', 'system');
        break;
      case 'self_assessment':
      case 'appraisal_round_1':
      case 'explanations':
      case 'appraisal_round_2':
        await followCalendar(run);
        break;
      case 'aggregation':
        await aggregateResults({ campaignId: run.campaignId, pass: state.currentPass });
        state.aggregationPass = state.currentPass;
        await run.setStage('council', 'system', 'results_aggregated');
        break;
      case 'council':
      case 'publication':
        // The council's decision and the publication are updates (campaign/council.ts, campaign/publication.ts).
        await condition(() => state.stage !== 'council' && state.stage !== 'publication');
        break;
      case 'published':
        await condition(() => run.quiet());
        return;
    }
  }
}
