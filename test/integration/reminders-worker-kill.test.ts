import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { composeApi } from '../../server/compose';
import { createContactRepository } from '../../db/repositories/contacts';
import { createNotificationRepository, type DeliveryRow } from '../../db/repositories/notifications';
import { toVietnamIso } from '../../domain/deadlines';
import { unitWorkflowId } from '../../domain/units';
import { SMTP_CONNECTIONS } from '../../notifications/mailer';
import { hanoi2019Contacts } from '../../seed/contacts-hanoi-2019';
import { unitDeadlinesSignal } from '../../contracts/messages';
import { TEST_API_SETTINGS } from '../helpers/auth';
import { freePort } from './global-setup';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { recordHistories } from './helpers/histories';
import { openReminderUnits, startReminderCampaign } from './helpers/reminder-campaign';
import { uniqueSlug } from './helpers/stack';
import { eventually } from './helpers/wait';
import { killWorkerProcesses, spawnWorker, waitForPolling, type WorkerProcess } from './helpers/worker-process';
import { SmtpSink } from './reminders-smtp-sink';

/*
 * Reminder e-mail when the worker process is SIGKILLed: the worker runs as its
 * own process (worker/main.ts, or a copy of it that stops every e-mail before the
 * handover to SMTP), the SMTP server is real (smtp-server, 100 ms to accept each
 * message, like a relay under load), and the test kills the process at a chosen
 * moment and starts another. Each campaign's deadlines are months away until
 * its units run; then Sở Nội vụ moves the self-assessment deadline so that the
 * reminder falls due as soon as every unit can know it (remindSoon). Each test
 * has a task queue, an API and workers of its own: a test that fails or times
 * out leaves its workflows on a queue nothing polls again, never on the next
 * test's worker.
 */

const scratch = mkdtempSync(join(tmpdir(), 'par-reminder-kill-'));
let database: TestDatabase;
let sink: SmtpSink;
let connection: Connection;
let client: Client;
let app: FastifyInstance;
let bundlePath: string;
let workerEnv: Record<string, string>;
let taskQueue: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await createContactRepository(database.db).createMany(hanoi2019Contacts());
  sink = new SmtpSink(await freePort(), { delayMs: 100 });
  await sink.start();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  bundlePath = join(scratch, 'workflows.js');
  writeFileSync(bundlePath, inject('workflowBundleCode'));
});
beforeEach(async () => {
  taskQueue = `test-${uniqueSlug('kill')}`;
  app = await composeApi({ db: database.db, temporal: client, taskQueue, logger: false, settings: TEST_API_SETTINGS });
  workerEnv = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    PUBLIC_URL: 'https://par.example.vn',
  };
});
afterEach(async () => {
  await killWorkerProcesses();
  await app?.close();
});
afterAll(async () => {
  await killWorkerProcesses();
  await connection?.close();
  await sink?.stop();
  await database?.destroy();
  rmSync(scratch, { recursive: true, force: true });
});

const HOLDING_WORKER = 'test/integration/helpers/worker-holding-handover.ts';

async function deliveriesOf(campaignId: string): Promise<DeliveryRow[]> {
  return createNotificationRepository(database.db).listDeliveries({ campaignId, limit: 1000 });
}

/** A worker process started from `entry`, once it polls the test's task queue. */
async function startWorker(entry?: string): Promise<WorkerProcess> {
  const worker = spawnWorker(workerEnv, entry);
  await waitForPolling(client, taskQueue, worker);
  return worker;
}

/** What the relay's inboxes hold of these rows: copies per row, by recipient and Message-ID. */
function copiesAtRelay(rows: DeliveryRow[]): number[] {
  const inboxes = sink.inboxes();
  return rows.map((row) => inboxes.find((entry) => entry.to === row.recipientEmail && entry.messageId === row.messageId)?.copies ?? 0);
}

