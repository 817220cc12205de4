import { createHash } from 'node:crypto';
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { ContactRepository } from '../db/repositories/contacts';
import type { DeliveryRow, NewDelivery, NewNotification, NotificationRepository } from '../db/repositories/notifications';
import { PERMANENT_SMTP_ERROR, resolveReminderPolicy, type ContactRole, type ReminderDispatch, type ReminderPolicy } from '../domain/reminders';
import type { Mailer } from '../notifications/mailer';
import { renderInboxMessage, renderMessage, unitLink, type MessageInput } from '../notifications/templates';

/** Test seams for the failure paths (fault injection through deps, never a global). */
export interface NotificationFaults {
  /** Runs while the message waits for an SMTP connection, before the delivery is claimed; throwing simulates a crash there. */
  beforeHandover?(delivery: DeliveryRow): void | Promise<void>;
  /** Runs after the SMTP server accepted a message and before 'sent' is recorded; throwing simulates a crash there. */
  afterSmtpSend?(delivery: DeliveryRow): void | Promise<void>;
}

/**
 * How long a claim ('sending') holds without being renewed before another
 * attempt takes it as stopped and sends again; renewed every third of it
 * while the SMTP exchange lasts.
 */
export const SENDING_LEASE_MS = 15_000;

export interface NotificationActivityDeps {
  notifications: Pick<
    NotificationRepository,
    'unitContext' | 'reminderPolicy' | 'recordDispatch' | 'getDelivery' | 'claimDelivery' | 'renewClaim' | 'settleDelivery' | 'cancelUnsent'
  >;
  contacts: Pick<ContactRepository, 'listByRoles'>;
  /** null: no SMTP configured; e-mail is recorded as skipped and the inbox still gets the message. */
  mailer: Mailer | null;
  /** Base of the link in every message (runtime/config.ts publicUrl()). */
  publicUrl: string;
  faults?: NotificationFaults;
  /** SENDING_LEASE_MS unless a test shortens it. */
  sendingLeaseMs?: number;
}

/** Mailbox unavailable / not local / name not allowed: the recipient, not the server, is the problem. */
const PERMANENT_SMTP_CODES = [550, 551, 553];

export type SendOutcome = 'sent' | 'already_sent' | 'unconfirmed' | 'cancelled' | 'skipped';

