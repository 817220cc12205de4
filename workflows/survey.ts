import { condition, getExternalWorkflowHandle, setHandler, upsertSearchAttributes, workflowInfo, allHandlersFinished } from '@temporalio/workflow';
import { actorLabel } from '../domain/actor-label';
import type { Actor } from '../domain/actors';
import { formatCentiVi } from '../domain/scoring/points';
import type { ValidationIssue } from '../domain/issues';
import { SURVEY_STATUS_LABEL_EN, SURVEY_STATUS_LABEL_VI } from '../domain/survey-status';
import {
  closeFieldworkUpdate,
  openFieldworkUpdate,
  reviewSurveyPlanUpdate,
  submitSurveyPlanUpdate,
  submitSurveyResultsUpdate,
  surveyAcceptedSignal,
  surveyProgressQuery,
  type SurveyProgress,
  type SurveyStatus,
  type Step,
} from './messages';
import { copyOf } from './copy';
import { createProjector } from './projector';
import { refuseHostileText, reject } from './reject';
import type { SurveyPlan, SurveyPlanReview, SurveyResults } from '../domain/steps';
import { CampaignIdKey, CampaignYearKey, StageKey } from './search-attributes';

export interface SurveyWorkflowInput {
  campaignId: string;
  year: number;
  units: { code: string; group: string }[];
  /** Group code → the survey's maximum points, in hundredths. */
  maxPointsCentiByGroup: Record<string, number>;
}

/**
 * The sociological survey track (Plan 251/KH-UBND for Hanoi 2019): the
 * institute's plan is submitted and approved, fieldwork opens and closes, and
 * the results (points per unit) are checked and accepted. It runs beside
 * self-assessment and appraisal; the campaign's aggregation waits for it.
 * Workflow ID: par-2019-hn/survey.
 */
export async function surveyWorkflow(input: SurveyWorkflowInput): Promise<void> {
  const { campaignId } = input;
  const projector = createProjector(workflowInfo().workflowId, 0);
  const progress: SurveyProgress = {
    campaignId,
    status: 'awaiting_plan',
    plan: null,
    planReviews: [],
    fieldworkOpenedAt: null,
    fieldworkClosedAt: null,
    acceptedAt: null,
    unitsCovered: 0,
  };
  const snapshot = (): SurveyProgress => copyOf(progress);

  async function moveTo(status: SurveyStatus, actor: Actor, action: string, reason?: string, extra: unknown[] = []) {
    const before = progress.status;
    progress.status = status;
    upsertSearchAttributes([{ key: StageKey, value: `survey_${status}` }]);
    await projector.emit({
      campaignId,
      actor: actorLabel(actor),
      action,
      before: { status: before },
      after: { status },
      reason,
      effects: [{ kind: 'survey_status', status }, ...(extra as never[])],
    });
  }

  function requireRole(actor: Actor, roles: Actor['role'][]) {
    if (!roles.includes(actor.role)) {
      reject('forbidden', 'Bạn không có quyền thực hiện bước này của điều tra xã hội học', 'You may not take this step of the survey');
    }
  }

  function requireStatus(expected: SurveyStatus[], what: string) {
    if (!expected.includes(progress.status)) {
      reject(
        'wrong_stage',
        `Không thể ${what} khi điều tra đang ở trạng thái: ${SURVEY_STATUS_LABEL_VI[progress.status]}`,
        `Cannot do this while the survey is at: ${SURVEY_STATUS_LABEL_EN[progress.status]}`,
      );
    }
  }

  setHandler(surveyProgressQuery, snapshot);

  setHandler(
    submitSurveyPlanUpdate,
    async (step) => {
      progress.plan = { document: step.document, summary: step.summary, submittedAt: new Date().toISOString() };
      await moveTo('plan_submitted', step.actor, 'survey_plan_submitted');
      return snapshot();
    },
    {
      validator: (step: Step<SurveyPlan>) => {
        refuseHostileText(step);
        requireRole(step.actor, ['institute', 'admin']);
        requireStatus(['awaiting_plan'], 'nộp kế hoạch điều tra');
      },
    },
  );

  setHandler(
    reviewSurveyPlanUpdate,
    async (step) => {
      progress.planReviews.push({ ...step, reviewedAt: new Date().toISOString() });
      if (step.approve) await moveTo('plan_approved', step.actor, 'survey_plan_approved', step.reason || undefined);
      else await moveTo('awaiting_plan', step.actor, 'survey_plan_returned', step.reason);
      return snapshot();
    },
    {
      validator: (step: Step<SurveyPlanReview>) => {
        refuseHostileText(step);
        requireRole(step.actor, ['admin']);
        requireStatus(['plan_submitted'], 'duyệt kế hoạch điều tra');
        if (!step.approve && !step.reason) reject('invalid', 'Trả lại kế hoạch phải nêu lý do', 'Returning the plan needs a reason');
      },
    },
  );

  setHandler(
    openFieldworkUpdate,
    async (step) => {
      progress.fieldworkOpenedAt = new Date().toISOString();
      await moveTo('fieldwork_open', step.actor, 'survey_fieldwork_opened');
      return snapshot();
    },
    {
      validator: (step: Step<object>) => {
        refuseHostileText(step);
        requireRole(step.actor, ['institute', 'admin']);
        requireStatus(['plan_approved'], 'bắt đầu khảo sát');
      },
    },
  );

  setHandler(
    closeFieldworkUpdate,
    async (step) => {
      progress.fieldworkClosedAt = new Date().toISOString();
      await moveTo('fieldwork_closed', step.actor, 'survey_fieldwork_closed');
      return snapshot();
    },
    {
      validator: (step: Step<object>) => {
        refuseHostileText(step);
        requireRole(step.actor, ['institute', 'admin']);
        requireStatus(['fieldwork_open'], 'kết thúc khảo sát');
      },
    },
  );

  setHandler(
    submitSurveyResultsUpdate,
    async (step) => {
      progress.acceptedAt = new Date().toISOString();
      progress.unitsCovered = step.points.length;
      await moveTo('accepted', step.actor, 'survey_results_accepted', undefined, [{ kind: 'survey_points', points: step.points }]);
      return snapshot();
    },
    {
      validator: (step: Step<SurveyResults>) => {
        refuseHostileText(step);
        requireRole(step.actor, ['institute']);
        requireStatus(['fieldwork_closed'], 'nộp kết quả điều tra');
        const issues = checkSurveyPoints(input, step.points);
        if (issues.length) reject('invalid', 'Kết quả điều tra chưa hợp lệ', 'The survey results are not valid', issues);
      },
    },
  );

  upsertSearchAttributes([
    { key: CampaignIdKey, value: campaignId },
    { key: CampaignYearKey, value: input.year },
    { key: StageKey, value: 'survey_awaiting_plan' },
  ]);
  await condition(() => progress.status === 'accepted');
  await condition(allHandlersFinished);
  await getExternalWorkflowHandle(campaignId).signal(surveyAcceptedSignal, { unitsCovered: progress.unitsCovered });
}

