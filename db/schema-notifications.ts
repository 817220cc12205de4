import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { DeliveryStatus } from '../domain/deliveries';
import type { ReminderKind, ReminderStage } from '../domain/reminder-plan';
import type { ContactRole } from '../domain/reminders';

/**
 * Reminders and notifications: who to tell (contacts), what was told
 * (the in-app inbox) and how each e-mail went (the delivery log). Every row that
 * stands for a reminder carries an idempotency key, so a retried activity or a
 * restarted worker writes and sends nothing twice.
 */

/** People to notify for a unit; units are organisations that outlive campaigns, so contacts are not per campaign. */
export const unitContacts = pgTable(
  'unit_contacts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    unitCode: text('unit_code').notNull(),
    name: text('name').notNull(),
    role: text('role').$type<ContactRole>().notNull(),
    email: text('email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('unit_contacts_unit_email').on(table.unitCode, table.email), index('unit_contacts_role').on(table.role, table.unitCode)],
);

/** A campaign's reminder policy as changed by Sở Nội vụ after creation (else the definition's settings, else defaults). */
export const reminderPolicies = pgTable('reminder_policies', {
  campaignId: text('campaign_id').primaryKey(),
  policy: jsonb('policy').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per reminder that fired: (unit, stage, deadline, offset), keyed by domain/reminders.ts reminderKey(). */
export const reminderDispatches = pgTable(
  'reminder_dispatches',
  {
    key: text('key').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    unitCode: text('unit_code').notNull(),
    stage: text('stage').$type<ReminderStage>().notNull(),
    kind: text('kind').$type<ReminderKind>().notNull(),
    offset: text('offset').notNull(),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('reminder_dispatches_unit').on(table.campaignId, table.unitCode)],
);

/** The in-app inbox: one message per recipient unit, by its code (the unit; for an escalation also Sở Nội vụ); the unit's accounts read it. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** dispatch key + '/' + recipient: a retried activity inserts nothing twice. */
    idempotencyKey: text('idempotency_key').notNull(),
    dispatchKey: text('dispatch_key').notNull(),
    recipient: text('recipient').notNull(),
    campaignId: text('campaign_id').notNull(),
    unitCode: text('unit_code').notNull(),
    stage: text('stage').$type<ReminderStage>().notNull(),
    kind: text('kind').$type<ReminderKind>().notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    link: text('link').notNull(),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
    readBy: text('read_by'),
  },
  (table) => [
    uniqueIndex('notifications_idempotency_key').on(table.idempotencyKey),
    index('notifications_recipient').on(table.recipient, table.createdAt),
  ],
);

/**
 * The e-mail delivery log, one row per recipient of a reminder; its status
 * (domain/deliveries.ts) and how a row moves between them: notifications/README.md.
 */
export const emailDeliveries = pgTable(
  'email_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** dispatch key + '/' + lower-case e-mail. */
    idempotencyKey: text('idempotency_key').notNull(),
    dispatchKey: text('dispatch_key').notNull(),
    campaignId: text('campaign_id').notNull(),
    unitCode: text('unit_code').notNull(),
    stage: text('stage').$type<ReminderStage>().notNull(),
    recipientEmail: text('recipient_email').notNull(),
    recipientName: text('recipient_name').notNull(),
    recipientRole: text('recipient_role').$type<ContactRole>().notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    /** Deterministic from the idempotency key: the same on every attempt, so a receiver can drop a duplicate. */
    messageId: text('message_id').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    smtpResponse: text('smtp_response'),
    meta: jsonb('meta'),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Epoch ms of the last attempt's start, for the log. */
    lastAttemptAt: bigint('last_attempt_at', { mode: 'number' }),
  },
  (table) => [
    uniqueIndex('email_deliveries_idempotency_key').on(table.idempotencyKey),
    index('email_deliveries_campaign').on(table.campaignId, table.unitCode),
    index('email_deliveries_dispatch').on(table.dispatchKey),
  ],
);
