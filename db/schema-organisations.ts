import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { OrganisationKind } from '../domain/organisations';

/**
 * The province's organisation directory: the bodies that take part in a
 * campaign without being scored in it (departments that write guidance and
 * appraise an area, the survey institute, the appraisal council, Sở Nội vụ
 * itself). A campaign's assessed units are its own list (db/schema.ts
 * campaign_units) and may or may not also be organisations here; a campaign's
 * contributors name either. Organisations are never deleted: accounts and past
 * campaigns keep naming them, so one that stops taking part is disabled.
 */

export const organisations = pgTable(
  'organisations',
  {
    /** A unit-style code (`SXD`, `VIEN_NC`), shared with the campaigns' unit codes: a contributor names one or the other. */
    code: text('code').primaryKey(),
    nameVi: text('name_vi').notNull(),
    kind: text('kind').$type<OrganisationKind>().notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('organisations_kind', sql`${table.kind} in ('department', 'survey_institute', 'appraisal_council', 'home_affairs', 'other')`)],
);

/** Every change to the directory: who, when, the organisation before and after. Rows are only ever added. */
export const organisationAudit = pgTable(
  'organisation_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The username of who made the change (`system` for a script). */
    actor: text('actor').notNull(),
    /** `created`, `updated`, `disabled`, `enabled`. */
    action: text('action').notNull(),
    code: text('code').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (table) => [index('organisation_audit_code').on(table.code, table.at)],
);
