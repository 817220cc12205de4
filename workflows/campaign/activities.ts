import { proxyActivities } from '@temporalio/workflow';
import type { CampaignActivities } from '../../activities';

/** The campaign's own activities: recording it, aggregating, and reaching its units in bulk. */
export const { recordCampaign, aggregateResults, signalUnits, projectAll, startUnits } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One activity opens every unit, chunk by chunk, and heartbeats where it is; a
 * retry resumes there. Its time grows with the units, so it is bounded by the
 * heartbeat, not by a short start-to-close.
 */
export const { openUnits } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
