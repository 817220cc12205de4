import { randomBytes } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFanOutActivities, OPENING_CHUNK, type OpenUnitsInput } from '../../activities/fan-out';
import { createCampaignRepository } from '../../db/repositories/campaigns';
import { createReadModelRepository } from '../../db/repositories/read-model';
import { campaignEvents } from '../../db/schema';
import type { CampaignDefinition } from '../../domain/campaign';
import { resolveReminderPolicy } from '../../domain/reminders';
import { unitWorkflowId } from '../../domain/units';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import type { UnitWorkflowInput } from '../../workflows/unit';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/**
 * The campaign opens its units with one activity (fan-out-v3; BENCHMARKS.md, P1):
 * chunk by chunk it projects the units' openings and starts their workflows.
 * A retried attempt resumes at the chunk it heartbeated, and an attempt that
 * runs again over units already opened starts and projects none of them twice.
 * No worker polls the task queue: the units only have to exist.
 */
const UNITS = OPENING_CHUNK + 20;

let database: TestDatabase;
let connection: Connection;
let client: Client;
beforeAll(async () => {
  database = await createTestDatabase();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
});
afterAll(async () => {
  await connection?.close();
  await database?.destroy();
});

function campaignOf(slug: string): CampaignDefinition {
  const base = hanoi2019Campaign({ slug });
  const groups = Object.keys(base.framework.groups);
  const units = [...base.units];
  for (let i = units.length; i < UNITS; i++) units.push({ code: `T${String(i).padStart(4, '0')}`, name_vi: `Đơn vị thử ${i}`, group: groups[i % groups.length]! });
  return { ...base, units };
}

describe('opening a campaign’s units', () => {
  it('resumes at the heartbeated chunk, then starts and projects nothing twice', async () => {
    const slug = `ou${randomBytes(4).toString('hex')}`;
    const campaignId = `par-2019-${slug}`;
    const definition = campaignOf(slug);
    const campaigns = createCampaignRepository(database.db);
    await campaigns.insertCampaign({ campaignId, definition, stage: 'guidance', at: new Date() });
    const policy = resolveReminderPolicy(null);
    const activities = createFanOutActivities({
      client,
      campaigns,
      readModel: createReadModelRepository(database.db),
      reminderPolicyOf: async () => policy,
    });
    const input: OpenUnitsInput = {
      common: {
        campaignId,
        year: 2019,
        areaOwners: {},
        deadlines: {
          self_assessment_due: definition.timeline.self_assessment_due,
          appraisal_round_1_due: definition.timeline.appraisal_round_1_due,
          explanations_due: definition.timeline.explanations_due,
          appraisal_round_2_due: definition.timeline.appraisal_round_2_due,
        },
        openedByCampaign: true,
      },
      openedAt: new Date().toISOString(),
    };
    const taskQueue = `open-units-${slug}`;
    const openings = async () =>
      (await database.db
        .select({ unitCode: campaignEvents.unitCode, count: sql<number>`count(*)::int` })
        .from(campaignEvents)
        .where(and(eq(campaignEvents.campaignId, campaignId), eq(campaignEvents.action, 'unit_opened')))
        .groupBy(campaignEvents.unitCode)) as { unitCode: string; count: number }[];
    const exists = async (unitCode: string) => {
      try {
        await client.workflow.getHandle(unitWorkflowId(campaignId, unitCode)).describe();
        return true;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    };
    const first = definition.units[0]!.code;
    const resumedAt = definition.units[OPENING_CHUNK]!.code;

    // A retry of an attempt that had opened the first chunk: only the rest is opened now.
    const resumedEnv = new MockActivityEnvironment({ taskQueue, heartbeatDetails: { next: OPENING_CHUNK, started: OPENING_CHUNK, existing: 0 } });
    const beats: unknown[] = [];
    resumedEnv.on('heartbeat', (details: unknown) => beats.push(details));
    expect(await resumedEnv.run(activities.openUnits, input)).toEqual({ started: UNITS, existing: 0 });
    // Every heartbeat names where a retry would resume: mid-chunk, the chunk's start and the counts before it.
    expect(beats.every((details) => [OPENING_CHUNK, 2 * OPENING_CHUNK].includes((details as { next?: number }).next!))).toBe(true);
    expect(beats[0]).toEqual({ next: OPENING_CHUNK, started: OPENING_CHUNK, existing: 0 });
    expect(beats.at(-1)).toEqual({ next: 2 * OPENING_CHUNK, started: UNITS, existing: 0 });
    expect((await openings()).map((row) => row.unitCode).sort()).toEqual(definition.units.slice(OPENING_CHUNK).map((unit) => unit.code).sort());
    expect(await exists(first)).toBe(false);
    const started = await client.workflow.getHandle(unitWorkflowId(campaignId, resumedAt)).describe();
    expect(started.type).toBe('unitWorkflowV2');
    expect(started.taskQueue).toBe(taskQueue);

    // An attempt from the start, over units partly opened: the rest are opened, none twice.
    const fullEnv = new MockActivityEnvironment({ taskQueue });
    expect(await fullEnv.run(activities.openUnits, input)).toEqual({ started: OPENING_CHUNK, existing: UNITS - OPENING_CHUNK });
    const rows = await openings();
    expect(rows).toHaveLength(UNITS);
    expect(rows.every((row) => row.count === 1)).toBe(true);
    expect(await exists(first)).toBe(true);

    // Each unit starts with what its first task needs: the shared input, its group's criteria and the policy, and rests until its first reminder.
    const history = await client.workflow.getHandle(unitWorkflowId(campaignId, first)).fetchHistory();
    const unitInput = defaultPayloadConverter.fromPayload<UnitWorkflowInput>(history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!);
    expect(unitInput).toMatchObject({ campaignId, openedByCampaign: true, reminderPolicy: policy, restsUntilDue: true, unit: definition.units[0] });
    expect(unitInput.group).toEqual(definition.framework.groups[definition.units[0]!.group]);
  });
});
