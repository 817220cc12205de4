import { randomBytes } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { Actor } from '../../../../domain/actors';
import type { CampaignDefinition, Timeline } from '../../../../domain/campaign';
import { toVietnamIso } from '../../../../domain/deadlines';
import type { FrameworkGroup } from '../../../../domain/framework';
import type { ReminderPolicyInput } from '../../../../domain/reminders';
import { reminderPolicySchema } from '../../../../domain/reminders';
import { campaignIdOf, surveyWorkflowId, unitWorkflowId } from '../../../../domain/units';
import { HANOI_2019_TIMELINE, hanoi2019Campaign, shiftTimeline } from '../../../../seed/hanoi-2019';
import { areaAppraisal, fullSelfAssessment } from '../../../../seed/scores';
import type { campaignWorkflow, surveyWorkflow, unitWorkflowV2 } from '../../../../workflows';
import {
  answerExplanationUpdate,
  awaitRecordedUpdate,
  appraiseAreaUpdate,
  closeFieldworkUpdate,
  councilDecisionUpdate,
  moveDeadlineUpdate,
  openFieldworkUpdate,
  progressQuery,
  publishGuidanceUpdate,
  publishResultsUpdate,
  reviewSurveyPlanUpdate,
  submitSelfAssessmentUpdate,
  submitSurveyPlanUpdate,
  submitSurveyResultsUpdate,
  surveyProgressQuery,
  unitProgressQuery,
  type CampaignProgress,
  type SurveyProgress,
  type UnitProgress,
} from '../../../../contracts/messages';
import type { WorkflowTestEnvironment } from './environment';
import { until } from './wait';

export const ADMIN: Actor = { id: 'snv-chuyenvien', role: 'admin', unitCode: 'SNV' };
export const COUNCIL: Actor = { id: 'hoidong-thuky', role: 'council' };
export const INSTITUTE: Actor = { id: 'vien-khaosat', role: 'institute' };
export const unitStaff = (unitCode: string): Actor => ({ id: `${unitCode.toLowerCase()}-canbo`, role: 'unit', unitCode });

const DAY_MS = 24 * 60 * 60 * 1000;
const DOCUMENT = { name: 'ke-hoach.pdf', ref: 'file-ke-hoach' };

/**
 * A deadline `ms` from now, as the workflows keep it (whole seconds), never
 * earlier than `ms`: the move is refused if it is not in the future.
 */
export function fromNow(ms: number): number {
  return Math.ceil((Date.now() + ms) / 1000) * 1000;
}

/**
 * The 2019 timeline's spacing in real days from now, so nothing falls due while
 * a test sets its campaign up; the guidance deadline is already past (it only
 * closes guidance contributions), so the test may bring any later one forward.
 */
function timelineFromNow(): Timeline {
  return { ...shiftTimeline(HANOI_2019_TIMELINE, Date.now(), DAY_MS), guidance_due: toVietnamIso(Date.now() - DAY_MS) };
}

export interface CampaignOptions {
  /** The campaign's reminder policy; absent, reminders are off (the timers of a default policy are days away anyway). */
  reminders?: ReminderPolicyInput;
}

/**
 * One campaign of the small Hanoi 2019 definition (the first unit of each
 * group: SNV, a department, and QUAN_BA_DINH, a district), run by the real
 * campaign workflow with its real unit and survey workflows, and the steps
 * each role takes, sent as the API sends them (updates with the caller as actor).
 */
