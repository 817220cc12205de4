import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../../db/connect';
import { campaignUnits } from '../../../db/schema';
import type { UnitStage, UnitStatus } from '../../../domain/units';

/**
 * The read model's unit rows as the workflows projected them (stage and
 * workflow status, not the progress view's derived status), for tests that
 * check what a campaign left behind.
 */
export async function listUnitStates(db: Database, campaignId: string, filters: { group?: string; stage?: UnitStage; status?: UnitStatus } = {}) {
  const conditions = [eq(campaignUnits.campaignId, campaignId)];
  if (filters.group !== undefined) conditions.push(eq(campaignUnits.groupCode, filters.group));
  if (filters.stage !== undefined) conditions.push(eq(campaignUnits.stage, filters.stage));
  if (filters.status !== undefined) conditions.push(eq(campaignUnits.status, filters.status));
  const rows = await db
    .select({
      unitCode: campaignUnits.unitCode,
      nameVi: campaignUnits.nameVi,
      groupCode: campaignUnits.groupCode,
      stage: campaignUnits.stage,
      status: campaignUnits.status,
      flags: campaignUnits.flags,
      selfAssessmentDue: campaignUnits.selfAssessmentDue,
      explanationsDue: campaignUnits.explanationsDue,
      submittedAt: campaignUnits.submittedAt,
      lastActivityAt: campaignUnits.lastActivityAt,
    })
    .from(campaignUnits)
    .where(and(...conditions));
  const viCollator = new Intl.Collator('vi');
  return rows.sort((a, b) => viCollator.compare(a.nameVi, b.nameVi) || (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0));
}

/** How many units stand in each (stage, workflow status). */
export async function countUnitsByStageAndStatus(db: Database, campaignId: string) {
  return db
    .select({ stage: campaignUnits.stage, status: campaignUnits.status, units: sql<number>`count(*)::int` })
    .from(campaignUnits)
    .where(eq(campaignUnits.campaignId, campaignId))
    .groupBy(campaignUnits.stage, campaignUnits.status)
    .orderBy(asc(campaignUnits.stage), asc(campaignUnits.status));
}
