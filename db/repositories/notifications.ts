import { and, asc, count, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { DeliveryStatus } from '../../domain/deliveries';
import type { ReminderKind, ReminderStage } from '../../domain/reminder-plan';
import type { ContactRole } from '../../domain/reminders';
import type { Database } from '../connect';
import { campaignUnits, campaigns } from '../schema';
import { emailDeliveries, notifications, reminderDispatches, reminderPolicies } from '../schema-notifications';

export type NotificationRow = typeof notifications.$inferSelect;
export type DeliveryRow = typeof emailDeliveries.$inferSelect;
export type DispatchRow = typeof reminderDispatches.$inferSelect;
export type NewNotification = Omit<typeof notifications.$inferInsert, 'id' | 'readAt' | 'readBy'>;
export type NewDelivery = Omit<typeof emailDeliveries.$inferInsert, 'id' | 'attempts' | 'lastError' | 'sentAt' | 'smtpResponse'>;

export interface ReminderLog {
  /** Deliveries per status, and dispatches per kind (reminder, escalation), within the filter's unit but not its status. */
  deliveryCounts: Partial<Record<DeliveryStatus, number>>;
  dispatchCounts: Partial<Record<ReminderKind, number>>;
  deliveries: {
    id: number;
    unitCode: string;
    unitName: string | null;
    stage: ReminderStage;
    recipientName: string;
    recipientEmail: string;
    recipientRole: ContactRole;
    subject: string;
    messageId: string;
    status: DeliveryStatus;
    attempts: number;
    lastError: string | null;
    queuedAt: Date;
    sentAt: Date | null;
  }[];
  dispatches: { key: string; unitCode: string; unitName: string | null; stage: ReminderStage; kind: ReminderKind; offset: string; deadline: Date; dueAt: Date }[];
}

/**
 * Reminder dispatches, the in-app inbox and the e-mail delivery log. The
 * idempotency keys make every write a no-op the second time; claimDelivery is
 * the compare-and-set that keeps two attempts from sending the same e-mail.
 */
export function createNotificationRepository(db: Database) {
  return {
    /** The campaign and unit names a message shows, and the unit's stage now (to skip what is no longer owed). */
    async unitContext(campaignId: string, unitCode: string) {
      const [row] = await db
        .select({ campaignName: campaigns.nameVi, unitName: campaignUnits.nameVi, stage: campaignUnits.stage, status: campaignUnits.status })
        .from(campaignUnits)
        .innerJoin(campaigns, eq(campaigns.id, campaignUnits.campaignId))
        .where(and(eq(campaignUnits.campaignId, campaignId), eq(campaignUnits.unitCode, unitCode)));
      return row ?? null;
    },

    /**
     * The policy Sở Nội vụ set after creation, else the one in the campaign
     * definition (either may be absent). Every unit reads it when it starts and
     * whenever it re-plans its reminders, so only the policy leaves Postgres, not
     * the definition it sits in (174 KB of JSON at 2,000 units, parsed
     * on the worker's main thread once per unit; BENCHMARKS.md, P1).
     */
    async reminderPolicy(campaignId: string): Promise<{ override: unknown; fromDefinition: unknown } | null> {
      const [row] = await db
        .select({ override: reminderPolicies.policy, fromDefinition: sql<unknown>`${campaigns.definition}->'settings'->'reminders'` })
        .from(campaigns)
        .leftJoin(reminderPolicies, eq(reminderPolicies.campaignId, campaigns.id))
        .where(eq(campaigns.id, campaignId));
      return row ?? null;
    },

    async saveReminderPolicy(campaignId: string, policy: unknown, updatedBy: string): Promise<void> {
      await db
        .insert(reminderPolicies)
        .values({ campaignId, policy, updatedBy })
        .onConflictDoUpdate({ target: reminderPolicies.campaignId, set: { policy, updatedBy, updatedAt: new Date() } });
    },

    /**
     * Records a reminder with its inbox messages and queued e-mails in one
     * transaction. A retry (same dispatch key) inserts nothing and returns the
     * deliveries of the first attempt.
     */
    async recordDispatch(dispatch: typeof reminderDispatches.$inferInsert, messages: NewNotification[], deliveries: NewDelivery[]): Promise<DeliveryRow[]> {
      await db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        const created = await tx.insert(reminderDispatches).values(dispatch).onConflictDoNothing().returning({ key: reminderDispatches.key });
        if (created.length === 0) return;
        if (messages.length) await tx.insert(notifications).values(messages).onConflictDoNothing();
        if (deliveries.length) await tx.insert(emailDeliveries).values(deliveries).onConflictDoNothing();
      });
      return db.select().from(emailDeliveries).where(eq(emailDeliveries.dispatchKey, dispatch.key)).orderBy(asc(emailDeliveries.id));
    },

    async getDelivery(id: number): Promise<DeliveryRow | null> {
      const [row] = await db.select().from(emailDeliveries).where(eq(emailDeliveries.id, id));
      return row ?? null;
    },

    /**
     * Compare-and-set at the handover to SMTP: `from` → sending, counting the
     * attempt. `from` is the status the caller read: queued or failed, or
     * sending when that claim's lease ran out (its attempt stopped during the
     * exchange; the message goes again with the same Message-ID). Null when
     * anything changed meanwhile: another attempt holds it or it is settled.
     */
    async claimDelivery(id: number, from: DeliveryStatus, leaseMs: number): Promise<DeliveryRow | null> {
      const fromHere = and(eq(emailDeliveries.id, id), eq(emailDeliveries.status, from));
      const where =
        from === 'sending'
          ? and(fromHere, sql`${emailDeliveries.updatedAt} < now() - make_interval(secs => ${leaseMs / 1000})`)
          : and(fromHere, inArray(emailDeliveries.status, ['queued', 'failed']));
      const [row] = await db
        .update(emailDeliveries)
        .set({
          status: 'sending',
          attempts: sql`${emailDeliveries.attempts} + 1`,
          updatedAt: sql`now()`,
          lastAttemptAt: Date.now(),
          // What the log shows of this attempt until it settles; a re-send says why the relay may hold two copies.
          lastError: from === 'sending' ? 'sent again with the same Message-ID: an earlier attempt stopped during the SMTP exchange' : null,
        })
        .where(where)
        .returning();
      return row ?? null;
    },

    /** Keeps a claim alive while its SMTP exchange lasts; a claim nobody renews for its lease belongs to a stopped attempt. */
    async renewClaim(id: number, claimedAttempt: number): Promise<void> {
      await db
        .update(emailDeliveries)
        .set({ updatedAt: sql`now()` })
        .where(and(eq(emailDeliveries.id, id), eq(emailDeliveries.status, 'sending'), eq(emailDeliveries.attempts, claimedAttempt)));
    },

    /**
     * Settles the e-mails of reminders the unit no longer owes: queued or failed
     * ones are cancelled with the reason; one whose claim ran out mid-exchange is
     * unconfirmed (the server may have it). A claim still renewed is left to its
     * attempt. Returns how many rows changed.
     */
    async cancelUnsent(dispatchKeys: string[], reason: string, leaseMs: number): Promise<number> {
      if (dispatchKeys.length === 0) return 0;
      const ofThese = inArray(emailDeliveries.dispatchKey, dispatchKeys);
      const cancelled = await db
        .update(emailDeliveries)
        .set({ status: 'cancelled', lastError: reason, updatedAt: sql`now()` })
        .where(and(ofThese, inArray(emailDeliveries.status, ['queued', 'failed'])))
        .returning({ id: emailDeliveries.id });
      const unconfirmed = await db
        .update(emailDeliveries)
        .set({ status: 'unconfirmed', lastError: `${reason}; an attempt stopped during the SMTP exchange`, updatedAt: sql`now()` })
        .where(and(ofThese, eq(emailDeliveries.status, 'sending'), sql`${emailDeliveries.updatedAt} < now() - make_interval(secs => ${leaseMs / 1000})`))
        .returning({ id: emailDeliveries.id });
      return cancelled.length + unconfirmed.length;
    },

    /**
     * `claimedAttempt`: settle only the claim this attempt holds (status sending, its attempt number), so an
     * attempt whose lease ran out and was taken over cannot overwrite the live claim of the one that took it.
     */
    async settleDelivery(
      id: number,
      status: DeliveryStatus,
      fields: { error?: string; smtpResponse?: string; fromStatus?: DeliveryStatus; claimedAttempt?: number } = {},
    ) {
      const now = new Date();
      const conditions: SQL[] = [eq(emailDeliveries.id, id)];
      if (fields.fromStatus) conditions.push(eq(emailDeliveries.status, fields.fromStatus));
      if (fields.claimedAttempt !== undefined) conditions.push(eq(emailDeliveries.status, 'sending'), eq(emailDeliveries.attempts, fields.claimedAttempt));
      const where = and(...conditions);
      await db
        .update(emailDeliveries)
        .set({
          status,
          updatedAt: now,
          ...(status === 'sent' ? { sentAt: now } : {}),
          ...(fields.error !== undefined ? { lastError: fields.error.slice(0, 2000) } : {}),
          ...(fields.smtpResponse !== undefined ? { smtpResponse: fields.smtpResponse.slice(0, 500) } : {}),
        })
        .where(where);
    },

    async listDispatches(campaignId: string, unitCode?: string): Promise<DispatchRow[]> {
      const where = unitCode ? and(eq(reminderDispatches.campaignId, campaignId), eq(reminderDispatches.unitCode, unitCode)) : eq(reminderDispatches.campaignId, campaignId);
      return db.select().from(reminderDispatches).where(where).orderBy(asc(reminderDispatches.dueAt), asc(reminderDispatches.key));
    },

    async listDeliveries(filter: { campaignId: string; unitCode?: string; status?: DeliveryStatus; limit?: number }): Promise<DeliveryRow[]> {
      const conditions: SQL[] = [eq(emailDeliveries.campaignId, filter.campaignId)];
      if (filter.unitCode) conditions.push(eq(emailDeliveries.unitCode, filter.unitCode));
      if (filter.status) conditions.push(eq(emailDeliveries.status, filter.status));
      return db
        .select()
        .from(emailDeliveries)
        .where(and(...conditions))
        .orderBy(desc(emailDeliveries.id))
        .limit(filter.limit ?? 200);
    },

    /**
     * The dashboard's reminder log (web/reminder-log-page.ts): what each
     * delivery status and each kind of dispatch count to, and the latest
     * deliveries and dispatches, newest first, with their units' names.
     */
    async reminderLog(filter: { campaignId: string; unitCode?: string; status?: DeliveryStatus; limit: number }): Promise<ReminderLog> {
      const deliveryScope = filter.unitCode
        ? and(eq(emailDeliveries.campaignId, filter.campaignId), eq(emailDeliveries.unitCode, filter.unitCode))
        : eq(emailDeliveries.campaignId, filter.campaignId);
      const dispatchScope = filter.unitCode
        ? and(eq(reminderDispatches.campaignId, filter.campaignId), eq(reminderDispatches.unitCode, filter.unitCode))
        : eq(reminderDispatches.campaignId, filter.campaignId);
      const [byStatus, byKind, deliveries, dispatches] = await Promise.all([
        db.select({ status: emailDeliveries.status, n: count() }).from(emailDeliveries).where(deliveryScope).groupBy(emailDeliveries.status),
        db.select({ kind: reminderDispatches.kind, n: count() }).from(reminderDispatches).where(dispatchScope).groupBy(reminderDispatches.kind),
        db
          .select({
            id: emailDeliveries.id,
            unitCode: emailDeliveries.unitCode,
            unitName: campaignUnits.nameVi,
            stage: emailDeliveries.stage,
            recipientName: emailDeliveries.recipientName,
            recipientEmail: emailDeliveries.recipientEmail,
            recipientRole: emailDeliveries.recipientRole,
            subject: emailDeliveries.subject,
            messageId: emailDeliveries.messageId,
            status: emailDeliveries.status,
            attempts: emailDeliveries.attempts,
            lastError: emailDeliveries.lastError,
            queuedAt: emailDeliveries.queuedAt,
            sentAt: emailDeliveries.sentAt,
          })
          .from(emailDeliveries)
          .leftJoin(campaignUnits, and(eq(campaignUnits.campaignId, emailDeliveries.campaignId), eq(campaignUnits.unitCode, emailDeliveries.unitCode)))
          .where(filter.status ? and(deliveryScope, eq(emailDeliveries.status, filter.status)) : deliveryScope)
          .orderBy(desc(emailDeliveries.id))
          .limit(filter.limit),
        db
          .select({
            key: reminderDispatches.key,
            unitCode: reminderDispatches.unitCode,
            unitName: campaignUnits.nameVi,
            stage: reminderDispatches.stage,
            kind: reminderDispatches.kind,
            offset: reminderDispatches.offset,
            deadline: reminderDispatches.deadline,
            dueAt: reminderDispatches.dueAt,
          })
          .from(reminderDispatches)
          .leftJoin(campaignUnits, and(eq(campaignUnits.campaignId, reminderDispatches.campaignId), eq(campaignUnits.unitCode, reminderDispatches.unitCode)))
          .where(dispatchScope)
          .orderBy(desc(reminderDispatches.dueAt), asc(reminderDispatches.key))
          .limit(filter.limit),
      ]);
      return {
        deliveryCounts: Object.fromEntries(byStatus.map((row) => [row.status, Number(row.n)])),
        dispatchCounts: Object.fromEntries(byKind.map((row) => [row.kind, Number(row.n)])),
        deliveries,
        dispatches,
      };
    },

    async listInbox(filter: { recipient: string; campaignId?: string; unreadOnly?: boolean; limit?: number; beforeId?: number }): Promise<NotificationRow[]> {
      const conditions: SQL[] = [eq(notifications.recipient, filter.recipient)];
      if (filter.campaignId) conditions.push(eq(notifications.campaignId, filter.campaignId));
      if (filter.unreadOnly) conditions.push(isNull(notifications.readAt));
      if (filter.beforeId !== undefined) conditions.push(sql`${notifications.id} < ${filter.beforeId}`);
      return db
        .select()
        .from(notifications)
        .where(and(...conditions))
        .orderBy(desc(notifications.id))
        .limit(filter.limit ?? 50);
    },

    async unreadCount(recipient: string, campaignId?: string): Promise<number> {
      const conditions: SQL[] = [eq(notifications.recipient, recipient), isNull(notifications.readAt)];
      if (campaignId) conditions.push(eq(notifications.campaignId, campaignId));
      const [row] = await db.select({ n: count() }).from(notifications).where(and(...conditions));
      return Number(row?.n ?? 0);
    },

    async findNotification(id: number): Promise<NotificationRow | null> {
      const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
      return row ?? null;
    },

    /** Marks a message read once; reading it again keeps the first time and reader. */
    async markRead(id: number, readBy: string): Promise<NotificationRow | null> {
      await db
        .update(notifications)
        .set({ readAt: new Date(), readBy })
        .where(and(eq(notifications.id, id), isNull(notifications.readAt)));
      return this.findNotification(id);
    },
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
