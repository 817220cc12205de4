import type { Actor } from '../../domain/actors';
import type { CampaignRepository } from '../../db/repositories/campaigns';
import type { ReadModelRepository } from '../../db/repositories/read-model';
import { exportResultsWorkbook, type ResultsGroup } from '../../formats';
import { assertCanRead, authorize } from '../auth/authorize';
import { NotFoundError } from '../errors';

export interface ResultsServiceDeps {
  campaigns: Pick<CampaignRepository, 'findCampaign'>;
  readModel: Pick<ReadModelRepository, 'getResults' | 'getUnitResult' | 'getUnitScores' | 'listResultExplanations'>;
}

/**
 * Results, explanations and score sheets from the read model. Until publication
 * only Sở Nội vụ, coordinators and the council see the ranking, and a unit sees
 * only its own numbers; after publication the ranking is public.
 */
export function createResultsService({ campaigns, readModel }: ResultsServiceDeps) {
  async function requireCampaign(campaignId: string) {
    const campaign = await campaigns.findCampaign(campaignId);
    if (!campaign) throw new NotFoundError('campaign_not_found', `Không tìm thấy đợt đánh giá ${campaignId}`, `Campaign ${campaignId} not found`);
    return campaign;
  }

  async function requireResults(campaignId: string, pass?: number) {
    const found = await readModel.getResults(campaignId, pass);
    if (!found) throw new NotFoundError('results_not_found', 'Chưa có kết quả tổng hợp', 'No aggregated results yet');
    return found;
  }

  /** The ranking: insiders before publication, everyone after (domain/permissions.ts results.read). */
  async function readableResults(actor: Actor, campaignId: string, pass?: number) {
    const campaign = await requireCampaign(campaignId);
    authorize(actor, 'results.read', { published: campaign.stage === 'published' });
    return { campaign, results: await requireResults(campaignId, pass) };
  }

  /** The ranking laid out as the annex of a results decision, for the workbook and the PDF. */
  async function annex(actor: Actor, campaignId: string, pass?: number) {
    const { campaign, results } = await readableResults(actor, campaignId, pass);
    const definition = campaign.definition as { framework: { groups: Record<string, { name_vi: string }> } };
    const groups: ResultsGroup[] = results.groups.map((group) => ({
      code: group.code,
      name_vi: definition.framework.groups[group.code]?.name_vi ?? group.code,
      rows: group.units.map((unit) => ({
        unitCode: unit.unitCode,
        unitName: unit.nameVi,
        assessedCenti: unit.assessedCenti,
        surveyCenti: unit.surveyCenti ?? 0,
        adjustmentCenti: unit.bonusCenti - unit.penaltyCenti,
        totalCenti: unit.totalCenti,
        indexPercentCenti: unit.indexCenti,
        rank: unit.rank,
        bandName: unit.classification ?? undefined,
      })),
    }));
    return { campaign, results, groups };
  }

  return {
    async ranking(actor: Actor, campaignId: string, pass?: number) {
      return (await readableResults(actor, campaignId, pass)).results;
    },

    annex,

    /** The results annex as an Excel workbook: one ranking sheet per group and one explanation sheet per unit. */
    async workbook(actor: Actor, campaignId: string, pass?: number) {
      const { campaign, results, groups } = await annex(actor, campaignId, pass);
      const explanations = await readModel.listResultExplanations(campaignId, results.pass);
      const bytes = await exportResultsWorkbook({ title_vi: campaign.nameVi, groups, explanations });
      return { pass: results.pass, bytes };
    },

    async explanation(actor: Actor, campaignId: string, unitCode: string, pass?: number) {
      const campaign = await requireCampaign(campaignId);
      assertCanRead(actor, { campaignId, unitCode, published: campaign.stage === 'published' });
      const row = await readModel.getUnitResult(campaignId, unitCode, pass);
      if (!row) throw new NotFoundError('results_not_found', `Chưa có kết quả của ${unitCode}`, `No result for ${unitCode} yet`);
      return { pass: row.pass, published: row.published, explanation: row.explanation };
    },

    async scores(actor: Actor, campaignId: string, unitCode: string) {
      const campaign = await requireCampaign(campaignId);
      assertCanRead(actor, { campaignId, unitCode, published: campaign.stage === 'published' });
      return readModel.getUnitScores(campaignId, unitCode);
    },
  };
}

export type ResultsService = ReturnType<typeof createResultsService>;
