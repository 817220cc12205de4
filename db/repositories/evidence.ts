import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../connect';
import { evidenceFiles } from '../schema-evidence';

export type EvidenceRow = typeof evidenceFiles.$inferSelect;
export type NewEvidence = Omit<EvidenceRow, 'uploadedAt'> & { uploadedAt?: Date };

/** Evidence file rows (db/schema-evidence.ts); the bytes are on disk, see application/services/evidence.ts. */
export function createEvidenceRepository(db: Database) {
  return {
    async insert(row: NewEvidence): Promise<EvidenceRow> {
      const [inserted] = await db.insert(evidenceFiles).values(row).returning();
      if (!inserted) throw new Error(`evidence row ${row.id} was not inserted`);
      return inserted;
    },

    async find(id: string): Promise<EvidenceRow | null> {
      const [row] = await db.select().from(evidenceFiles).where(eq(evidenceFiles.id, id));
      return row ?? null;
    },

    /** The campaign and unit of each of these files that exists, by id (one query for a step's citations). */
    async findOwners(ids: string[]): Promise<Map<string, { campaignId: string; unitCode: string }>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({ id: evidenceFiles.id, campaignId: evidenceFiles.campaignId, unitCode: evidenceFiles.unitCode })
        .from(evidenceFiles)
        .where(inArray(evidenceFiles.id, ids));
      return new Map(rows.map((row) => [row.id, { campaignId: row.campaignId, unitCode: row.unitCode }]));
    },

    /** A unit's uploads in a campaign, oldest first. */
    async listForUnit(campaignId: string, unitCode: string): Promise<EvidenceRow[]> {
      return db
        .select()
        .from(evidenceFiles)
        .where(and(eq(evidenceFiles.campaignId, campaignId), eq(evidenceFiles.unitCode, unitCode)))
        .orderBy(asc(evidenceFiles.uploadedAt), asc(evidenceFiles.id));
    },
  };
}

export type EvidenceRepository = ReturnType<typeof createEvidenceRepository>;