/** A Message-ID that is the same on every attempt for the same delivery. */
export function deterministicMessageId(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@par-index>`;
}

export interface DeliveryReport {
  sent: number;
  /** Already sent by an earlier attempt, cancelled (no longer owed), unconfirmed, skipped or refused for good by the recipient's server. */
  other: number;
}

/**
 * Reminder delivery: prepare records the reminder, its inbox messages and its
 * queued e-mails in one transaction (idempotent by key); sendOne sends one
 * e-mail at most once (see notifications/README.md). deliverReminder does both
 * for the unit workflow; prepareReminder and sendReminderEmail are the same
 * steps for the reminder child workflows of runs started before reminders-v2.
 */
export function createNotificationActivities({ notifications, contacts, mailer, publicUrl, faults, sendingLeaseMs = SENDING_LEASE_MS }: NotificationActivityDeps) {
  async function prepare(dispatch: ReminderDispatch): Promise<{ deliveryIds: number[]; inbox: number }> {
    const context = await notifications.unitContext(dispatch.campaignId, dispatch.unitCode);
    const campaignName = context?.campaignName ?? dispatch.campaignId;
    const unitName = context?.unitName ?? dispatch.unitCode;
    const link = unitLink(publicUrl, dispatch.campaignId, dispatch.unitCode);
    const base: Omit<MessageInput, 'audience'> = {
      kind: dispatch.kind,
      campaignName,
      unitCode: dispatch.unitCode,
      unitName,
      stage: dispatch.stage,
      deadlineMs: dispatch.deadlineMs,
      missing: dispatch.missing,
      link,
    };

    // Reminders go to the unit's head and staff; an escalation to its head and to the coordinators.
    const unitPeople = await contacts.listByRoles(dispatch.unitCode, dispatch.kind === 'reminder' ? ['head', 'staff'] : ['head']);
    const recipients: { name: string; email: string; role: ContactRole; audience: 'unit' | 'coordinator' }[] = unitPeople.map((c) => ({
      name: c.name,
      email: c.email,
      role: c.role,
      audience: 'unit',
    }));
    const inboxFor: { recipient: string; audience: 'unit' | 'coordinator' }[] = [{ recipient: dispatch.unitCode, audience: 'unit' }];
    if (dispatch.kind === 'escalation') {
      const coordinators = await contacts.listByRoles(dispatch.coordinatorUnit, ['coordinator']);
      for (const person of [...coordinators, ...dispatch.coordinators.map((c) => ({ ...c, role: 'coordinator' }))]) {
        recipients.push({ name: person.name, email: person.email, role: 'coordinator', audience: 'coordinator' });
      }
      if (dispatch.coordinatorUnit !== dispatch.unitCode) inboxFor.push({ recipient: dispatch.coordinatorUnit, audience: 'coordinator' });
    }
    const seen = new Set<string>();
    const unique = recipients.filter((person) => {
      const key = person.email.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });

    const deadline = new Date(dispatch.deadlineMs);
    const messages: NewNotification[] = inboxFor.map(({ recipient, audience }) => {
      const { title, body } = renderInboxMessage({ ...base, audience });
      return {
        idempotencyKey: `${dispatch.key}/${recipient}`,
        dispatchKey: dispatch.key,
        recipient,
        campaignId: dispatch.campaignId,
        unitCode: dispatch.unitCode,
        stage: dispatch.stage,
        kind: dispatch.kind,
        title,
        body,
        link,
        deadline,
      };
    });
    const deliveries: NewDelivery[] = unique.map((person) => {
      const idempotencyKey = `${dispatch.key}/${person.email.toLowerCase()}`;
      const rendered = renderMessage({ ...base, audience: person.audience, recipientName: person.name });
      return {
        idempotencyKey,
        dispatchKey: dispatch.key,
        campaignId: dispatch.campaignId,
        unitCode: dispatch.unitCode,
        stage: dispatch.stage,
        recipientEmail: person.email.toLowerCase(),
        recipientName: person.name,
        recipientRole: person.role,
        ...rendered,
        messageId: deterministicMessageId(idempotencyKey),
        status: mailer ? 'queued' : 'skipped',
      };
    });
    const rows = await notifications.recordDispatch(
      {
        key: dispatch.key,
        campaignId: dispatch.campaignId,
        unitCode: dispatch.unitCode,
        stage: dispatch.stage,
        kind: dispatch.kind,
        offset: dispatch.offset,
        deadline,
        dueAt: new Date(dispatch.dueAtMs),
      },
      messages,
      deliveries,
    );
    log.info('reminder recorded', { key: dispatch.key, inbox: messages.length, emails: rows.length });
    return { deliveryIds: rows.filter((row) => row.status !== 'skipped').map((row) => row.id), inbox: messages.length };
  }

  /** What a settled (or vanished) row means to the caller; null while it is still to be sent. */
  function settledOutcome(row: DeliveryRow | null): SendOutcome | null {
    if (row === null) return 'cancelled';
    if (row.status === 'sent') return 'already_sent';
    if (row.status === 'cancelled' || row.status === 'skipped' || row.status === 'unconfirmed') return row.status;
    return null;
  }

  /**
   * Sends one e-mail, and once per inbox (notifications/README.md). The row is
   * claimed ('sending') only when a connection is free and the message is handed
   * to the SMTP server, so a message still waiting for a connection when the
   * worker dies is still 'queued' and the retry sends it. An SMTP error puts it
   * back to 'failed' and throws, so Temporal retries with backoff. A claim left
   * unrenewed for its lease belongs to an attempt that stopped during the
   * exchange: the retry sends the message again with the same Message-ID, by
   * which receivers drop a copy they already have; a claim still renewed belongs
   * to a live attempt, and the retry waits for it.
   */
  async function sendOne(input: { deliveryId: number }): Promise<SendOutcome> {
    const row = await notifications.getDelivery(input.deliveryId);
    const settled = settledOutcome(row);
    if (settled !== null || row === null) return settled ?? 'cancelled';
    if (!mailer) {
      await notifications.settleDelivery(row.id, 'skipped', { fromStatus: row.status });
      return 'skipped';
    }
    // A mail held back by an SMTP outage or a crash must not nag a unit that has since done its part.
    const context = await notifications.unitContext(row.campaignId, row.unitCode);
    if (context && context.stage !== row.stage) {
      await notifications.settleDelivery(row.id, 'cancelled', { fromStatus: row.status, error: `no longer owed: the unit is in stage ${context.stage}` });
      return 'cancelled';
    }
    let claimed = null as DeliveryRow | null; // set by the handover callback, which control-flow narrowing cannot see
    let renewal: NodeJS.Timeout | undefined;
    let result: { messageId: string; response: string } | null;
    try {
      result = await mailer.send(
        {
          to: { name: row.recipientName, address: row.recipientEmail },
          subject: row.subject,
          text: row.text,
          html: row.html,
          messageId: row.messageId,
          headers: { 'X-PAR-Reminder-Key': row.dispatchKey },
        },
        {
          signal: Context.current().cancellationSignal,
          handover: async () => {
            await faults?.beforeHandover?.(row);
            claimed = await notifications.claimDelivery(row.id, row.status, sendingLeaseMs);
            const holder = claimed;
            if (holder) renewal = setInterval(() => void notifications.renewClaim(row.id, holder.attempts).catch(() => undefined), sendingLeaseMs / 3);
            return claimed !== null;
          },
        },
      );
    } catch (error) {
      clearInterval(renewal);
      if (claimed === null) throw error;
      await notifications.settleDelivery(row.id, 'failed', { error: error instanceof Error ? error.message : String(error), claimedAttempt: claimed.attempts });
      // A mailbox that does not exist will not appear by retrying; anything else (connection, auth, 4xx) is retried.
      const code = (error as { responseCode?: number }).responseCode;
      if (code !== undefined && PERMANENT_SMTP_CODES.includes(code)) {
        throw ApplicationFailure.nonRetryable(`SMTP ${code}: ${String(error)}`, PERMANENT_SMTP_ERROR);
      }
      log.warn('e-mail delivery failed; Temporal retries it with backoff', { deliveryId: row.id, error: String(error) });
      throw error;
    }
    try {
      if (result === null || claimed === null) {
        // Not handed over: this attempt was cancelled, or another attempt claimed or settled the row meanwhile.
        const now = await notifications.getDelivery(row.id);
        const outcome = settledOutcome(now);
        if (outcome !== null) return outcome;
        throw new Error(`e-mail ${row.id} is ${now?.status ?? 'gone'} and not handed over by this attempt; retrying`);
      }
      await faults?.afterSmtpSend?.(claimed);
    } finally {
      clearInterval(renewal);
    }
    await notifications.settleDelivery(row.id, 'sent', { smtpResponse: result.response, claimedAttempt: claimed.attempts });
    return 'sent';
  }

  return {
    /** The campaign's reminder policy in force: Sở Nội vụ's later change, else the definition's, else defaults. */
    async loadReminderPolicy(input: { campaignId: string }): Promise<ReminderPolicy> {
      const found = await notifications.reminderPolicy(input.campaignId);
      return resolveReminderPolicy(found?.override ?? found?.fromDefinition);
    },

    /**
     * One due reminder, recorded and sent in one activity (reminders-v2: a
     * child workflow per reminder would cost the unit workflow and the server several
     * more workflow tasks in a reminder storm; BENCHMARKS.md, P3). A transient SMTP failure of any
     * recipient fails the attempt after the others were tried; Temporal's retry
     * then finds the reminder recorded and the sent e-mails settled, so only the
     * failed ones go out again. A recipient refused for good (550/551/553) stays
     * 'failed' in the delivery log and does not make the attempt fail; a retry
     * caused by another recipient tries it once more.
     */
    async deliverReminder(dispatch: ReminderDispatch): Promise<DeliveryReport> {
      const { deliveryIds } = await prepare(dispatch);
      const outcomes = await Promise.allSettled(deliveryIds.map((deliveryId) => sendOne({ deliveryId })));
      const refusedForGood = (reason: unknown) => reason instanceof ApplicationFailure && reason.type === PERMANENT_SMTP_ERROR;
      const retryable = outcomes.flatMap((outcome) => (outcome.status === 'rejected' && !refusedForGood(outcome.reason) ? [outcome.reason] : []));
      if (retryable.length > 0) {
        throw new Error(`${retryable.length} of ${deliveryIds.length} e-mails of reminder ${dispatch.key} not delivered yet: ${String(retryable[0])}`);
      }
      const sent = outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value === 'sent').length;
      return { sent, other: outcomes.length - sent };
    },

    /** The unit moved on before these reminders were sent: their unsent e-mails are settled with the reason (SETTLE_LEFT_REMINDERS_PATCH). */
    async cancelUnsentReminders(input: { keys: string[]; reason: string }): Promise<number> {
      const changed = await notifications.cancelUnsent(input.keys, input.reason, sendingLeaseMs);
      if (changed > 0) log.info('unsent reminder e-mails settled', { keys: input.keys, changed, reason: input.reason });
      return changed;
    },

    prepareReminder: prepare,
    sendReminderEmail: sendOne,
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
