import { allHandlersFinished, condition, getExternalWorkflowHandle, upsertSearchAttributes } from '@temporalio/workflow';
import { surveyAcceptedSignal } from '../contracts/messages';
import { CampaignIdKey, CampaignYearKey, StageKey } from '../contracts/search-attributes';
import { registerSurveyHandlers } from './survey/handlers';
import { SurveyRun, type SurveyWorkflowInput } from './survey/run';

export type { SurveyWorkflowInput } from './survey/run';

/**
 * The sociological survey track (Plan 251/KH-UBND for Hanoi 2019): the
 * institute's plan is submitted and approved, fieldwork opens and closes, and
 * the results (points per unit) are checked and accepted. It runs beside
 * self-assessment and appraisal; the campaign's aggregation waits for it.
 * Workflow ID: par-2019-hn/survey.
 */
export async function surveyWorkflow(input: SurveyWorkflowInput): Promise<void> {
  const run = new SurveyRun(input);
  registerSurveyHandlers(run);
  upsertSearchAttributes([
    { key: CampaignIdKey, value: input.campaignId },
    { key: CampaignYearKey, value: input.year },
    { key: StageKey, value: 'survey_awaiting_plan' },
  ]);
  await condition(() => run.progress.status === 'accepted');
  await condition(allHandlersFinished);
  await getExternalWorkflowHandle(input.campaignId).signal(surveyAcceptedSignal, { unitsCovered: run.progress.unitsCovered });
}
