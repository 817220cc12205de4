import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { composeApi } from '../../server/compose';
import { createProjectionIntentRepository } from '../../db/repositories/projection-intents';
import { withStepMarks } from '../../domain/returned-marks';
import { unitWorkflowId } from '../../domain/units';
import { fullSelfAssessment } from '../../seed/scores';
import { scoresToWire } from '../../api/wire/unit';
import { submitSelfAssessmentReturningUpdate, unitProgressQuery, type Returned, type UnitProgress } from '../../contracts/messages';
import { TEST_API_SETTINGS, bearer } from '../helpers/auth';
import { freePort } from './global-setup';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { recordHistories } from './helpers/histories';
import { openReminderUnits, startReminderCampaign } from './helpers/reminder-campaign';
import { uniqueSlug } from './helpers/stack';
import { eventually } from './helpers/wait';
import { killWorkerProcesses, spawnWorker, waitForPolling, type WorkerProcess } from './helpers/worker-process';

/*
 * A self-assessment is answered by its unit workflow once it is in the
 * workflow's history, and the API projects it afterwards
 * (application/services/returned-projection.ts). Here the API and the worker
 * are processes of their own (server/main.ts, worker/main.ts, configured by
 * environment as in the image). The test holds a lock on the unit's row, so
 * that the API's projection transaction waits after the workflow has
 * answered; kills both processes there; and starts them again. The new API's
 * sweeper finds the step's intent, asks Temporal for the update's outcome and
 * projects it, once.
 */

const scratch = mkdtempSync(join(tmpdir(), 'par-returned-kill-'));
let database: TestDatabase;
let sql: postgres.Sql;
let connection: Connection;
let client: Client;
let setupApp: FastifyInstance;
let taskQueue: string;
let processEnv: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  sql = postgres(database.url, { max: 3, onnotice: () => {} });
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  const bundlePath = join(scratch, 'workflows.js');
  writeFileSync(bundlePath, inject('workflowBundleCode'));
  taskQueue = `test-${uniqueSlug('rpk')}`;
  // The campaign is set up through an API in this process, whose sweeper is off: only the API processes project late.
  setupApp = await composeApi({ db: database.db, temporal: client, taskQueue, logger: false, settings: { ...TEST_API_SETTINGS, PROJECTION_SWEEP_EVERY_MS: 0 } });
  processEnv = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    JWT_SECRET: TEST_API_SETTINGS.JWT_SECRET,
    TEMPORAL_CALL_TIMEOUT_MS: String(TEST_API_SETTINGS.TEMPORAL_CALL_TIMEOUT_MS),
    PROJECTION_STALE_AFTER_MS: '1000',
    PROJECTION_SWEEP_EVERY_MS: '500',
  };
});
afterAll(async () => {
  await killWorkerProcesses();
  await setupApp?.close();
  await connection?.close();
  await sql?.end();
  await database?.destroy();
  rmSync(scratch, { recursive: true, force: true });
});

