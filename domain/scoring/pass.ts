/**
 * One aggregation pass over a campaign: every unit's totals from its summed-up
 * marks and survey points, ranked within its group, as the rows the results
 * table keeps. The aggregation activity runs it over what the read model holds;
 * verification runs it over what the chained events re-derive, so a published
 * pass can be recomputed by the same code that computed it.
 */
import type { CampaignDefinition } from '../campaign';
import type { UnitFlag } from '../units';
import type { ResultFlag } from './combine';
import type { SurveyResult } from './survey';
import { computeUnitTotals, rankUnitResults, unknownGroup, type UnitResultError, type UnitTotals } from './unit-result';
import type { UnitSheet } from './unit-sheet';

/** A results row's flags: the unit's workflow flags, the engine's, and a tie that the printed index hides. */
export type PassRowFlag = UnitFlag | ResultFlag | 'index_display_tie';

/** What a pass reads for one campaign: one entry per unit, its marks already summed up. */
export interface AggregationInput {
  definition: CampaignDefinition;
  /** assessed and sheetVersion are null only for a unit of a group the framework lacks: it has no sheet. */
  units: { code: string; nameVi: string; groupCode: string; flags: UnitFlag[]; assessed: UnitSheet['assessed'] | null; sheetVersion: number | null }[];
  surveyPoints: { unitCode: string; pointsCenti: number }[];
}

/** A results row as a pass computes it; `sheetVersion` names the unit sheet it scored, which the row keeps frozen. */
export interface PassRow {
  campaignId: string;
  pass: number;
  unitCode: string;
  groupCode: string;
  assessedCenti: number;
  /** null: the unit has no survey result. */
  surveyCenti: number | null;
  bonusCenti: number;
  penaltyCenti: number;
  totalCenti: number;
  indexCenti: number;
  rank: number;
  classification: string | null;
  flags: PassRowFlag[];
  sheetVersion: number;
  computedAt: Date;
}

export type UnitAggregationError = UnitResultError & { unitCode: string };

/** The results rows of one pass, or every unit's refusal. */
export function computeResultRows(
  data: AggregationInput,
  campaignId: string,
  pass: number,
  computedAt: Date,
): { ok: true; value: PassRow[] } | { ok: false; errors: UnitAggregationError[] } {
  const framework = data.definition.framework;
  // Hanoi's institute delivers points per unit (survey.ts, kind 'points').
  const survey = new Map(data.surveyPoints.map((row) => [row.unitCode, row.pointsCenti]));

  const errors: UnitAggregationError[] = [];
  const byGroup = new Map<string, UnitTotals[]>();
  const scored = new Map<string, { flags: readonly UnitFlag[]; sheetVersion: number }>();
  for (const unit of data.units) {
    // No sheet: the unit's group is not in the framework (every other unit has one).
    if (unit.assessed === null || unit.sheetVersion === null) {
      errors.push({ ...unknownGroup(unit.groupCode), unitCode: unit.code });
      continue;
    }
    scored.set(unit.code, { flags: unit.flags, sheetVersion: unit.sheetVersion });
    const pointsCenti = survey.get(unit.code);
    const surveyResult: SurveyResult | undefined = pointsCenti === undefined ? undefined : { kind: 'points', pointsCenti };
    const computed = computeUnitTotals({
      framework,
      groupCode: unit.groupCode,
      unit: { code: unit.code, name_vi: unit.nameVi },
      assessed: unit.assessed,
      survey: surveyResult,
    });
    if (!computed.ok) {
      errors.push(...computed.error.map((error) => ({ ...error, unitCode: unit.code })));
      continue;
    }
    const group = byGroup.get(unit.groupCode);
    if (group === undefined) byGroup.set(unit.groupCode, [computed.value]);
    else group.push(computed.value);
  }
  if (errors.length > 0) return { ok: false, errors };

  const rows: PassRow[] = [];
  for (const [groupCode, groupResults] of byGroup) {
    const group = framework.groups[groupCode];
    if (group === undefined) continue; // computeUnitTotals already refused units of unknown groups
    for (const ranked of rankUnitResults(framework, group, groupResults)) {
      const { result } = ranked;
      const totals = result.totals;
      const { flags: unitFlags, sheetVersion } = scored.get(result.unit.code)!;
      const tie: PassRowFlag[] = ranked.indexDisplayTie ? ['index_display_tie'] : [];
      rows.push({
        campaignId,
        pass,
        unitCode: result.unit.code,
        groupCode,
        assessedCenti: totals.assessedCenti,
        surveyCenti: result.survey.held ? totals.surveyCenti : null,
        bonusCenti: totals.bonusCenti,
        penaltyCenti: totals.penaltyCenti,
        totalCenti: totals.totalCenti,
        indexCenti: totals.indexPercentCenti,
        rank: ranked.rank,
        classification: ranked.band?.code ?? null,
        flags: [...new Set<PassRowFlag>([...unitFlags, ...totals.flags, ...tie])],
        sheetVersion,
        computedAt,
      });
    }
  }
  return { ok: true, value: rows };
}