export async function startCampaign(env: WorkflowTestEnvironment, options: CampaignOptions = {}) {
  const slug = `wf${randomBytes(5).toString('hex')}`;
  const base = hanoi2019Campaign({ slug, unitsPerGroup: 1, timeline: timelineFromNow() });
  const definition: CampaignDefinition = {
    ...base,
    settings: { ...base.settings, reminders: reminderPolicySchema.parse(options.reminders ?? { enabled: false }) },
  };
  const campaignId = campaignIdOf(definition);
  const handle = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
    taskQueue: env.taskQueue,
    workflowId: campaignId,
    args: [{ definition, startedBy: ADMIN.id }],
  });
  // As POST /campaigns does: a step may follow once the campaign is in the read model.
  await handle.executeUpdate(awaitRecordedUpdate);
  const unitCodes = definition.units.map((unit) => unit.code);
  const groupOf = (unitCode: string): FrameworkGroup => definition.framework.groups[definition.units.find((unit) => unit.code === unitCode)!.group]!;
  const unitHandle = (unitCode: string): WorkflowHandle<typeof unitWorkflowV2> => env.client.workflow.getHandle(unitWorkflowId(campaignId, unitCode));
  const surveyHandle: WorkflowHandle<typeof surveyWorkflow> = env.client.workflow.getHandle(surveyWorkflowId(campaignId));

  const campaign = {
    campaignId,
    definition,
    unitCodes,
    handle,
    unitHandle,
    surveyHandle,
    groupOf,
    areasOf: (unitCode: string) => groupOf(unitCode).areas.map((area) => area.code),

    progress: () => handle.query(progressQuery),
    unit: (unitCode: string) => unitHandle(unitCode).query(unitProgressQuery),
    survey: () => surveyHandle.query(surveyProgressQuery),

    /** What the campaign workflow (no unitCode) or a unit's workflow projected, in its order. */
    changes: (unitCode?: string) => env.stubs.changesOf(unitCode === undefined ? campaignId : unitWorkflowId(campaignId, unitCode)),
    /** The actions of those changes, as the event log lists them. */
    actions: (unitCode?: string) => campaign.changes(unitCode).map((change) => change.action),
    /**
     * The first change with this action once it is projected: a workflow changes
     * its state (what a query shows) before its projection activity has run.
     */
    async untilProjected(unitCode: string | undefined, action: string) {
      const changes = await until(() => campaign.changes(unitCode), (found) => found.some((change) => change.action === action), `${unitCode ?? campaignId}: ${action} projected`);
      return changes.find((change) => change.action === action)!;
    },

    untilCampaign: (done: (progress: CampaignProgress) => boolean, what: string) => until(() => handle.query(progressQuery), done, what),
    untilUnit: (unitCode: string, done: (progress: UnitProgress) => boolean, what: string) =>
      until(() => unitHandle(unitCode).query(unitProgressQuery), done, `${unitCode}: ${what}`),
    untilSurvey: (done: (progress: SurveyProgress) => boolean, what: string) =>
      until(() => surveyHandle.query(surveyProgressQuery), done, `the survey: ${what}`),

    /** Publishes the guidance and waits until every unit workflow runs: all units are then in self-assessment. */
    async openUnits() {
      await handle.executeUpdate(publishGuidanceUpdate, { args: [{ actor: ADMIN, document: DOCUMENT, note: '' }] });
      await campaign.untilCampaign((progress) => progress.unitsStarted === unitCodes.length, 'every unit started');
      for (const unitCode of unitCodes) await until(() => campaign.unit(unitCode), () => true, `${unitCode} to answer`);
    },

    /** Sở Nội vụ moves a campaign deadline (with unitCode: extends it for that unit), as the deadlines route does. */
    moveDeadline(key: keyof Timeline, deadlineMs: number, unitCode?: string) {
      return handle.executeUpdate(moveDeadlineUpdate, {
        args: [{ actor: ADMIN, key, deadline: toVietnamIso(deadlineMs), reason: unitCode ? 'Đơn vị xin gia hạn' : 'Điều chỉnh thời hạn', ...(unitCode ? { unitCode } : {}) }],
      });
    },

    submitSelfAssessment(unitCode: string, actor = unitStaff(unitCode)) {
      return unitHandle(unitCode).executeUpdate(submitSelfAssessmentUpdate, {
        args: [{ actor, scores: fullSelfAssessment(groupOf(unitCode)), approvedBy: `Thủ trưởng ${unitCode}` }],
      });
    },

    /** Sở Nội vụ appraises one area at full points; `question` asks the unit to explain its first sub-criterion. */
    appraise(unitCode: string, round: 1 | 2, areaCode: string, question?: string) {
      const scores = areaAppraisal(groupOf(unitCode), areaCode, {}, round === 2 ? 'Giải trình hợp lý' : '');
      const explanationRequests = question ? [{ code: scores[0]!.code, question }] : [];
      return unitHandle(unitCode).executeUpdate(appraiseAreaUpdate, { args: [{ actor: ADMIN, round, areaCode, scores, explanationRequests }] });
    },

    /**
     * Round 1 of every area of the unit, the areas side by side as their appraisers would send them; with
     * `questionIn`, that area asks for an explanation. The unit moves on after the last one's answer, so a
     * test waits for the stage it expects.
     */
    async appraiseRound1(unitCode: string, options: { questionIn?: string } = {}) {
      await Promise.all(
        campaign.areasOf(unitCode).map((areaCode) =>
          campaign.appraise(unitCode, 1, areaCode, areaCode === options.questionIn ? 'Đề nghị bổ sung văn bản ban hành kế hoạch' : undefined),
        ),
      );
    },

    answerExplanation(unitCode: string, requestId: string) {
      return unitHandle(unitCode).executeUpdate(answerExplanationUpdate, {
        args: [{ actor: unitStaff(unitCode), requestId, note: 'Đã bổ sung Quyết định số 12/QĐ-UBND', evidence: [{ name: 'qd-12.pdf', ref: 'file-qd-12' }] }],
      });
    },

    submitSurveyPlan: () => surveyHandle.executeUpdate(submitSurveyPlanUpdate, { args: [{ actor: INSTITUTE, document: DOCUMENT, summary: 'Kế hoạch 251/KH-UBND' }] }),
    reviewSurveyPlan: (approve: boolean, reason = '', actor = ADMIN) => surveyHandle.executeUpdate(reviewSurveyPlanUpdate, { args: [{ actor, approve, reason }] }),
    openFieldwork: () => surveyHandle.executeUpdate(openFieldworkUpdate, { args: [{ actor: INSTITUTE }] }),
    closeFieldwork: () => surveyHandle.executeUpdate(closeFieldworkUpdate, { args: [{ actor: INSTITUTE }] }),
    submitSurveyResults: (points: { unitCode: string; pointsCenti: number }[]) =>
      surveyHandle.executeUpdate(submitSurveyResultsUpdate, { args: [{ actor: INSTITUTE, points, source: 'kiểm thử' }] }),
    /** Points for every unit within its group's survey maximum. */
    surveyPoints: () => unitCodes.map((unitCode, index) => ({ unitCode, pointsCenti: 2400 + index * 75 })),

    /** The survey from plan to accepted results, the plan approved at once. */
    async completeSurvey() {
      await until(() => campaign.survey(), () => true, 'the survey workflow to answer');
      await campaign.submitSurveyPlan();
      await campaign.reviewSurveyPlan(true);
      await campaign.openFieldwork();
      await campaign.closeFieldwork();
      await campaign.submitSurveyResults(campaign.surveyPoints());
    },

    council(decision: 'approve' | 'return', returns: { unitCode: string; areas: string[]; reason: string }[] = [], actor = COUNCIL, votesFor = 9) {
      return handle.executeUpdate(councilDecisionUpdate, { args: [{ actor, decision, membersPresent: 9, votesFor, note: '', returns }] });
    },

    publish: () => handle.executeUpdate(publishResultsUpdate, { args: [{ actor: ADMIN, decisionNumber: '1752/QĐ-UBND', decisionDate: '2020-04-29' }] }),
  };
  return campaign;
}

export type TestCampaign = Awaited<ReturnType<typeof startCampaign>>;
