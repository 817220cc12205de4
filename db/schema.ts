import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The Postgres read model. Temporal holds the truth about a running campaign;
 * activities mirror every state change here so that dashboards and progress
 * endpoints never query workflows one by one.
 */

export const campaigns = pgTable('campaigns', {
  id: text('id').primaryKey(),
  year: integer('year').notNull(),
  nameVi: text('name_vi').notNull(),
  stage: text('stage').notNull(),
  status: text('status').notNull(),
  /** The campaign definition as started: framework, timeline, settings. */
  definition: jsonb('definition').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  stageChangedAt: timestamp('stage_changed_at', { withTimezone: true }).notNull().defaultNow(),
});

export const campaignUnits = pgTable(
  'campaign_units',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
    nameVi: text('name_vi').notNull(),
    groupCode: text('group_code').notNull(),
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.unitCode] })],
);

/**
 * Append-only log of every state change: who, when, what, before/after, why.
 * `idempotencyKey` makes an activity retried after a crash write nothing twice.
 */
export const campaignEvents = pgTable(
  'campaign_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
  },
  (table) => [
    uniqueIndex('campaign_events_idempotency_key').on(table.idempotencyKey),
    index('campaign_events_campaign').on(table.campaignId, table.occurredAt),
  ],
);
