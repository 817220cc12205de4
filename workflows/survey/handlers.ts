import { setHandler } from '@temporalio/workflow';
import type { Actor } from '../../domain/actors';
import { SURVEY_STATUS_LABEL_EN, SURVEY_STATUS_LABEL_VI } from '../../domain/survey-status';
import {
  closeFieldworkUpdate,
  openFieldworkUpdate,
  reviewSurveyPlanUpdate,
  submitSurveyPlanUpdate,
  submitSurveyResultsUpdate,
  surveyProgressQuery,
  type SurveyStatus,
} from '../../contracts/messages';
import { refuseHostileText, reject } from '../reject';
import { checkSurveyPoints } from './points';
import type { SurveyRun } from './run';

function requireRole(actor: Actor, roles: Actor['role'][]): void {
  if (!roles.includes(actor.role)) {
    reject('forbidden', 'Bạn không có quyền thực hiện bước này của điều tra xã hội học', 'You may not take this step of the survey');
  }
}

function requireStatus(run: SurveyRun, expected: SurveyStatus[], what: string): void {
  const { status } = run.progress;
  if (!expected.includes(status)) {
    reject(
      'wrong_stage',
      `Không thể ${what} khi điều tra đang ở trạng thái: ${SURVEY_STATUS_LABEL_VI[status]}`,
      `Cannot do this while the survey is at: ${SURVEY_STATUS_LABEL_EN[status]}`,
    );
  }
}

/**
 * The survey's steps, each an update whose validator names who may take it and
 * in which status: the institute submits its plan, Sở Nội vụ approves or
 * returns it, fieldwork opens and closes, and the institute submits the results.
 */
export function registerSurveyHandlers(run: SurveyRun): void {
  const { progress } = run;
  setHandler(surveyProgressQuery, () => run.snapshot());

  setHandler(
    submitSurveyPlanUpdate,
    async (step) => {
      progress.plan = { document: step.document, summary: step.summary, submittedAt: new Date().toISOString() };
      await run.moveTo('plan_submitted', step.actor, 'survey_plan_submitted');
      return run.snapshot();
    },
    {
      validator: (step) => {
        refuseHostileText(step);
        requireRole(step.actor, ['institute', 'admin']);
        requireStatus(run, ['awaiting_plan'], 'nộp kế hoạch điều tra');
      },
    },
  );

  setHandler(
    reviewSurveyPlanUpdate,
    async (step) => {
      progress.planReviews.push({ ...step, reviewedAt: new Date().toISOString() });
      if (step.approve) await run.moveTo('plan_approved', step.actor, 'survey_plan_approved', step.reason || undefined);
      else await run.moveTo('awaiting_plan', step.actor, 'survey_plan_returned', step.reason);
      return run.snapshot();
    },
    {
      validator: (step) => {
        refuseHostileText(step);
        requireRole(step.actor, ['admin']);
        requireStatus(run, ['plan_submitted'], 'duyệt kế hoạch điều tra');
        if (!step.approve && !step.reason) reject('invalid', 'Trả lại kế hoạch phải nêu lý do', 'Returning the plan needs a reason');
      },
    },
  );

  registerFieldworkStep(run, openFieldworkUpdate, { from: 'plan_approved', to: 'fieldwork_open', action: 'survey_fieldwork_opened', what: 'bắt đầu khảo sát', stamp: 'fieldworkOpenedAt' });
  registerFieldworkStep(run, closeFieldworkUpdate, { from: 'fieldwork_open', to: 'fieldwork_closed', action: 'survey_fieldwork_closed', what: 'kết thúc khảo sát', stamp: 'fieldworkClosedAt' });

  setHandler(
    submitSurveyResultsUpdate,
    async (step) => {
      progress.acceptedAt = new Date().toISOString();
      progress.unitsCovered = step.points.length;
      await run.moveTo('accepted', step.actor, 'survey_results_accepted', undefined, [{ kind: 'survey_points', points: step.points }]);
      return run.snapshot();
    },
    {
      validator: (step) => {
        refuseHostileText(step);
        requireRole(step.actor, ['institute']);
        requireStatus(run, ['fieldwork_closed'], 'nộp kết quả điều tra');
        const issues = checkSurveyPoints(run.input, step.points);
        if (issues.length) reject('invalid', 'Kết quả điều tra chưa hợp lệ', 'The survey results are not valid', issues);
      },
    },
  );
}

/** Opening or closing fieldwork: the institute (or Sở Nội vụ) moves the survey on one status and stamps when. */
function registerFieldworkStep(
  run: SurveyRun,
  update: typeof openFieldworkUpdate,
  step: { from: SurveyStatus; to: SurveyStatus; action: string; what: string; stamp: 'fieldworkOpenedAt' | 'fieldworkClosedAt' },
): void {
  setHandler(
    update,
    async ({ actor }) => {
      run.progress[step.stamp] = new Date().toISOString();
      await run.moveTo(step.to, actor, step.action);
      return run.snapshot();
    },
    {
      validator: (request) => {
        refuseHostileText(request);
        requireRole(request.actor, ['institute', 'admin']);
        requireStatus(run, [step.from], step.what);
      },
    },
  );
}
