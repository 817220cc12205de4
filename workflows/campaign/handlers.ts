import { condition, setHandler } from '@temporalio/workflow';
import {
  awaitRecordedUpdate,
  councilDecisionUpdate,
  moveDeadlineUpdate,
  progressQuery,
  publishGuidanceUpdate,
  publishResultsUpdate,
  recordKickoffUpdate,
  submitGuidanceUpdate,
  surveyAcceptedSignal,
  unitAppraisedSignal,
} from '../../contracts/messages';
import { decideCouncil, validateCouncilDecision } from './council';
import { moveDeadline, validateDeadlineMove } from './deadlines';
import { publishGuidance, recordKickoff, submitGuidance, validateGuidancePublication, validateGuidanceSubmission, validateKickoff } from './guidance';
import { publishResults, validatePublication } from './publication';
import type { CampaignRun } from './run';

/** Every message the campaign workflow takes: its progress, the human steps, and what its units and survey report. */
export function registerCampaignHandlers(run: CampaignRun): void {
  const { state } = run;
  setHandler(progressQuery, () => run.progress());
  setHandler(awaitRecordedUpdate, async () => {
    await condition(() => state.recorded);
    return run.progress();
  });

  setHandler(unitAppraisedSignal, ({ unitCode, pass }) => {
    state.appraisedPass[unitCode] = Math.max(state.appraisedPass[unitCode] ?? 0, pass);
  });
  setHandler(surveyAcceptedSignal, () => {
    state.surveyAccepted = true;
  });

  setHandler(submitGuidanceUpdate, (step) => submitGuidance(run, step), { validator: (step) => validateGuidanceSubmission(run, step) });
  setHandler(publishGuidanceUpdate, (step) => publishGuidance(run, step), { validator: (step) => validateGuidancePublication(run, step) });
  setHandler(recordKickoffUpdate, (step) => recordKickoff(run, step), { validator: (step) => validateKickoff(run, step) });
  setHandler(moveDeadlineUpdate, (step) => moveDeadline(run, step), { validator: (step) => validateDeadlineMove(run, step) });
  setHandler(councilDecisionUpdate, (step) => decideCouncil(run, step), { validator: (step) => validateCouncilDecision(run, step) });
  setHandler(publishResultsUpdate, (step) => publishResults(run, step), { validator: (step) => validatePublication(run, step) });
}
