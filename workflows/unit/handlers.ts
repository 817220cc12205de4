import { setHandler } from '@temporalio/workflow';
import {
  answerExplanationUpdate,
  appraiseAreaUpdate,
  reopenAppraisalSignal,
  submitSelfAssessmentReturningUpdate,
  submitSelfAssessmentUpdate,
  unitDeadlinesSignal,
  unitProgressQuery,
  unitPublishedSignal,
} from '../../contracts/messages';
import { appraiseArea, validateAreaAppraisal } from './appraisal';
import { applyDeadlineChange } from './deadlines';
import { answerExplanation, validateExplanationAnswer } from './explanations';
import type { UnitRun } from './run';
import { recordSelfAssessment, submitSelfAssessment, validateSelfAssessment } from './self-assessment';

/** Every message the unit workflow takes: its progress, the steps of the unit and its appraisers, and the campaign's signals. */
export function registerUnitHandlers(run: UnitRun): void {
  setHandler(unitProgressQuery, () => run.progress());

  setHandler(submitSelfAssessmentUpdate, (step) => submitSelfAssessment(run, step), {
    validator: (step) => validateSelfAssessment(run, step),
  });
  setHandler(submitSelfAssessmentReturningUpdate, (step) => recordSelfAssessment(run, step), {
    validator: (step) => validateSelfAssessment(run, step),
  });
  setHandler(appraiseAreaUpdate, (step) => appraiseArea(run, step), {
    validator: (step) => validateAreaAppraisal(run, step),
  });
  setHandler(answerExplanationUpdate, (step) => answerExplanation(run, step), {
    validator: (step) => validateExplanationAnswer(run, step),
  });

  setHandler(unitDeadlinesSignal, (change) => applyDeadlineChange(run, change));
  setHandler(reopenAppraisalSignal, (request) => {
    if (request.pass > run.state.pass) run.state.reopening = request;
  });
  setHandler(unitPublishedSignal, ({ decisionNumber }) => {
    run.state.publishedDecision = decisionNumber;
  });
}
