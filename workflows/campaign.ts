import { condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CampaignDefinition } from '../domain/campaign';
import { campaignIdOf } from '../domain/campaign';
import { STAGE_LABEL_VI, type CampaignStage } from '../domain/stages';
import type { CampaignActivities } from '../activities';
import { awaitRecordedUpdate, progressQuery, type CampaignProgress } from './messages';
import { CampaignIdKey, CampaignYearKey, StageKey } from './search-attributes';

const { recordCampaign, recordStageChange } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface CampaignWorkflowInput {
  definition: CampaignDefinition;
  /** Who started the campaign, for the event log. */
  startedBy: string;
}

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<void> {
  const { definition } = input;
  const campaignId = campaignIdOf(definition);
  const stage: CampaignStage = 'guidance';
  let recorded = false;

  const progress = (): CampaignProgress => ({
    campaignId,
    year: definition.year,
    stage,
    stageLabelVi: STAGE_LABEL_VI[stage],
    unitCount: definition.units.length,
    recorded,
  });
  setHandler(progressQuery, progress);
  setHandler(awaitRecordedUpdate, async () => {
    await condition(() => recorded);
    return progress();
  });

  upsertSearchAttributes([
    { key: CampaignIdKey, value: campaignId },
    { key: CampaignYearKey, value: definition.year },
    { key: StageKey, value: stage },
  ]);

  await recordCampaign({ campaignId, definition, stage, at: new Date(workflowInfo().startTime).toISOString() });
  await recordStageChange({
    campaignId,
    from: null,
    to: stage,
    actor: input.startedBy,
    at: new Date(workflowInfo().startTime).toISOString(),
    idempotencyKey: `${campaignId}/stage/0/${stage}`,
  });
  recorded = true;

  // The stages after guidance arrive with the campaign-workflow issue; until then
  // the campaign stays open in its first stage.
  await condition(() => false);
}
