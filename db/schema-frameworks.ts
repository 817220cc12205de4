import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The framework library: every criteria framework Sở Nội vụ has imported, by
 * code and version. A campaign keeps its own copy in its definition, so a new
 * version never changes a running campaign.
 */
export const frameworks = pgTable(
  'frameworks',
  {
    code: text('code').notNull(),
    version: integer('version').notNull(),
    titleVi: text('title_vi').notNull(),
    /** The validated framework document (domain/framework). */
    document: jsonb('document').notNull(),
    /** sha256 of the canonical JSON, so re-importing the same framework adds no version. */
    checksum: text('checksum').notNull(),
    importedBy: text('imported_by').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.code, table.version] })],
);
