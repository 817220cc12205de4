import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import type { campaignWorkflow } from '../../workflows/campaign';
import { unitWorkflowId } from '../../domain/units';
import { fullSelfAssessment } from '../../seed/scores';
import { awaitRecordedUpdate, publishGuidanceUpdate, submitSelfAssessmentUpdate, submitSurveyPlanUpdate, unitProgressQuery } from '../../contracts/messages';
import { farTimeline } from './helpers/deadlines';
import type { surveyWorkflow } from '../../workflows/survey';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { uniqueSlug } from './helpers/stack';
import { eventually } from './helpers/wait';
import { killWorkerProcesses, spawnWorker } from './helpers/worker-process';

/*
 * A step waits on the projection of what it changed (the `project` activity).
 * When the worker running that attempt dies (SIGKILL, OOM), nothing tells the
 * server; it gives up on the attempt when a timeout of the attempt ends, and
 * the step waits until then: with only the 30 s start-to-close timeout, 30 s
 * after a worker kill (docs/decisions.md). So the attempt heartbeats while it
 * runs and is scheduled with a 5 s heartbeat timeout.
 *
 * The mechanism is asserted, never the time: the projection is held in a lock
 * wait (the test locks campaign_events), and the history says which timeout
 * ended an attempt. Worker processes are real (worker/main.ts), killed with
 * SIGKILL.
 */

const { TimeoutType, EventType, PendingActivityState } = proto.temporal.api.enums.v1;
const scratch = mkdtempSync(join(tmpdir(), 'par-lost-activity-'));
let database: TestDatabase;
let connection: Connection;
let client: Client;
let workerEnv: Record<string, string>;
let taskQueue: string;

beforeAll(async () => {
  database = await createTestDatabase();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  taskQueue = `test-${uniqueSlug('lost')}`;
  const bundlePath = join(scratch, 'workflows.js');
  writeFileSync(bundlePath, inject('workflowBundleCode'));
  workerEnv = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_BUNDLE_PATH: bundlePath };
});
/** Locks a test still held when it ended (it failed or timed out first): released, so the next test's projections do not wait on them. */
const heldLocks = new Set<() => Promise<void>>();
afterEach(async () => {
  await killWorkerProcesses();
  for (const release of heldLocks) await release();
});
afterAll(async () => {
  await killWorkerProcesses();
  await connection?.close();
  await database?.destroy();
  rmSync(scratch, { recursive: true, force: true });
});

const institute = { id: 'vien-khaosat', role: 'institute', unitCode: 'VIEN' } as const;
const snvAdmin = { id: 'snv-admin', role: 'admin', unitCode: 'SNV' } as const;

/** A transaction of its own holds an exclusive lock on `table` until release(): every attempt writing it waits on it. */
async function holdLock(table: 'campaign_events' | 'campaigns'): Promise<() => Promise<void>> {
  const holder = postgres(database.url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = holder.begin(async (sql) => {
    await sql.unsafe(`lock table ${table} in access exclusive mode`);
    locked();
    await held;
  });
  await isLocked;
  const releaseLock = async () => {
    heldLocks.delete(releaseLock);
    release();
    await transaction;
    await holder.end();
  };
  heldLocks.add(releaseLock);
  return releaseLock;
}

/** The workflow's pending attempt of `activityType` once a worker has started it. */
async function startedAttempt(handle: WorkflowHandle, activityType: string) {
  return eventually(async () => {
    const { raw } = await handle.describe();
    return raw.pendingActivities?.find((activity) => activity.activityType?.name === activityType && activity.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
  }, 60_000, `the ${activityType} attempt to start`);
}

/** A survey workflow (its steps project through `project`), and its plan sent while campaign_events is locked. */
async function planWhileLocked(): Promise<{ handle: WorkflowHandle<typeof surveyWorkflow>; answered: Promise<unknown>; release: () => Promise<void> }> {
  const campaignId = `par-2019-${uniqueSlug('lost')}`;
  const handle = await client.workflow.start<typeof surveyWorkflow>('surveyWorkflow', {
    workflowId: `${campaignId}/survey`,
    taskQueue,
    args: [{ campaignId, year: 2019, units: [], maxPointsCentiByGroup: {} }],
  });
  const release = await holdLock('campaign_events');
  const answered = handle.executeUpdate(submitSurveyPlanUpdate, { args: [{ actor: institute, document: { name: 'ke-hoach.pdf', ref: 'file-kh' }, summary: 'Kế hoạch' }] });
  // The attempt has started: the worker runs it and it waits in the lock.
  await startedAttempt(handle, 'project');
  return { handle, answered, release };
}

/** A campaign workflow started while the campaigns table is locked: its `recordCampaign` waits, and so does the answer of awaitRecorded. */
async function campaignWhileLocked(): Promise<{ handle: WorkflowHandle<typeof campaignWorkflow>; answered: Promise<unknown>; release: () => Promise<void> }> {
  const slug = uniqueSlug('lostc');
  const release = await holdLock('campaigns');
  const handle = await client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
    workflowId: `par-2019-${slug}`,
    taskQueue,
    args: [{ definition: hanoi2019Campaign({ slug, unitsPerGroup: 1, timeline: farTimeline() }), startedBy: 'admin:SNV/snv-admin' }],
  });
  const answered = handle.executeUpdate(awaitRecordedUpdate);
  await startedAttempt(handle, 'recordCampaign');
  return { handle, answered, release };
}

