import { describe, expect, it } from 'vitest';
import { surveyWorkflowId } from '../../../domain/units';
import { fromNow, INSTITUTE, startCampaign } from './helpers/campaign';
import { useWorkflowEnvironment } from './helpers/environment';
import { expectRejected } from './helpers/wait';

/**
 * The campaign's calendar through the appraisal rounds, aggregation, the
 * council and publication, and its survey track beside them: the real
 * campaign, unit and survey workflows on a dev server, with stub activities.
 */

const TEST_MS = 40_000;

const workflows = useWorkflowEnvironment();

const aggregatedPasses = (campaignId: string) =>
  workflows.env.stubs.calls
    .filter((call) => call.name === 'aggregateResults' && (call.input as { campaignId: string }).campaignId === campaignId)
    .map((call) => (call.input as { pass: number }).pass);

// Each test runs its own campaign, side by side.
describe.concurrent('a campaign’s stages', () => {
  it('the appraisal rounds follow the calendar from round 1 to explanations to round 2: an answered question reopens its area at once, an unanswered one at the explanations deadline, and the campaign aggregates when every unit is final', async () => {
    const campaign = await startCampaign(workflows.env);
    const [department, district] = campaign.unitCodes as [string, string];
    const [firstArea, secondArea] = campaign.areasOf(district) as [string, string];
    await campaign.openUnits();
    await Promise.all([...campaign.unitCodes.map((code) => campaign.submitSelfAssessment(code)), campaign.completeSurvey()]);

    await campaign.moveDeadline('self_assessment_due', fromNow(1_000));
    await campaign.untilCampaign((progress) => progress.stage === 'appraisal_round_1', 'round-1 appraisal');

    // Round 1 of every area; each unit is asked one question and waits for the explanations stage with it.
    await Promise.all([campaign.appraiseRound1(department, { questionIn: firstArea }), campaign.appraiseRound1(district, { questionIn: secondArea })]);
    const asked = await campaign.untilUnit(department, (unit) => unit.stage === 'explanations', 'the explanations stage');
    expect(asked.status).toBe('pending');
    const [departmentRequest] = asked.explanationRequests;
    expect(departmentRequest).toMatchObject({ areaCode: firstArea, answer: null });
    await campaign.untilUnit(district, (unit) => unit.stage === 'explanations', 'the explanations stage');
    // Explanations are answered in their own stage only; round 2 is not open yet.
    await expectRejected(campaign.appraise(department, 2, firstArea), 'wrong_stage');

    await campaign.moveDeadline('appraisal_round_1_due', fromNow(1_000));
    await campaign.untilCampaign((progress) => progress.stage === 'explanations', 'the explanations stage');

    // The department answers: its area goes to round 2 without waiting for the calendar.
    await campaign.answerExplanation(department, departmentRequest!.id);
    const reopened = await campaign.untilUnit(department, (unit) => unit.stage === 'appraisal_round_2', 'round 2 after its answer');
    expect(reopened).toMatchObject({ status: 'submitted', round2Areas: [firstArea], flags: [] });

    // The district never answers: at the explanations deadline its area goes to round 2, flagged.
    await campaign.moveDeadline('explanations_due', fromNow(1_000));
    const unanswered = await campaign.untilUnit(district, (unit) => unit.stage === 'appraisal_round_2', 'round 2 at the deadline');
    expect(unanswered).toMatchObject({ status: 'submitted', round2Areas: [secondArea], flags: ['explanation_unanswered'] });
    await expectRejected(campaign.answerExplanation(district, unanswered.explanationRequests[0]!.id), 'wrong_stage');
    await campaign.untilCampaign((progress) => progress.stage === 'appraisal_round_2', 'round-2 appraisal');

    // Round 2 is for the areas with a question only.
    await expectRejected(campaign.appraise(department, 2, secondArea), 'wrong_stage');
    expect(await campaign.appraise(department, 2, firstArea)).toMatchObject({ appraisedAreas: { round2: [firstArea] } });
    await campaign.untilUnit(department, (unit) => unit.stage === 'appraised', 'appraised');
    expect((await campaign.progress()).stage).toBe('appraisal_round_2');
    await campaign.appraise(district, 2, secondArea);

    const council = await campaign.untilCampaign((progress) => progress.stage === 'council', 'the council');
    expect(council).toMatchObject({ aggregationPass: 1, unitsAppraised: 2, surveyAccepted: true });
    expect(aggregatedPasses(campaign.campaignId)).toEqual([1]);
    await campaign.untilProjected(undefined, 'results_aggregated');
    expect(campaign.actions()).toEqual([
      'campaign_started',
      'guidance_published',
      'stage_changed', // self-assessment
      'deadline_moved',
      'stage_changed', // round 1, at its deadline
      'deadline_moved',
      'stage_changed', // explanations
      'deadline_moved',
      'stage_changed', // round 2
      'stage_changed', // aggregation
      'results_aggregated',
    ]);
    expect(campaign.actions(department)).toEqual([
      'unit_opened',
      'self_assessment_submitted',
      'stage_changed',
      'deadline_moved',
      ...campaign.areasOf(department).map(() => 'area_appraised_round_1'),
      'stage_changed',
      'deadline_moved',
      'explanation_answered',
      'stage_changed',
      'deadline_moved',
      'area_appraised_round_2',
      'appraisal_finished',
    ]);
  }, TEST_MS);

  it('the council returns named units to round-2 appraisal of the returned areas only, and the campaign aggregates a second pass before the approval and the publication close every workflow', async () => {
    const campaign = await startCampaign(workflows.env);
    const [department, district] = campaign.unitCodes as [string, string];
    const returnedArea = campaign.areasOf(district)[2]!;
    await campaign.openUnits();
    // Every unit submits and is appraised without a question: the campaign reaches the council before any deadline.
    const appraised = async (code: string) => {
      await campaign.submitSelfAssessment(code);
      await campaign.appraiseRound1(code);
      await campaign.untilUnit(code, (unit) => unit.stage === 'appraised', 'appraised');
    };
    await Promise.all([...campaign.unitCodes.map(appraised), campaign.completeSurvey()]);
    expect(await campaign.untilCampaign((progress) => progress.stage === 'council', 'the council')).toMatchObject({ aggregationPass: 1 });

    // Only the council decides, and only with a majority of its members.
    await expectRejected(campaign.council('approve', [], { id: 'snv-chuyenvien', role: 'admin', unitCode: 'SNV' }), 'forbidden');
    await expectRejected(campaign.council('approve', [], undefined, 5), 'invalid');
    await expectRejected(campaign.council('return', []), 'invalid');

    const returned = await campaign.council('return', [{ unitCode: district, areas: [returnedArea], reason: 'Chưa đủ tài liệu kiểm chứng' }]);
    expect(returned).toMatchObject({ stage: 'appraisal_round_2', unitsAppraised: 1 });
    expect(returned.council).toMatchObject([{ round: 1, decision: 'return', returns: [{ unitCode: district, areas: [returnedArea] }] }]);
    const reopened = await campaign.untilUnit(district, (unit) => unit.pass === 2, 'reopened by the council');
    expect(reopened).toMatchObject({ stage: 'appraisal_round_2', status: 'pending', round2Areas: [returnedArea], flags: ['returned_by_council'] });
    expect(await campaign.unit(department)).toMatchObject({ stage: 'appraised', pass: 1 });

    // Round 2 of the returned area only, of the returned unit only.
    await expectRejected(campaign.appraise(district, 2, campaign.areasOf(district)[0]!), 'wrong_stage');
    await expectRejected(campaign.appraise(department, 2, returnedArea), 'wrong_stage');
    await campaign.appraise(district, 2, returnedArea);
    await campaign.untilUnit(district, (unit) => unit.stage === 'appraised', 'appraised again');

    const second = await campaign.untilCampaign((progress) => progress.stage === 'council' && progress.aggregationPass === 2, 'the council again');
    expect(second.unitsAppraised).toBe(2);
    expect(aggregatedPasses(campaign.campaignId)).toEqual([1, 2]);

    expect((await campaign.council('approve')).stage).toBe('publication');
    expect(await campaign.publish()).toMatchObject({ stage: 'published', publication: { decisionNumber: '1752/QĐ-UBND' } });
    // Publication ends every workflow of the campaign.
    await campaign.handle.result();
    for (const code of campaign.unitCodes) await campaign.unitHandle(code).result();
    for (const code of campaign.unitCodes) expect(await campaign.unit(code)).toMatchObject({ stage: 'published', status: 'done' });
    expect(campaign.actions(district).slice(-4)).toEqual(['returned_by_council', 'area_appraised_round_2', 'appraisal_finished', 'results_published']);
  }, TEST_MS);

  it('a survey plan returned with a reason goes back to the institute; submitted again and approved, it opens fieldwork', async () => {
    const campaign = await startCampaign(workflows.env);
    await campaign.untilSurvey((survey) => survey.status === 'awaiting_plan', 'awaiting the plan');
    await expectRejected(campaign.reviewSurveyPlan(true), 'wrong_stage');
    await expectRejected(campaign.openFieldwork(), 'wrong_stage');

    expect(await campaign.submitSurveyPlan()).toMatchObject({ status: 'plan_submitted', plan: { summary: 'Kế hoạch 251/KH-UBND' } });
    // Sở Nội vụ reviews the plan, not the institute, and a return says why.
    await expectRejected(campaign.reviewSurveyPlan(true, '', INSTITUTE), 'forbidden');
    await expectRejected(campaign.reviewSurveyPlan(false), 'invalid');

    const returned = await campaign.reviewSurveyPlan(false, 'Bổ sung cỡ mẫu theo từng quận, huyện');
    expect(returned).toMatchObject({ status: 'awaiting_plan', planReviews: [{ approve: false, reason: 'Bổ sung cỡ mẫu theo từng quận, huyện' }] });
    await expectRejected(campaign.openFieldwork(), 'wrong_stage');

    await campaign.submitSurveyPlan();
    const approved = await campaign.reviewSurveyPlan(true);
    expect(approved.status).toBe('plan_approved');
    expect(approved.planReviews.map((review) => review.approve)).toEqual([false, true]);
    expect(await campaign.openFieldwork()).toMatchObject({ status: 'fieldwork_open' });

    expect(workflows.env.stubs.changesOf(surveyWorkflowId(campaign.campaignId)).map((change) => change.action)).toEqual([
      'survey_plan_submitted',
      'survey_plan_returned',
      'survey_plan_submitted',
      'survey_plan_approved',
      'survey_fieldwork_opened',
    ]);
  }, TEST_MS);

  it('survey results must cover every unit once within its group’s maximum; accepted, they tell the campaign and the survey track ends', async () => {
    const campaign = await startCampaign(workflows.env);
    const [department, district] = campaign.unitCodes as [string, string];
    await campaign.untilSurvey(() => true, 'the survey workflow');
    await campaign.submitSurveyPlan();
    await campaign.reviewSurveyPlan(true);
    await campaign.openFieldwork();
    await expectRejected(campaign.submitSurveyResults(campaign.surveyPoints()), 'wrong_stage');
    await campaign.closeFieldwork();

    const codes = async (points: { unitCode: string; pointsCenti: number }[]) =>
      ((await expectRejected(campaign.submitSurveyResults(points), 'invalid')).details?.[0] as { issues: { code: string }[] }).issues.map((issue) => issue.code);
    expect(await codes([{ unitCode: department, pointsCenti: 2400 }])).toEqual(['missing_unit']);
    expect(
      await codes([
        { unitCode: department, pointsCenti: 2400 },
        { unitCode: department, pointsCenti: 2400 },
        { unitCode: district, pointsCenti: 2400 },
      ]),
    ).toEqual(['duplicate_unit']);
    expect(await codes([...campaign.surveyPoints(), { unitCode: 'KHONG_CO', pointsCenti: 1 }])).toEqual(['unknown_unit']);
    expect(await codes([{ unitCode: department, pointsCenti: 2400 }, { unitCode: district, pointsCenti: 1_000_000 }])).toEqual(['points_above_max']);
    expect((await campaign.progress()).surveyAccepted).toBe(false);

    expect(await campaign.submitSurveyResults(campaign.surveyPoints())).toMatchObject({ status: 'accepted', unitsCovered: 2 });
    await campaign.surveyHandle.result();
    await campaign.untilCampaign((progress) => progress.surveyAccepted, 'the campaign to learn of the accepted survey');
  }, TEST_MS);
});
