import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryRow } from '../../db/repositories/notifications';
import { createContactRepository } from '../../db/repositories/contacts';
import { createNotificationRepository } from '../../db/repositories/notifications';
import { createSmtpMailer } from '../../notifications/mailer';
import { hanoi2019Contacts } from '../../seed/contacts-hanoi-2019';
import { unitWorkflowId } from '../../domain/units';
import { progressQuery } from '../../contracts/messages';
import { SmtpSink } from './reminders-smtp-sink';
import { startStack, type TestStack } from './helpers/stack';
import { recordHistories } from './helpers/histories';
import { openReminderUnits, startReminderCampaign } from './helpers/reminder-campaign';
import { eventually } from './helpers/wait';

let stack: TestStack;
let sink: SmtpSink;
/** Campaigns whose first SMTP attempt per delivery "crashes" after the server accepted the message. */
const crashAfterSend = new Set<string>();
const crashed: DeliveryRow[] = [];
/** Campaigns whose first attempt per delivery "crashes" while the message waits for an SMTP connection. */
const crashBeforeHandover = new Set<string>();
const crashedWaiting: DeliveryRow[] = [];
/** Short, so a retry takes over a claim left by a "crashed" attempt within the test. */
const SENDING_LEASE_MS = 1_500;

beforeAll(async () => {
  sink = new SmtpSink();
  await sink.start();
  const mailer = createSmtpMailer({ host: '127.0.0.1', port: sink.port, secure: false, from: 'Sở Nội vụ <no-reply@par.example.vn>', timeoutMs: 3_000 });
  stack = await startStack({
    notifications: {
      mailer,
      publicUrl: 'https://par.example.vn',
      // Fault injection through the activity's deps: the worker "dies" between the SMTP send and recording 'sent'.
      sendingLeaseMs: SENDING_LEASE_MS,
      faults: {
        beforeHandover(delivery) {
          if (crashBeforeHandover.has(delivery.campaignId) && !crashedWaiting.some((row) => row.id === delivery.id)) {
            crashedWaiting.push(delivery);
            throw new Error('simulated worker crash while the message waits for an SMTP connection');
          }
        },
        afterSmtpSend(delivery) {
          if (crashAfterSend.has(delivery.campaignId) && delivery.attempts === 1) {
            crashed.push(delivery);
            throw new Error('simulated worker crash after the SMTP server accepted the message');
          }
        },
      },
    },
  });
  await createContactRepository(stack.database.db).createMany(hanoi2019Contacts());
});
afterAll(async () => {
  await stack?.stop();
  await sink?.stop();
});

