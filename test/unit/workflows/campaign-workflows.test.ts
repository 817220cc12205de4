import { describe, expect, it } from 'vitest';
import { parseDeadline, toVietnamIso } from '../../../domain/deadlines';
import { reminderPolicySchema } from '../../../domain/reminders';
import { surveyWorkflowId } from '../../../domain/units';
import { unitDeadlinesSignal, type UnitDeadlineChange } from '../../../contracts/messages';
import { HANOI_2019_TIMELINE, shiftTimeline } from '../../../seed/hanoi-2019';
import { fromNow, INSTITUTE, startCampaign } from './helpers/campaign';
import { useWorkflowEnvironment } from './helpers/environment';
import { expectRejected, until } from './helpers/wait';

/**
 * The stage logic of the campaign, unit and survey workflows: the real
 * workflows on a Temporal dev server, with stub activities (test/README.md).
 * Deadlines are the unit workflows' own timers, re-armed by a campaign-wide
 * move or a unit's extension; the campaign's calendar moves it through the
 * appraisal rounds to aggregation, the council and publication, with the
 * survey track beside it. Each deadline is brought to a second or a few from
 * now through the campaign's own "move deadline" update when the test is ready.
 *
 * One file: each file bundles the workflows and starts a server and a worker,
 * seconds on two busy cores, so the tests share them and run side by side,
 * each on a campaign of its own.
 */

const TEST_MS = 40_000;
const DAY_MS = 24 * 60 * 60 * 1000;

const workflows = useWorkflowEnvironment();

const changeAt = (change: { at: string }) => Date.parse(change.at);

const aggregatedPasses = (campaignId: string) =>
  workflows.env.stubs.calls
    .filter((call) => call.name === 'aggregateResults' && (call.input as { campaignId: string }).campaignId === campaignId)
    .map((call) => (call.input as { pass: number }).pass);

