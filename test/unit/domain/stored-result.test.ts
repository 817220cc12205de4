import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeUnitResult,
  explainStoredResult,
  explainUnit,
  freezeSheet,
  rankUnitResults,
  thawSheet,
  SCORE_COLUMNS,
  type StoredResult,
  type SubcriterionScore,
} from '../../../domain/scoring';
import { scoreSheet } from './fixtures/arbitraries';
import { loadSampleFramework } from './fixtures/sample-framework';

const framework = loadSampleFramework();
const department = framework.groups.department!;
const unit = { code: 'STP', name_vi: 'Sở Tư pháp' };

/** A sub-criterion with no mark at all scores as one that is absent. */
const marked = (scores: readonly SubcriterionScore[]) => scores.filter((score) => SCORE_COLUMNS.some((column) => score[column] !== undefined));

describe('the frozen sheet a results row keeps', () => {
  it('gives back every mark it was made from: input, points, who, when and note', () => {
    fc.assert(
      fc.property(scoreSheet(department), (scores) => {
        expect(thawSheet(freezeSheet(scores))).toEqual(marked(scores));
      }),
      { numRuns: 200 },
    );
  });

  it('rebuilds the explanation the engine gives for the same sheet, survey and rank', () => {
    fc.assert(
      fc.property(scoreSheet(department), fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: null }), (scores, surveyCenti) => {
        const computed = computeUnitResult({
          framework,
          groupCode: 'department',
          unit,
          scores,
          survey: surveyCenti === null ? undefined : { kind: 'points', pointsCenti: surveyCenti },
        });
        expect(computed.ok).toBe(true);
        if (!computed.ok) return;
        const [ranked] = rankUnitResults(framework, department, [computed.value]);
        const totals = computed.value.totals;
        const stored: StoredResult = {
          unit,
          groupCode: 'department',
          sheet: freezeSheet(scores),
          surveyCenti,
          bonusCenti: totals.bonusCenti,
          penaltyCenti: totals.penaltyCenti,
          assessedCenti: totals.assessedCenti,
          totalCenti: totals.totalCenti,
          indexCenti: totals.indexPercentCenti,
          rank: ranked!.rank,
          classification: ranked!.band?.code ?? null,
        };
        expect(explainStoredResult(framework, stored)).toEqual(explainUnit(framework, computed.value, ranked));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses to explain figures its sheet no longer adds up to', () => {
    const sheet = freezeSheet([
      { subcriterionCode: '1.1.1', self: { input: { kind: 'boolean', value: true }, pointsCenti: 100, setBy: 'unit:STP', setAt: '2020-01-10T09:00:00+07:00' } },
    ]);
    const stored: StoredResult = {
      unit,
      groupCode: 'department',
      sheet,
      surveyCenti: 2_000,
      bonusCenti: 0,
      penaltyCenti: 0,
      assessedCenti: 100,
      totalCenti: 2_100,
      indexCenti: 2_100,
      rank: 1,
      classification: null,
    };
    expect(explainStoredResult(framework, stored).totalCenti).toBe(2_100);
    expect(() => explainStoredResult(framework, { ...stored, totalCenti: 2_200, indexCenti: 2_200 })).toThrow(/rebuilds to 2100/);
  });
});
