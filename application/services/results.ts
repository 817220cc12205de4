import type { Actor } from '../../domain/actors';
import type { CampaignRepository } from '../../db/repositories/campaigns';
import type { ReadModelRepository } from '../../db/repositories/read-model';
import type { CampaignDefinition } from '../../domain/campaign';
import type { Framework } from '../../domain/framework';
import { explainStoredResult, previousPlaces, previousYearCaptionVi, yearChange, type PreviousPlace, type UnitExplanation, type YearChange } from '../../domain/scoring';
import { exportResultsWorkbook, type ResultsGroup } from '../../formats';
import { assertCanRead, authorize, holds } from '../auth/authorize';
import { NotFoundError } from '../errors';
import { verificationLineVi } from '../../domain/results-decision';

type ResultSheetRow = NonNullable<Awaited<ReturnType<ReadModelRepository['getResultSheet']>>>;

/** The campaign's framework: validated (campaignDefinitionSchema) before the campaign started, and fixed since. */
function frameworkOf(campaign: { definition: unknown }): Framework {
  return (campaign.definition as CampaignDefinition).framework;
}

/**
 * A result's explanation: rebuilt from its frozen sheet, or as stored by a pass computed before migration 0008.
 * `ranked: false` drops the rank and the classification, which belong to the ranking (results.read).
 */
function explanationOf(framework: Framework, row: ResultSheetRow, ranked = true): UnitExplanation {
  // The stored flags, as the ranking shows them: the engine's alone would miss the unit's own (returned by the council, late…).
  // A tie in displayed index belongs to the ranking, which an unranked reader does not see.
  const flags = ranked ? row.flags : row.flags.filter((flag) => flag !== 'index_display_tie');
  return { ...numbersOf(framework, row, ranked), flags };
}

function numbersOf(framework: Framework, row: ResultSheetRow, ranked: boolean): UnitExplanation {
  if (row.sheet !== null) return explainStoredResult(framework, { ...row, sheet: row.sheet, unit: { code: row.unitCode, name_vi: row.nameVi } }, { ranked });
  if (row.explanation !== null) return ranked ? row.explanation : withoutRanking(row.explanation);
  throw new Error(`The result of ${row.unitCode} (pass ${row.pass}) has neither a sheet nor an explanation`);
}

function withoutRanking(explanation: UnitExplanation): UnitExplanation {
  return { ...explanation, rank: undefined, band: undefined, lines_vi: explanation.lines_vi.filter((line) => !line.startsWith('Xếp hạng')) };
}

/** Last year's campaign whose published ranking this year's is compared with. */
export interface Predecessor {
  id: string;
  year: number;
  nameVi: string;
  places: Map<string, PreviousPlace>;
}

export interface ResultsServiceDeps {
  campaigns: Pick<CampaignRepository, 'findCampaign'>;
  readModel: Pick<ReadModelRepository, 'getResults' | 'getResultSheet' | 'getUnitScores' | 'listResultSheets'>;
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

  /**
   * The predecessor the campaign names, once its results are published: a draft ranking
   * of last year is no yardstick, so until then nothing is compared.
   */
  async function publishedPredecessor(campaign: { definition: unknown }): Promise<Predecessor | null> {
    const previousId = (campaign.definition as CampaignDefinition).previous_campaign_id;
    if (previousId === undefined) return null;
    const previous = await campaigns.findCampaign(previousId);
    if (!previous || previous.stage !== 'published') return null;
    const ranking = await readModel.getResults(previousId);
    if (!ranking?.published) return null;
    return { id: previous.id, year: previous.year, nameVi: previous.nameVi, places: previousPlaces(ranking.groups) };
  }

  /**
   * The ranking: insiders before publication, everyone after (domain/permissions.ts results.read);
   * each unit with its change against the predecessor's published ranking (null without one).
   */
  async function readableResults(actor: Actor, campaignId: string, pass?: number) {
    const campaign = await requireCampaign(campaignId);
    authorize(actor, 'results.read', { published: campaign.stage === 'published' });
    const found = await requireResults(campaignId, pass);
    // After publication the campaign is open to everyone, but an earlier, unapproved pass is not.
    if (!found.published) authorize(actor, 'results.read', { published: false });
    const previous = await publishedPredecessor(campaign);
    const changeOf = (groupCode: string, unit: { unitCode: string; rank: number; indexCenti: number }): YearChange | null =>
      previous && yearChange({ groupCode, rank: unit.rank, indexCenti: unit.indexCenti }, previous.places.get(unit.unitCode));
    const results = {
      ...found,
      previous,
      groups: found.groups.map((group) => ({ ...group, units: group.units.map((unit) => ({ ...unit, change: changeOf(group.code, unit) })) })),
    };
    return { campaign, results };
  }

  /** The ranking laid out as the annex of a results decision, for the workbook and the PDF. */
  async function annex(actor: Actor, campaignId: string, pass?: number) {
    const { campaign, results } = await readableResults(actor, campaignId, pass);
    const { groups: frameworkGroups } = frameworkOf(campaign);
    const groups: ResultsGroup[] = results.groups.map((group) => ({
      code: group.code,
      name_vi: frameworkGroups[group.code]?.name_vi ?? group.code,
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
        change: unit.change,
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
      const framework = frameworkOf(campaign);
      const explanations = (await readModel.listResultSheets(campaignId, results.pass)).map((row) => explanationOf(framework, row));
      const code = verificationLineVi(results.published ? campaign.verificationDigest : null);
      const bytes = await exportResultsWorkbook({
        title_vi: code ? `${campaign.nameVi} · ${code}` : campaign.nameVi,
        groups,
        explanations,
        ...(results.previous ? { compared_with_vi: previousYearCaptionVi(results.previous) } : {}),
      });
      return { pass: results.pass, bytes };
    },

    async explanation(actor: Actor, campaignId: string, unitCode: string, pass?: number) {
      const campaign = await requireCampaign(campaignId);
      const published = campaign.stage === 'published';
      assertCanRead(actor, { campaignId, unitCode, published });
      const row = await readModel.getResultSheet(campaignId, unitCode, pass);
      if (!row) throw new NotFoundError('results_not_found', `Chưa có kết quả của ${unitCode}`, `No result for ${unitCode} yet`);
      // A unit (or any role outside results.read) sees its numbers before publication, not its place in the ranking.
      const ranked = holds(actor, 'results.read', { published });
      return { pass: row.pass, published: row.published, explanation: explanationOf(frameworkOf(campaign), row, ranked) };
    },

    async scores(actor: Actor, campaignId: string, unitCode: string) {
      const campaign = await requireCampaign(campaignId);
      assertCanRead(actor, { campaignId, unitCode, published: campaign.stage === 'published' });
      return readModel.getUnitScores(campaignId, unitCode);
    },
  };
}

export type ResultsService = ReturnType<typeof createResultsService>;