describe('reminder delivery under failure', () => {
  it('sends a message again with the same Message-ID when the worker dies after the SMTP send and before recording it: one copy per inbox', async () => {
    const { campaignId, remindSoon } = await startReminderCampaign(stack.app, { unitsPerGroup: 1, beforeSeconds: 20 });
    crashAfterSend.add(campaignId);
    await openReminderUnits(stack.client, campaignId, 2);
    const dueAt = await remindSoon(5);
    const repo = createNotificationRepository(stack.database.db);
    const settled = await eventually(async () => {
      const rows = await repo.listDeliveries({ campaignId });
      return rows.length === 4 && rows.every((row) => row.status === 'sent') ? rows : undefined;
    }, dueAt - Date.now() + 60_000, 'the retries to send again');

    // Every first attempt "crashed" after the server had the message; once its claim ran out, a retry sent it again.
    expect(crashed.filter((row) => row.campaignId === campaignId)).toHaveLength(4);
    for (const row of settled) {
      expect(row.attempts).toBe(2);
      expect(row.lastError).toContain('same Message-ID');
      const copies = sink.received.filter((mail) => mail.messageId === row.messageId);
      expect(copies, `two copies at the relay for ${row.recipientEmail}`).toHaveLength(2);
      expect(copies.every((mail) => mail.to.join() === row.recipientEmail)).toBe(true);
      // A receiver keeps one: the copies share the Message-ID.
      expect(sink.inboxes().filter((entry) => entry.messageId === row.messageId)).toEqual([{ to: row.recipientEmail, messageId: row.messageId, copies: 2 }]);
    }
  });

  it('leaves a message that waits for an SMTP connection queued when the worker dies, and the retry sends it once', async () => {
    const { campaignId, remindSoon } = await startReminderCampaign(stack.app, { unitsPerGroup: 1, beforeSeconds: 20 });
    crashBeforeHandover.add(campaignId);
    await openReminderUnits(stack.client, campaignId, 2);
    const dueAt = await remindSoon(5);
    const repo = createNotificationRepository(stack.database.db);
    const settled = await eventually(async () => {
      const rows = await repo.listDeliveries({ campaignId });
      return rows.length === 4 && rows.every((row) => row.status === 'sent') ? rows : undefined;
    }, dueAt - Date.now() + 60_000, 'the retries to send');
    expect(crashedWaiting.filter((row) => row.campaignId === campaignId).map((row) => row.status)).toEqual(['queued', 'queued', 'queued', 'queued']);
    for (const row of settled) {
      // Never claimed by the attempt that "crashed": one attempt, one copy.
      expect(row.attempts).toBe(1);
      expect(sink.received.filter((mail) => mail.messageId === row.messageId)).toHaveLength(1);
    }
  });

  it('retries an SMTP outage with backoff and delivers once the server is back, without blocking the campaign', async () => {
    const { campaignId, definition, remindSoon } = await startReminderCampaign(stack.app, { unitsPerGroup: 1, beforeSeconds: 20 });
    await openReminderUnits(stack.client, campaignId, 2);
    await sink.stop();
    const repo = createNotificationRepository(stack.database.db);
    // The relay is started again whatever happens here: the next test sends through it.
    try {
      const dueAt = await remindSoon(5);
      const failed = await eventually(async () => {
        const rows = await repo.listDeliveries({ campaignId });
        // Three quick attempts inside the unit's workflow task, then at least one by the regular activity.
        return rows.length === 4 && rows.every((row) => row.status === 'failed' && row.attempts >= 4) ? rows : undefined;
      }, dueAt - Date.now() + 60_000, 'failed attempts while the SMTP server is down');
      expect(failed[0]!.lastError).toBeTruthy();
      // The campaign is not held up: its units still answer and move on their own timers.
      expect((await stack.client.workflow.getHandle(campaignId).query(progressQuery)).unitsStarted).toBe(2);
    } finally {
      await sink.start();
    }
    const sent = await eventually(async () => {
      const rows = await repo.listDeliveries({ campaignId });
      return rows.every((row) => row.status === 'sent') ? rows : undefined;
    }, 90_000, 'delivery after the SMTP server is back');
    for (const row of sent) expect(sink.received.filter((mail) => mail.messageId === row.messageId)).toHaveLength(1);

    // The quick attempts inside the unit's workflow task gave up and handed the reminder to a regular activity,
    // which kept retrying (reminders-v2): the outage cost the unit's history one activity, not a marker per attempt.
    const unit = stack.client.workflow.getHandle(unitWorkflowId(campaignId, definition.units[0]!.code));
    const events = (await unit.fetchHistory()).events ?? [];
    const scheduled = events.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverReminder');
    expect(scheduled).toHaveLength(1);
    await recordHistories({ 'unit-reminder-smtp-outage': unit });
  });

  it('delivers a reminder due at the same instant to every unit of a 52-unit campaign exactly once', async () => {
    const { campaignId, definition, remindSoon } = await startReminderCampaign(stack.app, { beforeSeconds: 20 });
    await openReminderUnits(stack.client, campaignId, definition.units.length);
    const dueAt = await remindSoon(20);
    const repo = createNotificationRepository(stack.database.db);
    const rows = await eventually(async () => {
      const found = await repo.listDeliveries({ campaignId, limit: 1000 });
      return found.length === 2 * definition.units.length && found.every((row) => row.status === 'sent') ? found : undefined;
    }, dueAt - Date.now() + 200_000, 'every unit’s reminder delivered');
    expect(new Set((await repo.listDispatches(campaignId)).map((row) => row.unitCode)).size).toBe(definition.units.length);
    const ids = new Set(rows.map((row) => row.messageId));
    const received = sink.received.filter((mail) => mail.messageId !== null && ids.has(mail.messageId));
    expect(received).toHaveLength(rows.length);
    expect(new Set(received.map((mail) => mail.messageId)).size).toBe(rows.length);
  }, 600_000);
});
