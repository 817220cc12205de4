import type { Actor } from '../../domain/actors';
import { DEADLINE_LABEL_VI, type Timeline } from '../../domain/campaign';
import { parseDeadline, VIETNAM_OFFSET_MS } from '../../domain/deadlines';
import type { ProgressStatus } from '../../domain/progress';
import { areaOwners, UNIT_STAGES, type UnitStage } from '../../domain/units';
import type { CampaignRepository } from '../../db/repositories/campaigns';
import type { ProgressFilters, ProgressRepository } from '../../db/repositories/progress';
import type { ReadModelRepository } from '../../db/repositories/read-model';
import { assertCanRead, authorize } from '../auth/authorize';
import { NotFoundError, unitNotFound } from '../errors';

type DeadlineKey = keyof Timeline;

/** The deadline a unit is working towards in each stage; the unit's own where an extension can move it. */
const NEXT_DEADLINE: Record<UnitStage, DeadlineKey | null> = {
  self_assessment: 'self_assessment_due',
  appraisal_round_1: 'appraisal_round_1_due',
  explanations: 'explanations_due',
  appraisal_round_2: 'appraisal_round_2_due',
  appraised: null,
  published: null,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Calendar days from today to the deadline's day, both in Asia/Ho_Chi_Minh: 0 = due today, negative = days past. */
export function daysLeft(nowMs: number, dueMs: number): number {
  const day = (ms: number) => Math.floor((ms + VIETNAM_OFFSET_MS) / DAY_MS);
  return day(dueMs) - day(nowMs);
}

export interface ProgressServiceDeps {
  progress: Pick<ProgressRepository, 'findCampaignSummary' | 'countByStageAndStatus' | 'listUnits' | 'findFrameworkGroup'>;
  campaigns: Pick<CampaignRepository, 'findUnit' | 'findContributors' | 'findLastEventAt' | 'findCouncilReturn'>;
  readModel: Pick<ReadModelRepository, 'listExplanationRequests' | 'listGuidance'>;
  /** Epoch ms now; tests pass a fixed clock. */
  now: () => number;
}

export interface ProgressPage {
  limit: number;
  offset: number;
}

export type StageCounts = Record<ProgressStatus, number> & { total: number };

function emptyCounts(): StageCounts {
  return { not_started: 0, draft: 0, submitted: 0, late: 0, overdue: 0, done: 0, total: 0 };
}

/**
 * Progress for coordinators. Who may read it is the rule of
 * the campaign's live progress (domain/permissions.ts `campaign.progress`):
 * staff always, a unit and the public only after publication, because the
 * table names every unit. One unit's own state goes through assertCanRead.
 */
export function createProgressService({ progress, campaigns, readModel, now }: ProgressServiceDeps) {
  async function requireCampaign(campaignId: string) {
    const campaign = await progress.findCampaignSummary(campaignId);
    if (!campaign) throw new NotFoundError('campaign_not_found', `Không tìm thấy đợt đánh giá ${campaignId}`, `Campaign ${campaignId} not found`);
    return campaign;
  }

  function nextDeadline(
    stage: UnitStage,
    unit: { selfAssessmentDue: Date | null; explanationsDue: Date | null; flags: readonly string[] },
    timeline: Timeline | null,
    nowMs: number,
  ) {
    const key = NEXT_DEADLINE[stage];
    // A council return reopens round 2 after its calendar deadline, without one of its own (workflows/unit/appraisal.ts).
    if (key === null || (stage === 'appraisal_round_2' && unit.flags.includes('returned_by_council'))) return null;
    const own = key === 'self_assessment_due' ? unit.selfAssessmentDue : key === 'explanations_due' ? unit.explanationsDue : null;
    const text = timeline?.[key];
    const at = own?.getTime() ?? (text === undefined ? null : parseDeadline(text));
    if (at === null) return null;
    return { key, labelVi: DEADLINE_LABEL_VI[key], at: new Date(at), daysLeft: daysLeft(nowMs, at) };
  }

  /** The campaign, if the actor may read its progress. */
  async function readableProgress(actor: Actor, campaignId: string) {
    const campaign = await requireCampaign(campaignId);
    authorize(actor, 'campaign.progress', { published: campaign.stage === 'published' });
    return campaign;
  }

  async function table(campaign: Awaited<ReturnType<typeof requireCampaign>>, filters: ProgressFilters, nowMs: number, page?: ProgressPage) {
    const rows = await progress.listUnits(campaign.id, filters, page);
    // Each row gains its fields in place: a spread into a new object cost 4 µs a row on Node 20 (2 ms of a 500-row page).
    return rows.map((row) =>
      Object.assign(row, {
        groupNameVi: campaign.groupNames[row.groupCode] ?? row.groupCode,
        nextDeadline: nextDeadline(row.stage, row, campaign.timeline, nowMs),
      }),
    );
  }

  return {
    /** Counts per stage and status and one page of the unit table, filtered by group, stage and status. */
    async overview(actor: Actor, campaignId: string, filters: ProgressFilters, page: ProgressPage) {
      const campaign = await readableProgress(actor, campaignId);
      const nowMs = now();
      const [counted, units] = await Promise.all([
        progress.countByStageAndStatus(campaignId, { group: filters.group }),
        table(campaign, filters, nowMs, page),
      ]);
      const byStage = new Map<UnitStage, StageCounts>(UNIT_STAGES.map((stage) => [stage, emptyCounts()]));
      const totals = emptyCounts();
      for (const row of counted) {
        const counts = byStage.get(row.stage) ?? emptyCounts();
        counts[row.status] += row.units;
        counts.total += row.units;
        totals[row.status] += row.units;
        totals.total += row.units;
        byStage.set(row.stage, counts);
      }
      const matching = counted
        .filter((row) => (filters.stage === undefined || row.stage === filters.stage) && (filters.status === undefined || row.status === filters.status))
        .reduce((sum, row) => sum + row.units, 0);
      return {
        campaign: { id: campaign.id, year: campaign.year, nameVi: campaign.nameVi, stage: campaign.stage, timeline: campaign.timeline, groupNames: campaign.groupNames },
        asOf: new Date(nowMs),
        counts: [...byStage.entries()].map(([stage, counts]) => ({ stage, counts })),
        totals,
        // The table is one page (sorted and cut in SQL); how many rows match the filters comes from the counts.
        units: { total: matching, limit: page.limit, offset: page.offset, rows: units },
      };
    },

    /** Every unit that matches the filters (the progress workbook). */
    async fullTable(actor: Actor, campaignId: string, filters: ProgressFilters) {
      const campaign = await readableProgress(actor, campaignId);
      const nowMs = now();
      const [counted, units] = await Promise.all([progress.countByStageAndStatus(campaignId, { group: filters.group }), table(campaign, filters, nowMs)]);
      return { campaign, asOf: new Date(nowMs), counted, units };
    },

    /** The campaign header (name, stage, timeline, groups) for anyone who may read the campaign. */
    async campaign(actor: Actor, campaignId: string) {
      const campaign = await requireCampaign(campaignId);
      authorize(actor, 'campaign.read', { published: campaign.stage === 'published' });
      assertCanRead(actor, { campaignId, published: campaign.stage === 'published' });
      // Between the publication of the guidance and the last unit's start the stage still says guidance.
      const guidancePublishedAt = campaign.stage === 'guidance' ? await campaigns.findLastEventAt(campaignId, 'guidance_published') : null;
      return { ...campaign, guidancePublishedAt };
    },

    /** The guidance stage: each contributing department with the areas it owns and what it has sent (staff only). */
    async guidance(actor: Actor, campaignId: string) {
      authorize(actor, 'campaign.progress');
      await requireCampaign(campaignId);
      const [contributors, contributions] = await Promise.all([campaigns.findContributors(campaignId), readModel.listGuidance(campaignId)]);
      const sent = new Map(contributions.map((contribution) => [contribution.contributor, contribution]));
      return (contributors ?? []).map((contributor) => ({ unit: contributor.unit, areasOwned: contributor.areas_owned, contribution: sent.get(contributor.unit) ?? null }));
    },

    /** One unit's state, next deadline and explanation requests: its own users, staff, everyone after publication. */
    async unit(actor: Actor, campaignId: string, unitCode: string) {
      const campaign = await requireCampaign(campaignId);
      const published = campaign.stage === 'published';
      authorize(actor, 'unit.read', { published });
      const unit = await campaigns.findUnit(campaignId, unitCode);
      if (!unit) throw unitNotFound(campaignId, unitCode);
      assertCanRead(actor, { campaignId, unitCode, published });
      const { stage } = unit;
      const [requests, framework, contributors, councilReturn] = await Promise.all([
        readModel.listExplanationRequests(campaignId, unitCode),
        progress.findFrameworkGroup(campaignId, unit.groupCode),
        campaigns.findContributors(campaignId),
        unit.flags.includes('returned_by_council') ? campaigns.findCouncilReturn(campaignId, unitCode) : null,
      ]);
      return {
        campaign,
        unit: { ...unit, stage, groupNameVi: campaign.groupNames[unit.groupCode] ?? unit.groupCode },
        nextDeadline: nextDeadline(stage, unit, campaign.timeline, now()),
        explanationRequests: requests,
        /** The council's latest return of this unit: the areas appraised again, and which of them already are. */
        councilReturn,
        framework,
        /** Area code → the departments that appraise it (the dashboard offers each its own areas). */
        areaOwners: areaOwners(contributors ?? []),
      };
    },
  };
}

export type ProgressService = ReturnType<typeof createProgressService>;