/**
 * How each attempt of `activityType` the server gave up on ended, by timeout type. A retried attempt leaves
 * no event of its own: the started event of the attempt that completed carries the failure of the one before
 * it (lastFailure), with its attempt number.
 */
async function timeoutsOf(handle: WorkflowHandle, activityType: string): Promise<string[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = new Set(
    events.filter((event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && event.activityTaskScheduledEventAttributes?.activityType?.name === activityType).map((event) => String(event.eventId)),
  );
  return events
    .map((event) => event.activityTaskStartedEventAttributes)
    .filter((started) => started && scheduled.has(String(started.scheduledEventId)) && started.lastFailure?.timeoutFailureInfo)
    .map((started) => TimeoutType[started!.lastFailure!.timeoutFailureInfo!.timeoutType ?? 0]!);
}
const projectTimeouts = (handle: WorkflowHandle) => timeoutsOf(handle, 'project');

describe('a projection attempt lost with its worker', () => {
  it('is given up on by its heartbeat timeout, not by the 30 s start-to-close, and the step is answered by the next worker', { timeout: 120_000 }, async () => {
    const first = spawnWorker(workerEnv);
    const { handle, answered, release } = await planWhileLocked();
    await first.kill();
    spawnWorker(workerEnv);
    await release();
    await answered;
    expect(await projectTimeouts(handle)).toEqual(['TIMEOUT_TYPE_HEARTBEAT']);
    const { raw } = await handle.describe();
    expect(raw.pendingActivities ?? []).toEqual([]);
  });

  it('is not cut short while it waits on a lock longer than the heartbeat timeout: it heartbeats', { timeout: 120_000 }, async () => {
    spawnWorker(workerEnv);
    const { handle, answered, release } = await planWhileLocked();
    // Longer than the 5 s heartbeat timeout of `project` (workflows/projector.ts), with its worker alive.
    await beatenPast(handle, 'project', 8_000);
    await release();
    await answered;
    expect(await projectTimeouts(handle)).toEqual([]);
  });
});

/** Resolves once the started attempt of `activityType` has heartbeated `ms` after it started: held that long, alive. */
async function beatenPast(handle: WorkflowHandle, activityType: string, ms: number): Promise<void> {
  await eventually(async () => {
    const attempt = await startedAttempt(handle, activityType);
    const started = Number(attempt.lastStartedTime?.seconds ?? 0) * 1000;
    const beaten = Number(attempt.lastHeartbeatTime?.seconds ?? 0) * 1000;
    return beaten - started >= ms || undefined;
  }, 60_000, `the ${activityType} attempt to heartbeat ${ms / 1000} s after its start`);
}

describe("a campaign's own activity lost with its worker", () => {
  it('is scheduled with a 5 s heartbeat timeout, given up on by it, and the campaign answered by the next worker', { timeout: 120_000 }, async () => {
    const first = spawnWorker(workerEnv);
    const { handle, answered, release } = await campaignWhileLocked();
    await first.kill();
    spawnWorker(workerEnv);
    await release();
    await answered;
    expect(await timeoutsOf(handle, 'recordCampaign')).toEqual(['TIMEOUT_TYPE_HEARTBEAT']);
    const scheduled = ((await handle.fetchHistory()).events ?? []).filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'recordCampaign');
    expect(scheduled.map((event) => Number(event.activityTaskScheduledEventAttributes!.heartbeatTimeout?.seconds))).toEqual([5]);
  });

  it('is not cut short while it waits on a lock longer than the heartbeat timeout: it heartbeats', { timeout: 120_000 }, async () => {
    spawnWorker(workerEnv);
    const { handle, answered, release } = await campaignWhileLocked();
    await beatenPast(handle, 'recordCampaign', 8_000);
    await release();
    await answered;
    expect(await timeoutsOf(handle, 'recordCampaign')).toEqual([]);
  });
});

