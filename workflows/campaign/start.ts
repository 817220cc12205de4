import { ParentClosePolicy, workflowInfo, type ChildWorkflowOptions } from '@temporalio/workflow';
import { STEP_WORKFLOW_TASK_TIMEOUT } from '../../contracts/task-timeout';
import { toCenti } from '../../domain/scoring/points';
import { surveyWorkflowId } from '../../domain/units';
import type { ChangeDraft } from '../projector';
import { CampaignIdKey, CampaignYearKey, StageKey } from '../../contracts/search-attributes';
import type { SurveyWorkflowInput } from '../survey';
import type { CampaignRun } from './run';

/*
 * What a new campaign (not a continuation) sends as it starts. Builders only:
 * the workflow body makes each call itself, in order (workflows/README.md,
 * "Microtask order").
 */

/** The campaign's start time, the instant its record and its first event carry. */
function startedAt(): string {
  return new Date(workflowInfo().startTime).toISOString();
}

/** Operators find the campaign by these (search-attributes.ts). */
export function campaignSearchAttributes(run: CampaignRun) {
  return [
    { key: CampaignIdKey, value: run.campaignId },
    { key: CampaignYearKey, value: run.definition.year },
    { key: StageKey, value: run.state.stage },
  ];
}

/** recordCampaign's input: the campaign as the read model stores it. */
export function campaignRecord(run: CampaignRun) {
  return { campaignId: run.campaignId, definition: run.definition, stage: run.state.stage, at: startedAt() };
}

/** The first event of the campaign's log. */
export function campaignStarted(run: CampaignRun): ChangeDraft {
  return { campaignId: run.campaignId, actor: run.input.startedBy, action: 'campaign_started', after: { stage: run.state.stage }, at: startedAt(), effects: [] };
}

/** The survey track, started beside the campaign and left running on its own if the campaign closes first. */
export function surveyStart(run: CampaignRun): Omit<ChildWorkflowOptions, 'typeInfo'> & { args: [SurveyWorkflowInput] } {
  const { campaignId, definition } = run;
  return {
    workflowId: surveyWorkflowId(campaignId),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    workflowTaskTimeout: STEP_WORKFLOW_TASK_TIMEOUT,
    args: [
      {
        campaignId,
        year: definition.year,
        units: definition.units.map((unit) => ({ code: unit.code, group: unit.group })),
        maxPointsCentiByGroup: Object.fromEntries(
          Object.entries(definition.framework.groups).map(([code, group]) => [code, toCenti(group.survey.max_points)]),
        ),
      },
    ],
  };
}
