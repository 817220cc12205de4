import { ApplicationFailure, heartbeat, log } from '@temporalio/activity';
import { computeResultRows } from '../domain/scoring';
import type { ReadModelRepository } from '../db/repositories/read-model';
import { beatingWhile } from './liveness';

export interface AggregationActivityDeps {
  readModel: Pick<ReadModelRepository, 'loadAggregationInput' | 'replaceResults'>;
}

export interface AggregationSummary {
  pass: number;
  units: number;
  groups: { code: string; ranked: number }[];
}

/** Failure type of an aggregation whose input the engine refuses; a retry cannot fix it. */
export const AGGREGATION_INPUT_INVALID = 'AggregationInputInvalid';

/**
 * Scores → index → ranking with domain/scoring (computeResultRows), written to the results table for
 * one pass. Idempotent: a re-run of the same pass replaces that pass's rows in
 * one transaction (a published pass is never rewritten). Every amount is
 * integer hundredths straight from the engine.
 */
export function createAggregationActivities({ readModel }: AggregationActivityDeps) {
  return {
    async aggregateResults(input: { campaignId: string; pass: number }): Promise<AggregationSummary> {
      const { campaignId, pass } = input;
      return beatingWhile(async () => {
        const data = await readModel.loadAggregationInput(campaignId);
        if (data === null) {
          throw ApplicationFailure.nonRetryable(`Campaign ${campaignId} is not in the read model`, AGGREGATION_INPUT_INVALID);
        }
        // Beats around the computation too: it holds the event loop, and with it the timer's beats.
        heartbeat('loaded');
        const rows = computeResultRows(data, campaignId, pass, new Date());
        heartbeat('computed');
        if (!rows.ok) {
          throw ApplicationFailure.nonRetryable(
            `Aggregation of ${campaignId} pass ${pass} refused: ${rows.errors.length} problem(s), first: ${rows.errors[0]?.message_en ?? ''}`,
            AGGREGATION_INPUT_INVALID,
            rows.errors,
          );
        }
        // A mark changed since the load (SheetsChangedDuringPass) is a plain error: the retry scores the new sheets.
        const { replaced } = await readModel.replaceResults(campaignId, pass, rows.value);
        if (!replaced) log.warn('results of this pass are published and were left as they are', { campaignId, pass });

        const ranked = new Map<string, number>();
        for (const row of rows.value) ranked.set(row.groupCode, (ranked.get(row.groupCode) ?? 0) + 1);
        const summary: AggregationSummary = {
          pass,
          units: rows.value.length,
          groups: [...ranked.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, count]) => ({ code, ranked: count })),
        };
        log.info('results aggregated', { campaignId, ...summary });
        return summary;
      });
    },
  };
}

export type AggregationActivities = ReturnType<typeof createAggregationActivities>;
