import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * A step the API sent to a workflow whose read-model changes the API itself
 * projects (application/services/returned-projection.ts): written before the
 * update is sent, deleted in the transaction that projects the update's
 * changes. A row that outlives its request is one the API did not get to
 * project (the process died, the database was away): the sweeper asks Temporal
 * for the update's outcome, which is durable there, and projects it.
 */
export const projectionIntents = pgTable(
  'projection_intents',
  {
    workflowId: text('workflow_id').notNull(),
    /** The Temporal update ID (`<update name>/<idempotency key>`). */
    updateId: text('update_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.workflowId, table.updateId] }), index('projection_intents_created').on(table.createdAt)],
);
