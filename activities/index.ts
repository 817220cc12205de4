import { createCampaignActivities, type CampaignActivityDeps } from './campaign';

export type ActivityDeps = CampaignActivityDeps;

/** Every activity the worker registers, built from its narrow dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createCampaignActivities(deps),
  };
}

export type CampaignActivities = ReturnType<typeof createActivities>;