describe('reminder e-mail when the worker process is killed', () => {
  it('delivers every e-mail of a 52-unit reminder burst to its inbox once when the worker is SIGKILLed in the middle of it', { timeout: 600_000 }, async () => {
    const worker = await startWorker();
    const { campaignId, definition, remindSoon } = await startReminderCampaign(app, { beforeSeconds: 20 });
    await openReminderUnits(client, campaignId, definition.units.length);
    const dueAt = await remindSoon(20);
    const expected = 2 * definition.units.length;
    // Killed once the relay has a fifth of the burst: the rest is recorded and waits for a connection, or is in an exchange.
    await eventually(async () => {
      const ids = new Set((await deliveriesOf(campaignId)).map((row) => row.messageId));
      return sink.received.filter((mail) => mail.messageId !== null && ids.has(mail.messageId)).length >= expected / 5 || undefined;
    }, dueAt - Date.now() + 120_000, 'the burst to start');
    await worker.kill();
    const before = await deliveriesOf(campaignId);
    const waiting = before.filter((row) => row.status === 'queued').length;
    spawnWorker(workerEnv);

    const rows = await eventually(async () => {
      const found = await deliveriesOf(campaignId);
      return found.length === expected && found.every((row) => row.status === 'sent') ? found : undefined;
    }, 180_000, 'every e-mail sent after the restart');
    // The kill left part of the burst waiting for a connection: those were never claimed, and were sent by the new worker.
    expect(waiting).toBeGreaterThan(0);
    // One message per inbox (receivers keep one copy per Message-ID); only an exchange in flight at the kill may have gone twice.
    const copies = copiesAtRelay(rows);
    expect(copies.every((n) => n >= 1)).toBe(true);
    expect(copies.reduce((sum, n) => sum + n - 1, 0)).toBeLessThanOrEqual(SMTP_CONNECTIONS);
    expect(new Set(sink.inboxes().filter((entry) => rows.some((row) => row.messageId === entry.messageId)).map((entry) => `${entry.to} ${entry.messageId}`)).size).toBe(expected);
  });

  it('sends the e-mails of a reminder recorded just before the kill, once, when the unit still owes its step', { timeout: 300_000 }, async () => {
    const held = await startWorker(HOLDING_WORKER);
    const { campaignId, remindSoon } = await startReminderCampaign(app, { unitsPerGroup: 1, beforeSeconds: 20 });
    await openReminderUnits(client, campaignId, 2);
    const dueAt = await remindSoon(5);
    await held.waitFor(/HELD \d+[\s\S]*HELD \d+[\s\S]*HELD \d+[\s\S]*HELD \d+/, dueAt - Date.now() + 150_000);
    await held.kill();
    expect((await deliveriesOf(campaignId)).map((row) => row.status)).toEqual(['queued', 'queued', 'queued', 'queued']);

    spawnWorker(workerEnv);
    const rows = await eventually(async () => {
      const found = await deliveriesOf(campaignId);
      return found.every((row) => row.status === 'sent') ? found : undefined;
    }, 120_000, 'the reminders sent by the new worker');
    expect(copiesAtRelay(rows)).toEqual([1, 1, 1, 1]);
    expect(rows.map((row) => row.attempts)).toEqual([1, 1, 1, 1]);
  });

  it('cancels, with the reason, the e-mails of a reminder recorded just before the kill when the unit moved on in the task that replaced the lost one', { timeout: 300_000 }, async () => {
    const held = await startWorker(HOLDING_WORKER);
    const { campaignId, definition, remindSoon } = await startReminderCampaign(app, { unitsPerGroup: 1, beforeSeconds: 20 });
    await openReminderUnits(client, campaignId, 2);
    const dueAt = await remindSoon(5);
    await held.waitFor(/HELD \d+[\s\S]*HELD \d+[\s\S]*HELD \d+[\s\S]*HELD \d+/, dueAt - Date.now() + 150_000);
    // While the lost tasks hold the reminders, each unit's deadline moves: the task that replaces the lost one
    // gets the reminder's timer and the move together, and the unit no longer owes that reminder.
    const later = toVietnamIso(Date.now() + 3_600_000);
    for (const unit of definition.units) {
      await client.workflow
        .getHandle(unitWorkflowId(campaignId, unit.code))
        .signal(unitDeadlinesSignal, { changeId: `move-${unit.code}`, scope: 'unit', key: 'self_assessment_due', deadline: later, actor: 'snv-admin', reason: 'gia hạn' });
    }
    await held.kill();

    spawnWorker(workerEnv);
    const rows = await eventually(async () => {
      const found = await deliveriesOf(campaignId);
      return found.every((row) => row.status === 'cancelled') ? found : undefined;
    }, 120_000, 'the e-mails of the reminders no longer owed cancelled');
    for (const row of rows) expect(row.lastError).toBe('no longer owed: the deadline moved before the reminder was sent');
    expect(copiesAtRelay(rows)).toEqual([0, 0, 0, 0]);
    await recordHistories({ 'unit-reminder-moved-on-after-kill': client.workflow.getHandle(unitWorkflowId(campaignId, definition.units[0]!.code)) });
  });
});
