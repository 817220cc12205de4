import { log } from '@temporalio/activity';
import type { CampaignDefinition } from '../domain/campaign';
import type { CampaignStage } from '../domain/stages';
import type { CampaignRepository } from '../db/repositories/campaigns';

export interface CampaignActivityDeps {
  campaigns: Pick<CampaignRepository, 'insertCampaign' | 'changeStage'>;
}

/** Mirrors the campaign workflow's state into the read model; every call is idempotent. */
export function createCampaignActivities({ campaigns }: CampaignActivityDeps) {
  return {
    async recordCampaign(input: { campaignId: string; definition: CampaignDefinition; stage: CampaignStage; at: string }) {
      await campaigns.insertCampaign({ ...input, at: new Date(input.at) });
      log.info('campaign recorded', { campaignId: input.campaignId, units: input.definition.units.length });
    },

    async recordStageChange(input: { campaignId: string; from: CampaignStage | null; to: CampaignStage; actor: string; at: string; idempotencyKey: string }) {
      await campaigns.changeStage({ ...input, at: new Date(input.at) });
    },
  };
}