/** Resolves once a connection of a worker waits for a lock on `table`: the attempt (or local activity) writing it is in the lock. */
async function waitingOnLock(table: string): Promise<void> {
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await eventually(async () => {
      const [row] = await sql<{ waiting: number }[]>`
        select count(*)::int as waiting from pg_stat_activity where wait_event_type = 'Lock' and query ilike ${`%${table}%`}`;
      return row!.waiting > 0 || undefined;
    }, 60_000, `a worker's write to ${table} to wait on the lock`);
  } finally {
    await sql.end();
  }
}

describe("a unit's workflow task lost with its worker", () => {
  it('is given to the next worker after the unit\'s 4 s task timeout, and the submission in it is answered once', { timeout: 180_000 }, async () => {
    const first = spawnWorker(workerEnv);
    const slug = uniqueSlug('losttask');
    const definition = hanoi2019Campaign({ slug, unitsPerGroup: 1, timeline: farTimeline() });
    const campaignId = `par-2019-${slug}`;
    const campaign = await client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', { workflowId: campaignId, taskQueue, args: [{ definition, startedBy: 'admin:SNV/snv-admin' }] });
    await campaign.executeUpdate(awaitRecordedUpdate);
    await campaign.executeUpdate(publishGuidanceUpdate, { args: [{ actor: snvAdmin, document: { name: 'hd.pdf', ref: 'f' }, note: '' }] });
    const unit = definition.units[0]!;
    const handle = client.workflow.getHandle(unitWorkflowId(campaignId, unit.code));
    await eventually(async () => (await handle.query(unitProgressQuery)).stage === 'self_assessment' || undefined, 60_000, 'the unit workflow');
    // The campaign's own projection of its stage done first: the only write left to wait on the lock is the unit's.
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    await eventually(async () => (await sql`select 1 from campaigns where id = ${campaignId} and stage = 'self_assessment'`).length > 0 || undefined, 60_000, 'the campaign in self-assessment');

    // A submission projects in a local activity, inside the workflow task: held in the lock, the task stays with this worker.
    const release = await holdLock('campaign_events');
    const answered = handle.executeUpdate(submitSelfAssessmentUpdate, {
      args: [{ actor: { id: unit.code.toLowerCase(), role: 'unit', unitCode: unit.code }, approvedBy: 'Thủ trưởng đơn vị', scores: fullSelfAssessment(definition.framework.groups[unit.group]!) }],
    });
    await waitingOnLock('campaign_events');
    await first.kill();
    spawnWorker(workerEnv);
    await release();
    expect((await answered).stage).toBe('appraisal_round_1');

    const events = (await handle.fetchHistory()).events ?? [];
    expect(Number(events[0]!.workflowExecutionStartedEventAttributes!.workflowTaskTimeout?.seconds)).toBe(4);
    const lost = events.filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    expect(lost.map((event) => TimeoutType[event.workflowTaskTimedOutEventAttributes!.timeoutType ?? 0])).toContain('TIMEOUT_TYPE_START_TO_CLOSE');
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from campaign_events where campaign_id = ${campaignId} and action = 'self_assessment_submitted'`;
    await sql.end();
    expect(row!.n).toBe(1);
  });
});
