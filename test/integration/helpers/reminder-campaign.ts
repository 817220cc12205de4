import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Actor } from '../../../domain/actors';
import { reminderPolicySchema, type ReminderPolicyInput } from '../../../domain/reminders';
import { hanoi2019Campaign } from '../../../seed/hanoi-2019';
import { progressQuery, publishGuidanceUpdate } from '../../../contracts/messages';
import { bringForwardByRoute, everyUnitKnows, farTimeline, moveDeadlineByRoute, timeToReachUnits, wholeSeconds } from './deadlines';
import { SNV_ADMIN, uniqueSlug } from './stack';
import { eventually } from './wait';

const admin: Actor = { id: 'snv-chuyenvien', role: 'admin', unitCode: 'SNV' };

/**
 * A campaign with one reminder `beforeSeconds` before the self-assessment deadline and no escalation.
 * Every deadline is months away, so nothing is due while the test sets it up; `remindSoon(minSeconds)`
 * then moves the deadline through the API so that the reminder falls due as soon as every unit can know it.
 */
export async function startReminderCampaign(app: FastifyInstance, options: { unitsPerGroup?: number; beforeSeconds: number }) {
  const slug = uniqueSlug('remf');
  const base = hanoi2019Campaign({ slug, ...(options.unitsPerGroup ? { unitsPerGroup: options.unitsPerGroup } : {}), timeline: farTimeline() });
  const policy: ReminderPolicyInput = { before: [`PT${options.beforeSeconds}S`], escalation: { enabled: false } };
  const definition = { ...base, settings: { ...base.settings, reminders: reminderPolicySchema.parse(policy) } };
  const campaignId = `par-2019-${slug}`;
  const created = await app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition });
  expect(created.statusCode).toBe(201);
  /** Moves the self-assessment deadline so that the reminder falls due `seconds` from now; answers the deadline. */
  const moveSelfAssessment = async (seconds: number) => {
    const deadline = wholeSeconds(Date.now() + (seconds + options.beforeSeconds) * 1000);
    await moveDeadlineByRoute(app, campaignId, 'self_assessment_due', deadline);
    return deadline;
  };
  /**
   * Brings the self-assessment deadline forward (the guidance first, which may not fall after it). A unit sends no
   * reminder that fell due before it learnt the deadline, so `seconds` must outlast the move reaching every unit.
   */
  const remindIn = async (seconds: number) => {
    await bringForwardByRoute(app, campaignId, ['guidance_due']);
    return moveSelfAssessment(seconds);
  };
  /**
   * remindIn with a lead measured here and now instead of guessed: a first move (the reminder an hour away) is timed
   * until every unit has recorded it, and the reminder then falls due twice that time after the second move (at least
   * `minSeconds`). Answers the reminder's instant once every unit has the second move, and fails, naming the units,
   * if one learnt it only after its reminder fell due.
   */
  const remindSoon = async (minSeconds: number) => {
    const reach = await timeToReachUnits(app, campaignId, definition.units.length, 'self_assessment_due', () => remindIn(3_600));
    const lead = Math.max(minSeconds, Math.ceil((2 * reach) / 1000));
    const deadline = await moveSelfAssessment(lead);
    const dueAt = deadline - options.beforeSeconds * 1000;
    const known = await everyUnitKnows(app, campaignId, definition.units.length, 'self_assessment_due', deadline);
    const late = [...known].filter(([, at]) => at >= dueAt).map(([unitCode]) => unitCode);
    expect(late, `units that learnt the deadline only after their reminder fell due, with a lead of ${lead} s`).toEqual([]);
    return dueAt;
  };
  return { campaignId, definition, remindSoon };
}

/** Publishes the guidance, which opens the campaign's units, and waits until all `count` unit workflows run. */
export async function openReminderUnits(client: Client, campaignId: string, count: number) {
  const campaign = client.workflow.getHandle(campaignId);
  await campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: admin, document: { name: 'hd.pdf', ref: 'f' }, note: '' }] });
  await eventually(async () => (await campaign.query(progressQuery)).unitsStarted === count, 60_000, 'unit workflows started');
}
