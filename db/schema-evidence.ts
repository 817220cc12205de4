import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Evidence files. The bytes live on disk under EVIDENCE_DIR,
 * named by their sha256 (content-addressed: the same file uploaded twice is
 * stored once); a row records each upload, who made it and for which unit.
 * A step's evidence `ref` points here as `evidence:<id>`.
 */
export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: uuid('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    unitCode: text('unit_code').notNull(),
    /** The uploader's file name, sanitized (no path, no control characters). */
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    /** Lower-case hex; also the stored file's name. */
    sha256: text('sha256').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('evidence_files_unit').on(table.campaignId, table.unitCode, table.uploadedAt), index('evidence_files_sha256').on(table.sha256)],
);
