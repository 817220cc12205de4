import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The province's assessed units and their groups, as Sở Nội vụ imports them
 * (application/services/onboarding.ts): the list a campaign's units are chosen from.
 * A campaign keeps its own copy of its units in its definition (db/schema.ts
 * campaign_units), so a later change here never changes a running campaign
 * (docs/decisions.md "Where units live"). Rows are never deleted.
 */
export const unitGroups = pgTable('unit_groups', {
  code: text('code').primaryKey(),
  nameVi: text('name_vi').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const provinceUnits = pgTable(
  'province_units',
  {
    code: text('code').primaryKey(),
    nameVi: text('name_vi').notNull(),
    groupCode: text('group_code')
      .notNull()
      .references(() => unitGroups.code),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('province_units_group').on(table.groupCode, table.code)],
);
