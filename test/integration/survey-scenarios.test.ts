import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors';
import { surveyWorkflowId, unitWorkflowId } from '../../domain/units';
import { createCampaignRepository } from '../../db/repositories/campaigns';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { areaAppraisal, fullSelfAssessment } from '../../seed/scores';
import {
  appraiseAreaUpdate,
  closeFieldworkUpdate,
  openFieldworkUpdate,
  progressQuery,
  publishGuidanceUpdate,
  reviewSurveyPlanUpdate,
  submitSelfAssessmentUpdate,
  submitSurveyPlanUpdate,
  submitSurveyResultsUpdate,
  surveyProgressQuery,
  unitProgressQuery,
} from '../../contracts/messages';
import { bringForward, farTimeline } from './helpers/deadlines';
import { recordHistories } from './helpers/histories';
import { SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';
import { eventually, expectRejected } from './helpers/wait';

const admin: Actor = { id: 'snv-chuyenvien', role: 'admin', unitCode: 'SNV' };
const institute: Actor = { id: 'vien-ktxh', role: 'institute' };
const plan = (name: string) => ({ actor: institute, document: { name, ref: `file-${name}` }, summary: '' });

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the survey track', () => {
  it('takes a returned plan back and a corrected one, and the campaign waits past its calendar for late results before it aggregates', async () => {
    const slug = uniqueSlug('svy');
    const definition = hanoi2019Campaign({ slug, unitsPerGroup: 1, timeline: farTimeline() });
    const campaignId = `par-2019-${slug}`;
    expect((await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition })).statusCode).toBe(201);
    const campaign = stack.client.workflow.getHandle(campaignId);
    const survey = stack.client.workflow.getHandle(surveyWorkflowId(campaignId));
    const codes = definition.units.map((unit) => unit.code);
    const groupOf = (code: string) => definition.framework.groups[definition.units.find((u) => u.code === code)!.group]!;

    // The plan is returned with a reason, corrected and approved; fieldwork opens and closes.
    await survey.executeUpdate(submitSurveyPlanUpdate, { args: [plan('ke-hoach-v1.pdf')] });
    await expectRejected(survey.executeUpdate(reviewSurveyPlanUpdate, { args: [{ actor: admin, approve: false, reason: '' }] }), 'invalid');
    const returned = await survey.executeUpdate(reviewSurveyPlanUpdate, { args: [{ actor: admin, approve: false, reason: 'Cỡ mẫu chưa đủ cho cấp huyện' }] });
    expect(returned.status).toBe('awaiting_plan');
    await expectRejected(survey.executeUpdate(openFieldworkUpdate, { args: [{ actor: institute }] }), 'wrong_stage');
    await survey.executeUpdate(submitSurveyPlanUpdate, { args: [plan('ke-hoach-v2.pdf')] });
    const approved = await survey.executeUpdate(reviewSurveyPlanUpdate, { args: [{ actor: admin, approve: true, reason: '' }] });
    expect(approved).toMatchObject({ status: 'plan_approved', plan: { document: { name: 'ke-hoach-v2.pdf' } } });
    expect(approved.planReviews.map((review) => [review.approve, review.reason])).toEqual([
      [false, 'Cỡ mẫu chưa đủ cho cấp huyện'],
      [true, ''],
    ]);
    await survey.executeUpdate(openFieldworkUpdate, { args: [{ actor: institute }] });
    await survey.executeUpdate(closeFieldworkUpdate, { args: [{ actor: institute }] });

    // Every unit submits and is appraised; then the calendar runs out with no survey results yet.
    await campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: admin, document: { name: 'hd.pdf', ref: 'f' }, note: '' }] });
    await eventually(async () => (await campaign.query(progressQuery)).unitsStarted === codes.length, 60_000, 'units started');
    for (const code of codes) {
      const unit = stack.client.workflow.getHandle(unitWorkflowId(campaignId, code));
      await unit.executeUpdate(submitSelfAssessmentUpdate, { args: [{ actor: { id: code, role: 'unit', unitCode: code }, scores: fullSelfAssessment(groupOf(code)), approvedBy: 'Thủ trưởng' }] });
      for (const area of groupOf(code).areas) {
        await unit.executeUpdate(appraiseAreaUpdate, { args: [{ actor: admin, round: 1, areaCode: area.code, scores: areaAppraisal(groupOf(code), area.code), explanationRequests: [] }] });
      }
      await eventually(async () => (await unit.query(unitProgressQuery)).stage === 'appraised', 30_000, `${code} appraised`);
    }
    await bringForward(campaign, ['guidance_due', 'self_assessment_due', 'appraisal_round_1_due', 'explanations_due', 'survey_results_due']);
    // Past the explanations deadline the calendar has nowhere left to go: the campaign waits for the survey.
    await eventually(async () => (await campaign.query(progressQuery)).stage === 'appraisal_round_2', 60_000, 'the calendar to run out');
    expect((await campaign.query(progressQuery)).aggregationPass).toBe(0);

    // Late results: accepted, and only then the campaign aggregates and goes to the council.
    await survey.executeUpdate(submitSurveyResultsUpdate, { args: [{ actor: institute, points: codes.map((unitCode) => ({ unitCode, pointsCenti: 2400 })), source: 'muộn' }] });
    await eventually(async () => (await campaign.query(progressQuery)).stage === 'council', 60_000, 'the council stage');
    expect((await survey.query(surveyProgressQuery)).status).toBe('accepted');

    const events = await createCampaignRepository(stack.database.db).listEvents(campaignId);
    const order = events.map((event) => event.action);
    expect(order.filter((action) => action.startsWith('survey_plan_'))).toEqual([
      'survey_plan_submitted',
      'survey_plan_returned',
      'survey_plan_submitted',
      'survey_plan_approved',
    ]);
    expect(events.find((event) => event.action === 'survey_plan_returned')!.reason).toBe('Cỡ mẫu chưa đủ cho cấp huyện');
    expect(order.indexOf('results_aggregated')).toBeGreaterThan(order.indexOf('survey_results_accepted'));

    await recordHistories({ 'survey-plan-returned-results-late': survey, 'campaign-survey-late': campaign });
  });
});
