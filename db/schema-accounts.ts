import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every change to an account (created, changed, disabled, enabled, password
 * reset or changed): who did it, when, and the account's fields before and
 * after. Never a password, hash or one-time credential (application/services/accounts.ts
 * writes only the public fields). Rows are only ever added.
 */
export const accountAudit = pgTable(
  'account_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The username of who made the change (`system` for the admin:create command). */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    username: text('username').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (table) => [index('account_audit_username').on(table.username, table.at)],
);
