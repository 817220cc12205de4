import { describe, expect, it } from 'vitest';
import { parseDeadline, toVietnamIso } from '../../../domain/deadlines';
import { unitDeadlinesSignal } from '../../../workflows/messages';
import { fromNow, startCampaign } from './helpers/campaign';
import { useWorkflowEnvironment } from './helpers/environment';
import { expectRejected, until } from './helpers/wait';

/**
 * The self-assessment deadline as the unit workflows keep it: their own timers,
 * re-armed by a campaign-wide move or a unit's extension. Real workflows on a
 * dev server, stub activities; each deadline is brought to a second or two from
 * now through the campaign's own "move deadline" update when the test is ready.
 */

const TEST_MS = 30_000;

const workflows = useWorkflowEnvironment();

const changeAt = (change: { at: string }) => Date.parse(change.at);

// Each test runs its own campaign; they wait for their deadlines side by side.
describe.concurrent('a campaign’s deadlines', () => {
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

    // A fan-out retried after it was delivered sends the same change again; the unit takes it once.
    const unit = campaign.unitHandle(department);
    await unit.signal(unitDeadlinesSignal, {
      changeId: `${campaign.campaignId}/deadline/1`,
      scope: 'campaign',
      key: 'self_assessment_due',
      deadline: toVietnamIso(later),
      actor: 'snv-chuyenvien',
      reason: 'Điều chỉnh thời hạn',
    });
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
});
