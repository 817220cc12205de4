import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { submitSurveyPlanUpdate } from '../../workflows/messages';
import type { surveyWorkflow } from '../../workflows/survey';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { uniqueSlug } from './helpers/stack';
import { eventually } from './helpers/wait';
import { killWorkerProcesses, spawnWorker } from './helpers/worker-process';

/*
 * A step waits on the projection of what it changed (the `project` activity).
 * When the worker running that attempt dies (SIGKILL, OOM), nothing tells the
 * server; it gives up on the attempt when a timeout of the attempt ends, and
 * the step waits until then. With only the 30 s start-to-close timeout, that
 * was the 30 s stall seen after worker kills (docs/decisions.md). The attempt
 * now heartbeats while it runs and is scheduled with a 5 s heartbeat timeout.
 *
 * The mechanism is asserted, never the time: the projection is held in a lock
 * wait (the test locks campaign_events), and the history says which timeout
 * ended an attempt. Worker processes are real (worker/main.ts), killed with
 * SIGKILL.
 */

const { TimeoutType, EventType } = proto.temporal.api.enums.v1;
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

/** A survey workflow (its steps project through `project`), and its plan sent while campaign_events is locked. */
async function planWhileLocked(): Promise<{ handle: WorkflowHandle<typeof surveyWorkflow>; answered: Promise<unknown>; release: () => Promise<void> }> {
  const campaignId = `par-2019-${uniqueSlug('lost')}`;
  const handle = await client.workflow.start<typeof surveyWorkflow>('surveyWorkflow', {
    workflowId: `${campaignId}/survey`,
    taskQueue,
    args: [{ campaignId, year: 2019, units: [], maxPointsCentiByGroup: {} }],
  });
  // A transaction of its own holds the lock until release(): every projection waits on it.
  const holder = postgres(database.url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = holder.begin(async (sql) => {
    await sql`lock table campaign_events in access exclusive mode`;
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
  const answered = handle.executeUpdate(submitSurveyPlanUpdate, { args: [{ actor: institute, document: { name: 'ke-hoach.pdf', ref: 'file-kh' }, summary: 'Kế hoạch' }] });
  // The attempt has started: the worker runs it and it waits in the lock.
  await eventually(async () => {
    const { raw } = await handle.describe();
    return raw.pendingActivities?.some((activity) => activity.activityType?.name === 'project' && activity.state === proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) || undefined;
  }, 60_000, 'the project attempt to start');
  return { handle, answered, release: releaseLock };
}

/**
 * How each `project` attempt of the workflow that the server gave up on ended, by timeout type. A retried
 * attempt leaves no event of its own: the started event of the attempt that completed carries the failure
 * of the one before it (lastFailure), with its attempt number.
 */
async function projectTimeouts(handle: WorkflowHandle): Promise<string[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const projects = new Set(
    events.filter((event) => event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && event.activityTaskScheduledEventAttributes?.activityType?.name === 'project').map((event) => String(event.eventId)),
  );
  return events
    .map((event) => event.activityTaskStartedEventAttributes)
    .filter((started) => started && projects.has(String(started.scheduledEventId)) && started.lastFailure?.timeoutFailureInfo)
    .map((started) => TimeoutType[started!.lastFailure!.timeoutFailureInfo!.timeoutType ?? 0]!);
}

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
    // Held until the server has a beat from the first attempt more than the 5 s heartbeat timeout of `project`
    // (workflows/projector.ts) after it started, with its worker alive.
    const ms = (at: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(String(at?.seconds ?? 0)) * 1000 + (at?.nanos ?? 0) / 1e6;
    await eventually(async () => {
      const { raw } = await handle.describe();
      const attempt = raw.pendingActivities?.find((activity) => activity.activityType?.name === 'project');
      return (attempt?.attempt === 1 && ms(attempt.lastHeartbeatTime) - ms(attempt.lastStartedTime) > 5_000) || undefined;
    }, 60_000, 'a beat of the first attempt past the heartbeat timeout');
    await release();
    await answered;
    expect(await projectTimeouts(handle)).toEqual([]);
  });
});
