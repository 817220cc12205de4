import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Actor } from '../../../domain/actors';
import type { Timeline } from '../../../domain/campaign';
import { toVietnamIso } from '../../../domain/deadlines';
import { reminderPolicySchema, type ReminderPolicyInput } from '../../../domain/reminders';
import { hanoi2019Campaign } from '../../../seed/hanoi-2019';
import { progressQuery, publishGuidanceUpdate } from '../../../workflows/messages';
import { SNV_ADMIN, uniqueSlug } from './stack';
import { eventually } from './wait';

const admin: Actor = { id: 'snv-chuyenvien', role: 'admin', unitCode: 'SNV' };

/** A timeline from now whose self-assessment closes in `selfAssessmentDueSeconds` (at least 11) and the later stages 15 minutes on. */
export function shortTimeline(selfAssessmentDueSeconds: number): Timeline {
  const t0 = Date.now();
  const at = (seconds: number) => toVietnamIso(t0 + seconds * 1000);
  return {
    guidance_due: at(10),
    self_assessment_due: at(selfAssessmentDueSeconds),
    appraisal_round_1_due: at(900),
    explanations_due: at(950),
    appraisal_round_2_due: at(1000),
    survey_results_due: at(1000),
    council_due: at(1100),
    publication_due: at(1200),
  };
}

/** A campaign whose self-assessment deadline is `dueInSeconds` away, with one reminder `beforeSeconds` before it and no escalation. */
export async function startReminderCampaign(app: FastifyInstance, options: { unitsPerGroup?: number; dueInSeconds: number; beforeSeconds: number }) {
  const slug = uniqueSlug('remf');
  const base = hanoi2019Campaign({
    slug,
    ...(options.unitsPerGroup ? { unitsPerGroup: options.unitsPerGroup } : {}),
    timeline: shortTimeline(options.dueInSeconds),
  });
  const policy: ReminderPolicyInput = { before: [`PT${options.beforeSeconds}S`], escalation: { enabled: false } };
  const definition = { ...base, settings: { ...base.settings, reminders: reminderPolicySchema.parse(policy) } };
  const campaignId = `par-2019-${slug}`;
  const created = await app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition });
  expect(created.statusCode).toBe(201);
  return { campaignId, definition };
}

/** Publishes the guidance, which opens the campaign's units, and waits until all `count` unit workflows run. */
export async function openReminderUnits(client: Client, campaignId: string, count: number) {
  const campaign = client.workflow.getHandle(campaignId);
  await campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: admin, document: { name: 'hd.pdf', ref: 'f' }, note: '' }] });
  await eventually(async () => (await campaign.query(progressQuery)).unitsStarted === count, 60_000, 'unit workflows started');
}
