import { createAggregationActivities, type AggregationActivityDeps } from './aggregation';
import { createCampaignActivities, type CampaignActivityDeps } from './campaign';
import { createFanOutActivities, type FanOutActivityDeps } from './fan-out';
import { createProjectionActivities, type ProjectionActivityDeps } from './projection';

export type ActivityDeps = CampaignActivityDeps & ProjectionActivityDeps & AggregationActivityDeps & FanOutActivityDeps;

/** Every activity the worker registers, built from its narrow dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createCampaignActivities(deps),
    ...createProjectionActivities(deps),
    ...createAggregationActivities(deps),
    ...createFanOutActivities(deps),
  };
}

export type CampaignActivities = ReturnType<typeof createActivities>;
export type { AggregationSummary } from './aggregation';
export type { SignalUnitsInput, SignalUnitsResult, StartUnitsInput, StartUnitsResult, UnitSignalName } from './fan-out';