describe.concurrent('a campaign', () => {
  describe('deadlines', () => {
    it('the self-assessment deadline makes a unit that has not submitted overdue, and at the round-1 appraisal deadline closes it flagged as missing, while a unit that submitted moves on', async () => {
      const campaign = await startCampaign(workflows.env);
      const [department, district] = campaign.unitCodes as [string, string];
      await campaign.openUnits();
      expect((await campaign.submitSelfAssessment(department)).stage).toBe('appraisal_round_1');

      const due = fromNow(1_000);
      await campaign.moveDeadline('self_assessment_due', due);
      const overdue = await campaign.untilUnit(district, (unit) => unit.status === 'overdue', 'overdue');
      expect(overdue).toMatchObject({ stage: 'self_assessment', flags: [], selfAssessmentDue: toVietnamIso(due) });
      await campaign.untilCampaign((progress) => progress.stage === 'appraisal_round_1', 'the calendar to reach round-1 appraisal');
      // The form is locked once the deadline has passed.
      await expectRejected(campaign.submitSelfAssessment(district), 'past_deadline');
      const wentOverdue = await campaign.untilProjected(district, 'self_assessment_overdue');
      expect(changeAt(wentOverdue)).toBeGreaterThanOrEqual(due);

      await campaign.moveDeadline('appraisal_round_1_due', fromNow(1_000));
      const closed = await campaign.untilUnit(district, (unit) => unit.stage === 'appraised', 'closed without a submission');
      expect(closed).toMatchObject({ status: 'done', flags: ['missing_submission'], submittedAt: null });
      await expectRejected(campaign.submitSelfAssessment(district), 'wrong_stage');
      // The unit that submitted in time has areas left to appraise: overdue in round 1, not closed.
      expect(await campaign.untilUnit(department, (unit) => unit.status === 'overdue', 'overdue in round 1')).toMatchObject({ stage: 'appraisal_round_1', flags: [] });
      // The closed unit counts as appraised for the campaign.
      await campaign.untilCampaign((progress) => progress.stage === 'explanations' && progress.unitsAppraised === 1, 'the calendar to reach explanations');

      await campaign.untilProjected(district, 'self_assessment_missing');
      await campaign.untilProjected(department, 'appraisal_round_1_overdue');
      expect(campaign.actions(district)).toEqual(['unit_opened', 'deadline_moved', 'self_assessment_overdue', 'deadline_moved', 'self_assessment_missing']);
      expect(campaign.actions(department)).toEqual([
        'unit_opened',
        'self_assessment_submitted',
        'stage_changed',
        'deadline_moved',
        'deadline_moved',
        'appraisal_round_1_overdue',
      ]);
    }, TEST_MS);

    it('an extension for one overdue unit only reopens it, takes a late submission flagged as late, and the other unit stays overdue', async () => {
      const campaign = await startCampaign(workflows.env);
      const [department, district] = campaign.unitCodes as [string, string];
      await campaign.openUnits();
      const due = fromNow(1_000);
      await campaign.moveDeadline('self_assessment_due', due);
      for (const code of campaign.unitCodes) await campaign.untilProjected(code, 'self_assessment_overdue');

      // Per-unit extensions exist for the unit's own steps only, and must lie ahead.
      await expectRejected(campaign.moveDeadline('appraisal_round_1_due', fromNow(60_000), department), 'invalid');
      await expectRejected(campaign.moveDeadline('self_assessment_due', Date.now() - 60_000, department), 'invalid');

      const extended = fromNow(3_600_000);
      await campaign.moveDeadline('self_assessment_due', extended, department);
      const reopened = await campaign.untilUnit(department, (unit) => unit.status === 'pending', 'reopened by the extension');
      expect(reopened).toMatchObject({ stage: 'self_assessment', selfAssessmentDue: toVietnamIso(extended) });

      const submitted = await campaign.submitSelfAssessment(department);
      expect(submitted).toMatchObject({ stage: 'appraisal_round_1', status: 'submitted', flags: ['submitted_late'] });
      // The extension reached the department only; the district keeps the campaign's date.
      expect(await campaign.unit(district)).toMatchObject({ stage: 'self_assessment', status: 'overdue', selfAssessmentDue: toVietnamIso(due) });
      expect(campaign.actions(district)).toEqual(['unit_opened', 'deadline_moved', 'self_assessment_overdue']);
      expect(campaign.actions()).toContain('deadline_extension_granted');
      expect(campaign.actions(department)).toEqual([
        'unit_opened',
        'deadline_moved',
        'self_assessment_overdue',
        'deadline_extended',
        'self_assessment_reopened',
        'self_assessment_submitted',
        'stage_changed',
      ]);
    }, TEST_MS);

    it('a campaign-wide move re-arms every unit’s timer: moved later, then earlier, a unit goes overdue at the last date only', async () => {
      const campaign = await startCampaign(workflows.env);
      const [department] = campaign.unitCodes as [string, string];
      await campaign.openUnits();

      // Far enough ahead for the next move to reach the units before it.
      const first = fromNow(4_000);
      await campaign.moveDeadline('self_assessment_due', first);
      const later = fromNow(86_400_000);
      await campaign.moveDeadline('self_assessment_due', later);
      for (const code of campaign.unitCodes) {
        await campaign.untilUnit(code, (unit) => parseDeadline(unit.selfAssessmentDue) === later, 'the later date');
        // What follows shows a stale timer only if the later date reached the unit before the first passed.
        const moves = await until(() => campaign.changes(code).filter((change) => change.action === 'deadline_moved'), (found) => found.length === 2, `${code}: both moves projected`);
        expect(changeAt(moves[1]!), `${code} took the later date after the first had passed (a machine too busy for this test)`).toBeLessThan(first);
      }
      // After the first date: a timer left armed for it would fire before this one.
      const last = Math.max(first + 1_000, fromNow(1_000));
      await campaign.moveDeadline('self_assessment_due', last);
      for (const code of campaign.unitCodes) {
        const unit = await campaign.untilUnit(code, (progress) => progress.status === 'overdue', 'overdue');
        expect(parseDeadline(unit.selfAssessmentDue)).toBe(last);
        expect(changeAt(await campaign.untilProjected(code, 'self_assessment_overdue'))).toBeGreaterThanOrEqual(last);
        expect(campaign.actions(code).filter((action) => action === 'self_assessment_overdue')).toHaveLength(1);
      }
      // The moves reached the units in the order they were made, through the fan-out activity.
      const fannedOut = workflows.env.stubs.calls.filter((call) => call.name === 'signalUnits' && (call.input as { campaignId: string }).campaignId === campaign.campaignId);
      expect(fannedOut.map((call) => parseDeadline((call.input as { payload: { deadline: string } }).payload.deadline))).toEqual([first, later, last]);

      // A fan-out retried after it was delivered sends a change again (here the move to the later date); the unit takes it once.
      const unit = campaign.unitHandle(department);
      const delivered = (fannedOut[1]!.input as { payload: UnitDeadlineChange }).payload;
      await unit.signal(unitDeadlinesSignal, delivered);
      // Signals are handled in order: once a later change shows, the repeated one has been taken, or ignored.
      const explanationsDue = fromNow(172_800_000);
      await unit.signal(unitDeadlinesSignal, {
        changeId: `${campaign.campaignId}/test-later-change`,
        scope: 'campaign',
        key: 'explanations_due',
        deadline: toVietnamIso(explanationsDue),
        actor: 'snv-chuyenvien',
        reason: 'Điều chỉnh thời hạn',
      });
      const after = await campaign.untilUnit(department, (progress) => parseDeadline(progress.explanationsDue) === explanationsDue, 'the later change');
      expect(after).toMatchObject({ status: 'overdue', selfAssessmentDue: toVietnamIso(last) });
    }, TEST_MS);

    it('reminders remind a unit that still owes its self-assessment before the deadline and escalate it after, and remind a unit that submitted of nothing', async () => {
      // Exact offsets (a campaign uses days): a second before the deadline, a second after it.
      const campaign = await startCampaign(workflows.env, { reminders: { before: ['PT1S'], escalation: { after: 'PT1S' } } });
      const [department, district] = campaign.unitCodes as [string, string];
      await campaign.openUnits();
      await campaign.submitSelfAssessment(department);

      // Ahead enough for the move to reach the unit before the reminder's instant, or the unit would not send it late.
      const due = fromNow(4_000);
      await campaign.moveDeadline('self_assessment_due', due);
      const ofCampaign = () => workflows.env.stubs.reminders.filter((reminder) => reminder.campaignId === campaign.campaignId);
      const sent = await until(ofCampaign, (reminders) => reminders.length >= 2, 'a reminder and an escalation');
      expect(sent.map(({ unitCode, kind, stage, deadlineMs }) => ({ unitCode, kind, stage, deadlineMs }))).toEqual([
        { unitCode: district, kind: 'reminder', stage: 'self_assessment', deadlineMs: due },
        { unitCode: district, kind: 'escalation', stage: 'self_assessment', deadlineMs: due },
      ]);
      expect(sent[0]!.dueAtMs).toBe(due - 1_000);
      expect(sent[1]!.dueAtMs).toBe(due + 1_000);
    }, TEST_MS);

    it('a unit the campaign opened arms one timer for its first reminder, rests until it, then reminds with the policy it was started with and waits for its deadline', async () => {
      // A reminder a few seconds from now: the self-assessment deadline (days away) less an exact offset.
      const due = parseDeadline(shiftTimeline(HANOI_2019_TIMELINE, Date.now(), DAY_MS).self_assessment_due)!;
      const offsetS = Math.floor((due - Date.now()) / 1000) - 6;
      const campaign = await startCampaign(workflows.env, { reminders: { before: [`PT${offsetS}S`] } });
      const [department, district] = campaign.unitCodes as [string, string];
      await campaign.openUnits();
      const timersOf = async (unitCode: string) =>
        ((await campaign.unitHandle(unitCode).fetchHistory()).events ?? []).flatMap((event) => {
          const timer = event.timerStartedEventAttributes;
          return timer ? [Number(timer.startToFireTimeout!.seconds)] : [];
        });
      const [firstTimer, ...others] = await until(() => timersOf(district), (timers) => timers.length > 0, 'the first timer');
      expect(others).toEqual([]);
      expect(firstTimer).toBeLessThanOrEqual(7);
      await campaign.submitSelfAssessment(department);

      const ofCampaign = () => workflows.env.stubs.reminders.filter((reminder) => reminder.campaignId === campaign.campaignId);
      const [sent] = await until(ofCampaign, (reminders) => reminders.length >= 1, 'the first reminder');
      expect(sent).toMatchObject({ unitCode: district, kind: 'reminder', stage: 'self_assessment', deadlineMs: due, dueAtMs: due - offsetS * 1000 });
      // Woken by its one timer: its stage deadline is armed now (and its next reminder's, if any), and the unit that submitted before it never armed it.
      const untilDeadline = (timer: number) => Math.abs(timer - (due - Date.now()) / 1000) < 30;
      await until(() => timersOf(district), (found) => found.slice(1).some(untilDeadline), 'the deadline timer');
      const [restOfDepartment, ...departmentTimers] = await timersOf(department);
      expect(restOfDepartment).toBeLessThanOrEqual(7);
      expect(departmentTimers.some(untilDeadline)).toBe(false);
      expect(ofCampaign()).toHaveLength(1);
      expect(await campaign.unit(district)).toMatchObject({ stage: 'self_assessment', status: 'pending' });
    }, TEST_MS);
  });

  describe('reminder policy', () => {
    it('a policy changed after the units opened applies from their next re-plan: a deadline move re-plans with the policy in force, not the one they were started with', async () => {
      const campaign = await startCampaign(workflows.env);
      const [, district] = campaign.unitCodes as [string, string];
      await campaign.openUnits();
      workflows.env.stubs.setReminderPolicy(campaign.campaignId, reminderPolicySchema.parse({ before: ['PT1S'], escalation: { enabled: false } }));

      const due = fromNow(4_000);
      await campaign.moveDeadline('self_assessment_due', due);
      const ofCampaign = () => workflows.env.stubs.reminders.filter((reminder) => reminder.campaignId === campaign.campaignId && reminder.unitCode === district);
      const [sent] = await until(ofCampaign, (reminders) => reminders.length >= 1, 'the reminder of the policy in force');
      expect(sent).toMatchObject({ kind: 'reminder', stage: 'self_assessment', deadlineMs: due, dueAtMs: due - 1_000 });
    }, TEST_MS);
  });

  describe('stages', () => {
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
});