/** Every unit covered exactly once, nothing unknown, points within the group's survey maximum. */
function checkSurveyPoints(input: SurveyWorkflowInput, points: { unitCode: string; pointsCenti: number }[]): ValidationIssue[] {
  const groupOf = new Map(input.units.map((unit) => [unit.code, unit.group]));
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  points.forEach((entry, index) => {
    const group = groupOf.get(entry.unitCode);
    if (group === undefined) {
      issues.push({ path: ['points', index, 'unitCode'], code: 'unknown_unit', message_vi: `Đơn vị ${entry.unitCode} không thuộc đợt đánh giá`, message_en: `Unit ${entry.unitCode} is not in the campaign` });
      return;
    }
    if (seen.has(entry.unitCode)) {
      issues.push({ path: ['points', index, 'unitCode'], code: 'duplicate_unit', message_vi: `Đơn vị ${entry.unitCode} có hai kết quả`, message_en: `Unit ${entry.unitCode} appears twice` });
    }
    seen.add(entry.unitCode);
    const max = input.maxPointsCentiByGroup[group] ?? 0;
    if (entry.pointsCenti > max) {
      issues.push({
        path: ['points', index, 'pointsCenti'],
        code: 'points_above_max',
        message_vi: `Đơn vị ${entry.unitCode}: ${formatCentiVi(entry.pointsCenti)} điểm vượt điểm tối đa ${formatCentiVi(max)}`,
        message_en: `Unit ${entry.unitCode}: ${entry.pointsCenti / 100} points is above the max ${max / 100}`,
      });
    }
  });
  for (const unit of input.units) {
    if (!seen.has(unit.code)) {
      issues.push({ path: ['points'], code: 'missing_unit', message_vi: `Thiếu kết quả của đơn vị ${unit.code}`, message_en: `No result for unit ${unit.code}` });
    }
  }
  return issues;
}