/** The worker and the API as processes, once the worker polls and the API answers. */
async function startProcesses(): Promise<{ worker: WorkerProcess; api: WorkerProcess; url: string }> {
  const port = await freePort();
  const worker = spawnWorker(processEnv);
  const api = spawnWorker({ ...processEnv, API_HOST: '127.0.0.1', API_PORT: String(port) }, 'server/main.ts');
  await waitForPolling(client, taskQueue, worker);
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${url}/health`).catch(() => null))?.ok, 120_000, 'the API process to answer');
  return { worker, api, url };
}

describe('a self-assessment projected by the API', () => {
  it('is projected exactly once when the API and the worker are killed between the workflow’s answer and the projection’s commit', { timeout: 600_000 }, async () => {
    const first = await startProcesses();
    const { campaignId, definition } = await startReminderCampaign(setupApp, { unitsPerGroup: 1, beforeSeconds: 3_600 });
    await openReminderUnits(client, campaignId, definition.units.length);
    const unit = definition.units[0]!;
    const unitHandle = client.workflow.getHandle(unitWorkflowId(campaignId, unit.code));
    const marks = fullSelfAssessment(definition.framework.groups[unit.group]!);

    // Held by the test: the projection's transaction waits on the unit's row once the workflow has answered.
    const holder = await sql.reserve();
    await holder`begin`;
    await holder`select 1 from campaign_units where campaign_id = ${campaignId} and unit_code = ${unit.code} for update`;
    const idempotencyKey = `kill-${uniqueSlug('k')}`;
    const answer = fetch(`${first.url}/campaigns/${campaignId}/units/${unit.code}/self-assessment`, {
      method: 'POST',
      headers: { ...(await bearer({ id: unit.code.toLowerCase(), role: 'unit', unitCode: unit.code })), 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify({ scores: scoresToWire(marks), approved_by: 'Thủ trưởng đơn vị' }),
    }).catch((error: unknown) => error);
    await eventually(async () => (await unitHandle.query(unitProgressQuery)).stage === 'appraisal_round_1', 120_000, 'the workflow to accept the step');
    await eventually(
      async () => {
        const [row] = await sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
        return (row?.n ?? 0) > 0;
      },
      60_000,
      'the API’s projection to wait on the held row',
    );
    await Promise.all([first.api.kill(), first.worker.kill()]);
    await holder`rollback`;
    holder.release();
    // The HTTP request died with its process; the read model has nothing of the step, and its intent remains.
    expect(await answer).toBeInstanceOf(Error);
    // The update's ID is the step's name, the caller's key and the body's digest.
    const intents = await sql<{ workflow_id: string; update_id: string }[]>`select workflow_id, update_id from projection_intents`;
    expect(intents).toEqual([{ workflow_id: unitHandle.workflowId, update_id: expect.stringMatching(new RegExp(`^${submitSelfAssessmentReturningUpdate.name}/${idempotencyKey}/[\\w-]+$`)) }]);
    const updateId = intents[0]!.update_id;
    expect(await sql`select count(*)::int as n from score_entries where campaign_id = ${campaignId} and unit_code = ${unit.code}`).toEqual([{ n: 0 }]);
    expect(await sql`select stage, status from campaign_units where campaign_id = ${campaignId} and unit_code = ${unit.code}`).toEqual([
      { stage: 'self_assessment', status: 'pending' },
    ]);

    await startProcesses();
    await eventually(async () => (await sql`select 1 from projection_intents`).length === 0 || undefined, 120_000, 'the restarted API to sweep the intent');

    const events = await sql`select action, idempotency_key from campaign_events where campaign_id = ${campaignId} and unit_code = ${unit.code} order by id`;
    expect(events.filter((event) => event.action === 'self_assessment_submitted')).toHaveLength(1);
    expect(events.filter((event) => event.action === 'stage_changed')).toHaveLength(1);
    // Each mark whole, its note and evidence rejoined from the step the update carried (the workflow returned points only).
    const stored = await sql`select subcriterion_code, note, evidence from score_entries where campaign_id = ${campaignId} and unit_code = ${unit.code} and score_column = 'self'`;
    expect(stored).toHaveLength(marks.length);
    for (const mark of marks) expect(stored.find((row) => row.subcriterion_code === mark.code)).toMatchObject({ note: mark.note, evidence: mark.evidence });
    const returned = await unitHandle.getUpdateHandle<Returned<UnitProgress>>(updateId).result();
    const [state] = await sql`select stage, status, submitted_at is not null as submitted, state_seq from campaign_units where campaign_id = ${campaignId} and unit_code = ${unit.code}`;
    expect(state).toEqual({ stage: 'appraisal_round_1', status: 'submitted', submitted: true, state_seq: Number(returned.changes.at(-1)!.idempotencyKey.split('#')[1]) });

    // The same outcome projected again (another API's sweeper, a retried request) applies nothing.
    const again = await createProjectionIntentRepository(database.db).applyReturned([
      { intent: { workflowId: unitHandle.workflowId, updateId, campaignId }, changes: returned.changes.map((one) => withStepMarks(one, marks)) },
    ]);
    expect(again.applied).toBe(0);
    expect(await sql`select count(*)::int as n from campaign_events where campaign_id = ${campaignId} and unit_code = ${unit.code}`).toEqual([{ n: events.length }]);
    await recordHistories({ 'unit-self-assessment-returned': unitHandle });
  });
});
