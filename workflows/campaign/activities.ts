import { proxyActivities } from '@temporalio/workflow';
import type { CampaignActivities } from '../../activities';

/**
 * Every attempt beats each second while it runs (activities/liveness.ts), so
 * one lost with its worker (SIGKILL, OOM) is given up on and retried 5 s after
 * its last beat, not when a minute without one or the start-to-close ends: the
 * campaign's step waiting on it (a start, a deadline move, the publication)
 * waits seconds. A slow live attempt keeps beating and is not cut short.
 * Options are not what a replay compares (the activity's type and ID are), so
 * running histories replay unchanged (docs/decisions.md).
 */
const HEARTBEAT_TIMEOUT = '5 seconds';

/** The campaign's own activities: recording it, aggregating, and reaching its units in bulk. */
export const { recordCampaign, aggregateResults, signalUnits, projectAll, startUnits } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One activity opens every unit, chunk by chunk, and heartbeats where it is; a
 * retry resumes there. Its time grows with the units, so it is bounded by the
 * heartbeat, not by a short start-to-close.
 */
export const { openUnits } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
