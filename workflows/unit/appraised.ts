import { condition } from '@temporalio/workflow';
import type { UnitRun } from './run';

/** Appraised: the unit waits for publication, or for a council return that reopens round 2 for some areas. */
export async function appraisedStage(run: UnitRun): Promise<void> {
  const { state } = run;
  await condition(() => state.reopening !== null || state.publishedDecision !== null);
  if (state.publishedDecision !== null) {
    await run.moveTo('published', 'done', 'results_published');
    return;
  }
  const request = state.reopening!;
  state.reopening = null;
  state.pass = request.pass;
  state.round2Areas = request.areas;
  state.appraised.round2 = [];
  run.addFlag('returned_by_council');
  await run.moveTo('appraisal_round_2', 'pending', 'returned_by_council', 'council', request.reason);
}
