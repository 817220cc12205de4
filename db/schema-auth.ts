import { boolean, check, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { Role } from '../domain/actors';
import { organisations } from './schema-organisations';

/**
 * Accounts that may log in to the API and the dashboard. The role and
 * the unit travel in the signed token; `unit_code` is the unit of a `unit` user
 * or the department a `contributor` speaks for (domain/actors.ts).
 */
export const users = pgTable(
  'users',
  {
    /** The login name, lowercase, e.g. `snv.admin` or `stp`. It is also the actor id in the event log. */
    username: text('username').primaryKey(),
    /** `scrypt$N$r$p$<salt base64>$<hash base64>` (application/auth/passwords.ts); the salt is per user. */
    passwordHash: text('password_hash').notNull(),
    role: text('role').$type<Role>().notNull(),
    unitCode: text('unit_code'),
    /** The organisation of the directory the account belongs to (db/schema-organisations.ts), instead of an assessed unit. */
    organisationCode: text('organisation_code').references(() => organisations.code),
    displayName: text('display_name').notNull(),
    active: boolean('active').notNull().default(true),
    /** Optional; unique (case-insensitive) among accounts that have one. */
    email: text('email'),
    /**
     * Set while the stored password is a one-time password (a new or reset
     * account): it logs in only before this instant, only once, and the session
     * it opens must change the password (application/auth/one-time.ts).
     */
    oneTimeExpiresAt: timestamp('one_time_expires_at', { withTimezone: true }),
    /** When the one-time password was used to log in; a second login with it is refused. */
    oneTimeUsedAt: timestamp('one_time_used_at', { withTimezone: true }),
    /** Failed logins since the last success; from the fifth on, each locks the account longer (domain/lockout.ts). */
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_unique').on(sql`lower(${table.email})`),
    check('users_role', sql`${table.role} in ('admin', 'coordinator', 'contributor', 'unit', 'institute', 'council', 'public')`),
    // A unit user acts for one assessed unit; a contributor for a unit or an organisation of the directory;
    // an admin may name its own (SNV) for the event log. An account belongs to a unit or an organisation, not both.
    check('users_unit_code', sql`${table.role} <> 'unit' or ${table.unitCode} is not null`),
    check('users_contributor_for', sql`${table.role} <> 'contributor' or ${table.unitCode} is not null or ${table.organisationCode} is not null`),
    check('users_unit_or_organisation', sql`${table.unitCode} is null or ${table.organisationCode} is null`),
  ],
);
