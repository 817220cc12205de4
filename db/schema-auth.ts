import { boolean, check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Accounts that may log in to the API and the dashboard (issue 6). The role and
 * the unit travel in the signed token; `unit_code` is the unit of a `unit` user
 * or the department a `contributor` speaks for (domain/actors.ts).
 */
export const users = pgTable(
  'users',
  {
    /** The login name, lowercase, e.g. `snv.admin` or `stp`. It is also the actor id in the event log. */
    username: text('username').primaryKey(),
    /** `scrypt$N$r$p$<salt base64>$<hash base64>` (api/auth/passwords.ts); the salt is per user. */
    passwordHash: text('password_hash').notNull(),
    role: text('role').notNull(),
    unitCode: text('unit_code'),
    displayName: text('display_name').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('users_role', sql`${table.role} in ('admin', 'coordinator', 'contributor', 'unit', 'institute', 'council', 'public')`),
    // A unit user and a contributor act for one unit; an admin may name its own (SNV) for the event log.
    check('users_unit_code', sql`${table.role} not in ('unit', 'contributor') or ${table.unitCode} is not null`),
  ],
);
