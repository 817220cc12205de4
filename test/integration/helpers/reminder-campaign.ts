import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Actor } from '../../../domain/actors';
import { reminderPolicySchema, type ReminderPolicyInput } from '../../../domain/reminders';
import { hanoi2019Campaign } from '../../../seed/hanoi-2019';
import { progressQuery, publishGuidanceUpdate } from '../../../contracts/messages';
import { bringForwardByRoute, farTimeline, moveDeadlineByRoute } from './deadlines';
import { SNV_ADMIN, uniqueSlug } from './stack';
import { eventually } from './wait';

const admin: Actor = { id: 'snv-chuyenvien', role: 'admin', unitCode: 'SNV' };

/**
 * A campaign with one reminder `beforeSeconds` before the self-assessment deadline and no escalation.
 * Every deadline is months away, so nothing is due while the test sets it up; `remindIn(seconds)`
 * then moves the deadline through the API so that the reminder falls due that many seconds later.
 */
export async function startReminderCampaign(app: FastifyInstance, options: { unitsPerGroup?: number; beforeSeconds: number }) {
  const slug = uniqueSlug('remf');
  const base = hanoi2019Campaign({ slug, ...(options.unitsPerGroup ? { unitsPerGroup: options.unitsPerGroup } : {}), timeline: farTimeline() });
  const policy: ReminderPolicyInput = { before: [`PT${options.beforeSeconds}S`], escalation: { enabled: false } };
  const definition = { ...base, settings: { ...base.settings, reminders: reminderPolicySchema.parse(policy) } };
  const campaignId = `par-2019-${slug}`;
  const created = await app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition });
  expect(created.statusCode).toBe(201);
  /**
   * Brings the self-assessment deadline forward (the guidance first, which may not fall after it). A unit sends no
   * reminder that fell due before it learnt the deadline, so `seconds` must outlast the move reaching every unit.
   */
  const remindIn = async (seconds: number) => {
    await bringForwardByRoute(app, campaignId, ['guidance_due']);
    await moveDeadlineByRoute(app, campaignId, 'self_assessment_due', Date.now() + (seconds + options.beforeSeconds) * 1000);
  };
  return { campaignId, definition, remindIn };
}

/** Publishes the guidance, which opens the campaign's units, and waits until all `count` unit workflows run. */
export async function openReminderUnits(client: Client, campaignId: string, count: number) {
  const campaign = client.workflow.getHandle(campaignId);
  await campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: admin, document: { name: 'hd.pdf', ref: 'f' }, note: '' }] });
  await eventually(async () => (await campaign.query(progressQuery)).unitsStarted === count, 60_000, 'unit workflows started');
}
