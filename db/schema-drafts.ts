import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { SelfAssessmentDraft } from '../domain/steps';

/**
 * A unit's self-assessment as it is being written (the dashboard's
 * "Lưu nháp"). Kept outside the workflow on purpose: a draft is not a step,
 * it may be saved hundreds of times, and nothing in the campaign waits on it;
 * only the submission goes to the unit workflow. One row per unit, overwritten.
 */
export const selfAssessmentDrafts = pgTable(
  'self_assessment_drafts',
  {
    campaignId: text('campaign_id').notNull(),
    unitCode: text('unit_code').notNull(),
    draft: jsonb('draft').$type<SelfAssessmentDraft>().notNull(),
    savedBy: text('saved_by').notNull(),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.unitCode] })],
);
