import { defaultPayloadConverter } from '@temporalio/common';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignEvents } from '../../db/schema';
import type { Actor } from '../../domain/actors';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { progressQuery, publishGuidanceUpdate, surveyAcceptedSignal, unitAppraisedSignal } from '../../workflows/messages';
import { bringForwardByRoute, farTimeline, moveDeadlineByRoute } from './helpers/deadlines';
import { recordHistories } from './helpers/histories';
import { SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';
import { eventually } from './helpers/wait';

const admin: Actor = { id: 'snv-chuyenvien', role: 'admin', unitCode: 'SNV' };

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the campaign calendar when a round completes as its deadline passes', () => {
  it('records the stage the deadline opens, then moves on, when the last appraisal and the round-1 deadline reach the campaign in one task', async () => {
    const slug = uniqueSlug('tie');
    const definition = hanoi2019Campaign({ slug, unitsPerGroup: 1, timeline: farTimeline() });
    const campaignId = `par-2019-${slug}`;
    const codes = definition.units.map((unit) => unit.code);
    expect((await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition })).statusCode).toBe(201);
    const campaign = stack.client.workflow.getHandle(campaignId);
    await campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: admin, document: { name: 'hd.pdf', ref: 'f' }, note: '' }] });
    await eventually(async () => (await campaign.query(progressQuery)).unitsStarted === codes.length, 60_000, 'the unit workflows');
    // Sở Nội vụ closes the self-assessment (no unit submits), which opens appraisal round 1.
    await bringForwardByRoute(stack.app, campaignId, ['guidance_due', 'self_assessment_due']);
    await eventually(async () => (await campaign.query(progressQuery)).stage === 'appraisal_round_1', 60_000, 'appraisal round 1');

    // Everything but the last unit's appraisal is in: the survey, and every other unit (the messages a unit and the survey send).
    await campaign.signal(surveyAcceptedSignal, { unitsCovered: codes.length });
    for (const code of codes.slice(0, -1)) await campaign.signal(unitAppraisedSignal, { unitCode: code, pass: 1 });
    // Sở Nội vụ ends round 1 a few seconds from now, and the worker stops as soon as the move is made: while no
    // worker runs, the deadline passes and the last appraisal arrives, so the campaign's next workflow task gets both.
    await moveDeadlineByRoute(stack.app, campaignId, 'appraisal_round_1_due', Date.now() + 8_000, 'Kết thúc vòng 1 sớm');
    await stack.stopWorker();
    const timersFired = async () => ((await campaign.fetchHistory()).events ?? []).filter((event) => event.timerFiredEventAttributes).length;
    const firedBefore = await timersFired();
    await campaign.signal(unitAppraisedSignal, { unitCode: codes.at(-1)!, pass: 1 });
    // The server fires the round-1 timer without a worker: wait until it has.
    await eventually(async () => (await timersFired()) > firedBefore || undefined, 60_000, 'the round-1 timer to fire');
    await stack.restartWorker();

    const stages = await eventually(async () => {
      const rows = await stack.database.db
        .select({ action: campaignEvents.action, after: campaignEvents.after })
        .from(campaignEvents)
        .where(eq(campaignEvents.campaignId, campaignId))
        .orderBy(asc(campaignEvents.id));
      const moves = rows.filter((row) => row.action === 'stage_changed').map((row) => (row.after as { stage: string }).stage);
      return moves.includes('aggregation') ? moves : undefined;
    }, 60_000, 'the campaign to reach aggregation');
    expect(stages).toEqual(['self_assessment', 'appraisal_round_1', 'explanations', 'aggregation']);

    // The set-up held: the timer and the last appraisal were in the same workflow task.
    const events = (await campaign.fetchHistory()).events ?? [];
    const last = (test: (event: (typeof events)[number]) => unknown) => events.map((event) => Boolean(test(event))).lastIndexOf(true);
    const fired = last((event) => event.timerFiredEventAttributes);
    // The test's own signal: the unit's workflow sends the same one itself once the deadline has passed for it too,
    // which needs the restarted worker, so it comes later, before or after the campaign's next task.
    const signalled = events.findIndex((event) => {
      const signal = event.workflowExecutionSignaledEventAttributes;
      return signal?.signalName === unitAppraisedSignal.name && defaultPayloadConverter.fromPayload<{ unitCode: string }>(signal.input!.payloads![0]!).unitCode === codes.at(-1);
    });
    const between = events.slice(Math.min(fired, signalled), Math.max(fired, signalled));
    expect(between.filter((event) => event.workflowTaskCompletedEventAttributes)).toEqual([]);
    await recordHistories({ 'campaign-deadline-tie': campaign });
  });
});
