import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors';
import { parseDeadline } from '../../domain/deadlines';
import { unitWorkflowId } from '../../domain/units';
import { createCampaignRepository } from '../../db/repositories/campaigns';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { progressQuery, publishGuidanceUpdate, unitProgressQuery } from '../../contracts/messages';
import { bringForward, farTimeline, moveDeadline, wholeSeconds } from './helpers/deadlines';
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

describe('a campaign-wide deadline move', () => {
  it('re-arms every unit’s timer: units go overdue at the latest date, never at one it was moved away from', async () => {
    const slug = uniqueSlug('move');
    const definition = hanoi2019Campaign({ slug, unitsPerGroup: 1, timeline: farTimeline() });
    const campaignId = `par-2019-${slug}`;
    expect((await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition })).statusCode).toBe(201);
    const campaign = stack.client.workflow.getHandle(campaignId);
    const codes = definition.units.map((unit) => unit.code);
    await campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: admin, document: { name: 'hd.pdf', ref: 'f' }, note: '' }] });
    await eventually(async () => (await campaign.query(progressQuery)).unitsStarted === codes.length, 60_000, 'units started');
    await bringForward(campaign, ['guidance_due']);

    // Months away → 30 s away → a day away → 32 s away. A timer left armed at an earlier date would fire first.
    // (The 30 s only has to outlast the next move reaching the units.)
    const soon = wholeSeconds(Date.now() + 30_000);
    await moveDeadline(campaign, 'self_assessment_due', soon);
    const later = wholeSeconds(Date.now() + 86_400_000);
    await moveDeadline(campaign, 'self_assessment_due', later);
    for (const code of codes) {
      await eventually(async () => parseDeadline((await stack.client.workflow.getHandle(unitWorkflowId(campaignId, code)).query(unitProgressQuery)).selfAssessmentDue) === later, 30_000, `${code} to take the later date`);
    }
    const final = soon + 2_000;
    await moveDeadline(campaign, 'self_assessment_due', final);

    const events = createCampaignRepository(stack.database.db);
    const overdue = await eventually(async () => {
      const found = (await events.listEvents(campaignId)).filter((event) => event.action === 'self_assessment_overdue');
      return found.length >= codes.length ? found : undefined;
    }, 60_000, 'every unit overdue');
    expect(overdue.map((event) => event.unitCode).sort()).toEqual([...codes].sort());
    for (const event of overdue) {
      // Each went overdue once, when the last date passed: not at the 30 s date it was moved away from, not months later.
      expect(event.occurredAt.getTime()).toBeGreaterThanOrEqual(final);
      expect(event.occurredAt.getTime()).toBeLessThan(later);
    }
    for (const code of codes) {
      const progress = await stack.client.workflow.getHandle(unitWorkflowId(campaignId, code)).query(unitProgressQuery);
      expect({ status: progress.status, due: parseDeadline(progress.selfAssessmentDue) }).toEqual({ status: 'overdue', due: final });
    }
    const moves = (await events.listEvents(campaignId)).filter((event) => event.action === 'deadline_moved' && event.unitCode === null);
    expect(moves.map((event) => (event.after as { key: string }).key)).toEqual(['guidance_due', 'self_assessment_due', 'self_assessment_due', 'self_assessment_due']);

    await recordHistories({ 'unit-deadline-moved-back-and-forth': stack.client.workflow.getHandle(unitWorkflowId(campaignId, codes[0]!)) });
  });
});
