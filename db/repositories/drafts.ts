import { and, eq } from 'drizzle-orm';
import type { SelfAssessmentDraft } from '../../domain/steps';
import type { Database } from '../connect';
import { selfAssessmentDrafts } from '../schema-drafts';

export type DraftRow = typeof selfAssessmentDrafts.$inferSelect;

/** Self-assessment drafts (db/schema-drafts.ts): one per unit, the last save wins. */
export function createDraftRepository(db: Database) {
  const key = (campaignId: string, unitCode: string) =>
    and(eq(selfAssessmentDrafts.campaignId, campaignId), eq(selfAssessmentDrafts.unitCode, unitCode));

  return {
    async save(row: { campaignId: string; unitCode: string; draft: SelfAssessmentDraft; savedBy: string; savedAt: Date }): Promise<DraftRow> {
      const [saved] = await db
        .insert(selfAssessmentDrafts)
        .values(row)
        .onConflictDoUpdate({
          target: [selfAssessmentDrafts.campaignId, selfAssessmentDrafts.unitCode],
          set: { draft: row.draft, savedBy: row.savedBy, savedAt: row.savedAt },
        })
        .returning();
      if (!saved) throw new Error(`draft of ${row.campaignId}/${row.unitCode} was not saved`);
      return saved;
    },

    async find(campaignId: string, unitCode: string): Promise<DraftRow | null> {
      const [row] = await db.select().from(selfAssessmentDrafts).where(key(campaignId, unitCode));
      return row ?? null;
    },
  };
}

export type DraftRepository = ReturnType<typeof createDraftRepository>;
