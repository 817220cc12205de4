import { log } from '@temporalio/activity';
import type { CampaignDefinition } from '../domain/campaign';
import type { CampaignStage } from '../domain/stages';
import type { CampaignRepository } from '../db/repositories/campaigns';
import { beatingWhile } from './liveness';

export interface CampaignActivityDeps {
  campaigns: Pick<CampaignRepository, 'insertCampaign'>;
}

/** Records a new campaign and its units in the read model; a retry inserts nothing twice. */
export function createCampaignActivities({ campaigns }: CampaignActivityDeps) {
  return {
    async recordCampaign(input: { campaignId: string; definition: CampaignDefinition; stage: CampaignStage; at: string }) {
      await beatingWhile(() => campaigns.insertCampaign({ ...input, at: new Date(input.at) }));
      log.info('campaign recorded', { campaignId: input.campaignId, units: input.definition.units.length });
    },
  };
}
