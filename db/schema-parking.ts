import { sql } from 'drizzle-orm';
import { bigserial, index, integer, json, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ReadModelChange } from '../domain/effects';

/**
 * Workflow changes the read model refused for good (a value Postgres does not
 * accept, a broken constraint): kept here, whole, so that the workflow's later
 * changes go on projecting and an operator can apply this one after a fix
 * (db/repositories/read-model-parking.ts). `change` is json, not jsonb: json
 * keeps any text as written, including the characters jsonb and text columns
 * refuse, which are often the very reason the change is here.
 */
export const parkedChanges = pgTable(
  'parked_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The change's own key (`workflowId#seq`): parked once, applied once. */
    idempotencyKey: text('idempotency_key').notNull(),
    workflowId: text('workflow_id').notNull(),
    seq: integer('seq').notNull(),
    campaignId: text('campaign_id').notNull(),
    unitCode: text('unit_code'),
    action: text('action').notNull(),
    change: json('change').$type<ReadModelChange>().notNull(),
    /** The SQLSTATE Postgres refused the change with (22021, 23505…), or null for a failure without one. */
    errorCode: text('error_code'),
    errorMessage: text('error_message').notNull(),
    parkedAt: timestamp('parked_at', { withTimezone: true }).notNull(),
    /** Times the change was tried and refused: by the projection, then by each operator retry that failed again. */
    attempts: integer('attempts').notNull().default(1),
    lastTriedAt: timestamp('last_tried_at', { withTimezone: true }).notNull(),
    /** Set when an operator's retry applied it (or found it applied); null while parked. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
  },
  (table) => [
    uniqueIndex('parked_changes_idempotency_key').on(table.idempotencyKey),
    index('parked_changes_open').on(table.parkedAt).where(sql`${table.resolvedAt} is null`),
  ],
);
