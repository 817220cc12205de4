import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Actor } from '../../../domain/actors';
import type { Timeline } from '../../../domain/campaign';
import { toVietnamIso } from '../../../domain/deadlines';
import { HANOI_2019_TIMELINE, shiftTimeline } from '../../../seed/hanoi-2019';
import { moveDeadlineUpdate } from '../../../contracts/messages';
import { SNV_ADMIN } from './stack';
import { eventually } from './wait';

/**
 * Time as a parameter: a test campaign starts with the 2019 timeline's real
 * spacing (months), so nothing falls due while the test sets it up, and the test
 * moves each deadline through the campaign's own "move deadline" update when it
 * is ready for it to pass. No step races a fixed instant.
 */
export function farTimeline(): Timeline {
  return shiftTimeline(HANOI_2019_TIMELINE, Date.now(), 24 * 60 * 60 * 1000);
}

const ADMIN: Actor = { id: 'snv-dieuhanh', role: 'admin', unitCode: 'SNV' };

/** Moves one deadline of the campaign (with `unitCode`: extends it for that unit) to `deadlineMs`. */
export function moveDeadline(campaign: WorkflowHandle, key: keyof Timeline, deadlineMs: number, unitCode?: string) {
  return campaign.executeUpdate(moveDeadlineUpdate, {
    args: [{ actor: ADMIN, key, deadline: toVietnamIso(deadlineMs), reason: unitCode ? 'Đơn vị xin gia hạn' : 'Điều chỉnh thời hạn', ...(unitCode ? { unitCode } : {}) }],
  });
}

/** The same move as Sở Nội vụ makes it on the dashboard: POST /campaigns/:campaignId/deadlines. */
export async function moveDeadlineByRoute(app: FastifyInstance, campaignId: string, key: keyof Timeline, deadlineMs: number, reason = 'Điều chỉnh thời hạn'): Promise<void> {
  const response = await sendMoveByRoute(app, campaignId, key, deadlineMs, reason);
  expect(response.statusCode, `moving ${key}: ${response.body}`).toBe(200);
}

function sendMoveByRoute(app: FastifyInstance, campaignId: string, key: keyof Timeline, deadlineMs: number, reason = 'Điều chỉnh thời hạn') {
  return app.inject({ method: 'POST', url: `/campaigns/${campaignId}/deadlines`, headers: SNV_ADMIN, payload: { key, deadline: toVietnamIso(deadlineMs), reason } });
}

const inPast = (issues: unknown) => Array.isArray(issues) && issues.some((issue: { code?: string }) => issue.code === 'deadline_in_past');

/**
 * Moves a deadline to two seconds from now. The workflow weighs "in the future" by its own clock when its task
 * runs, which on a loaded machine may be after those two seconds: a move refused for that alone is sent again
 * from the new now, so the caller never depends on how fast the task came.
 */
async function moveSoon(key: keyof Timeline, send: (deadlineMs: number) => Promise<'moved' | 'past'>): Promise<void> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    if ((await send(Date.now() + 2_000)) === 'moved') return;
  }
  throw new Error(`moving ${key} two seconds ahead was refused as past ten times`);
}

/**
 * Brings the given deadlines forward, in the order given (the timeline's order), each to two seconds
 * from the moment it is moved: a deadline must be in the future when it is moved, and none may fall
 * before the one it follows.
 */
export async function bringForward(campaign: WorkflowHandle, keys: (keyof Timeline)[]): Promise<void> {
  for (const key of keys) {
    await moveSoon(key, (deadlineMs) =>
      moveDeadline(campaign, key, deadlineMs).then(
        () => 'moved' as const,
        (error: unknown) => {
          const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
          if (cause instanceof ApplicationFailure && inPast((cause.details?.[0] as { issues?: unknown } | undefined)?.issues)) return 'past' as const;
          throw error;
        },
      ),
    );
  }
}

/** bringForward through the route. */
export async function bringForwardByRoute(app: FastifyInstance, campaignId: string, keys: (keyof Timeline)[]): Promise<void> {
  for (const key of keys) {
    await moveSoon(key, async (deadlineMs) => {
      const response = await sendMoveByRoute(app, campaignId, key, deadlineMs);
      if (response.statusCode === 400 && inPast(response.json().issues)) return 'past';
      expect(response.statusCode, `moving ${key}: ${response.body}`).toBe(200);
      return 'moved';
    });
  }
}

/** What GET /campaigns/:id/events answers, in the fields read here. */
interface UnitEvent {
  unit_code: string | null;
  action: string;
  after: { key?: string; deadline?: string } | null;
  occurred_at: string;
}

/**
 * Waits until all `unitCount` units of the campaign have recorded a campaign-wide move of `key` to `deadlineMs`;
 * answers each unit's code with the second it did (its event's time).
 */
export async function everyUnitKnows(app: FastifyInstance, campaignId: string, unitCount: number, key: keyof Timeline, deadlineMs: number): Promise<Map<string, number>> {
  return eventually(async () => {
    const response = await app.inject({ method: 'GET', url: `/campaigns/${campaignId}/events`, headers: SNV_ADMIN });
    expect(response.statusCode).toBe(200);
    const known = new Map<string, number>();
    for (const event of response.json() as UnitEvent[]) {
      const moved = event.unit_code !== null && event.action === 'deadline_moved' && event.after?.key === key;
      if (moved && Date.parse(event.after!.deadline!) === deadlineMs) known.set(event.unit_code!, Date.parse(event.occurred_at));
    }
    return known.size === unitCount ? known : undefined;
  }, 300_000, `every unit to learn ${key} ${toVietnamIso(deadlineMs)}`);
}

/**
 * How long, here and now, a campaign-wide move takes to reach every unit: from calling `move` (which answers the
 * deadline it set) until every unit has recorded it. A unit acts on no instant that passed before it learnt the
 * deadline, so a test gives a move a lead measured this way rather than guessed.
 */
export async function timeToReachUnits(app: FastifyInstance, campaignId: string, unitCount: number, key: keyof Timeline, move: () => Promise<number>): Promise<number> {
  const started = Date.now();
  await everyUnitKnows(app, campaignId, unitCount, key, await move());
  return Date.now() - started;
}

/** A deadline as the workflows keep it: toVietnamIso keeps whole seconds. */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
