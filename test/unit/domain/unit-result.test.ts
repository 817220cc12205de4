import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listSubcriteria, type Framework } from '../../../domain/framework';
import {
  aggregateAnswerCounts,
  combineComponents,
  computeSurveyPoints,
  computeUnitResult,
  explainUnit,
  rankUnitResults,
  rollUpAssessed,
  sumCenti,
  toCenti,
  type SubcriterionScore,
} from '../../../domain/scoring';
import { scoreSheet } from './fixtures/arbitraries';
import { loadSampleFramework } from './fixtures/sample-framework';

const framework = loadSampleFramework();
const department = framework.groups.department!;
const AT = '2020-02-14T09:00:00+07:00';

function fullMarks(): SubcriterionScore[] {
  return listSubcriteria(department).map(({ subcriterion }) => ({
    subcriterionCode: subcriterion.code,
    self: { input: inputForMax(subcriterion.rule.kind, toCenti(subcriterion.max_points)), pointsCenti: toCenti(subcriterion.max_points), setBy: 'SNV', setAt: AT },
  }));
}

function inputForMax(kind: string, maxCenti: number) {
  if (kind === 'boolean') return { kind: 'boolean', value: true } as const;
  if (kind === 'manual') return { kind: 'points', pointsCenti: maxCenti } as const;
  return { kind: 'percent', percentCenti: 10_000 } as const;
}

describe('roll-up of a unit', () => {
  it('makes every criterion, area and the assessed total the sum of its leaves, per column, never above the max', () => {
    fc.assert(
      fc.property(scoreSheet(department), (scores) => {
        const rollup = rollUpAssessed(department, scores);
        expect(rollup.ok).toBe(true);
        if (!rollup.ok) return;
        const columns = ['self', 'round1', 'round2', 'final'] as const;
        for (const column of columns) {
          const leaves = rollup.value.areas.flatMap((area) => area.criteria.flatMap((criterion) => criterion.subcriteria));
          expect(rollup.value.points[column]).toBe(sumCenti(leaves.map((leaf) => leaf.points[column])));
          for (const area of rollup.value.areas) {
            expect(area.points[column]).toBe(sumCenti(area.criteria.map((criterion) => criterion.points[column])));
            expect(area.points[column]).toBeLessThanOrEqual(area.maxCenti);
            for (const criterion of area.criteria) {
              expect(criterion.points[column]).toBe(sumCenti(criterion.subcriteria.map((sub) => sub.points[column])));
              expect(criterion.points[column]).toBeLessThanOrEqual(criterion.maxCenti);
            }
          }
          expect(rollup.value.points[column]).toBeLessThanOrEqual(rollup.value.maxCenti);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('takes the final score from round 2, else round 1, else the self-assessment, and lists what nobody scored', () => {
    const [first, second, third] = listSubcriteria(department).map((location) => location.subcriterion.code);
    const mark = (value: boolean) => ({ input: { kind: 'boolean', value } as const, pointsCenti: value ? 100 : 0, setBy: 'x', setAt: AT });
    const rollup = rollUpAssessed(department, [
      { subcriterionCode: first!, self: mark(true), round1: mark(false) },
      { subcriterionCode: third!, self: { input: { kind: 'percent', percentCenti: 10_000 }, pointsCenti: 200, setBy: 'x', setAt: AT } },
    ]);
    expect(rollup.ok).toBe(true);
    if (!rollup.ok) return;
    const lines = rollup.value.areas[0]!.criteria.flatMap((criterion) => criterion.subcriteria);
    expect(lines[0]).toMatchObject({ finalColumn: 'round1', points: { self: 100, round1: 0, round2: 0, final: 0 } });
    expect(lines[1]).toMatchObject({ finalColumn: undefined, points: { final: 0 } });
    expect(rollup.value.unscored.final).toContain(second);
    expect(rollup.value.unscored.final).not.toContain(first);
  });

  it('rejects stored points that the rule would not give, and unknown sub-criteria', () => {
    const rollup = rollUpAssessed(department, [
      { subcriterionCode: '1.1.1', self: { input: { kind: 'boolean', value: false }, pointsCenti: 100, setBy: 'x', setAt: AT } },
      { subcriterionCode: '9.9.9' },
      { subcriterionCode: '1.5.1', round1: { input: { kind: 'points', pointsCenti: 125 }, pointsCenti: 125, setBy: 'x', setAt: AT } },
    ]);
    expect(rollup.ok).toBe(false);
    if (rollup.ok) return;
    expect(rollup.error.map((error) => [error.code, error.subcriterionCode])).toEqual([
      ['points_mismatch', '1.1.1'],
      ['unknown_subcriterion', '9.9.9'],
      ['points_off_step', '1.5.1'],
    ]);
  });
});

describe('survey points', () => {
  it('computes question points from exact aggregates, half-up per question, and sums them', () => {
    const counts = aggregateAnswerCounts(department.survey, 'S1', { A: 1, B: 1, C: 1, X: 5 });
    expect(counts).toEqual({ ok: true, value: { questionCode: 'S1', sumWeightHundredths: 180, validCount: 3 } });
    const result = computeSurveyPoints(department.survey, {
      kind: 'aggregates',
      questions: [
        { questionCode: 'S1', sumWeightHundredths: 180, validCount: 3 }, // 3 × 0,6 = 1,80
        { questionCode: 'S2', sumWeightHundredths: 100, validCount: 3 }, // 3 × 1/3 = 1,00
        { questionCode: 'S3', sumWeightHundredths: 200, validCount: 3 }, // 3 × 2/3 = 2,00
        { questionCode: 'S4', sumWeightHundredths: 1, validCount: 8 }, // 3 × 0,00125 = 0,00375 → 0,00
        { questionCode: 'S5', sumWeightHundredths: 1, validCount: 2 }, // 3 × 0,005 = 0,015 → 0,02
        { questionCode: 'S6', sumWeightHundredths: 0, validCount: 0 },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.questions?.map((line) => line.pointsCenti)).toEqual([180, 100, 200, 0, 2, 0, 0, 0, 0, 0]);
    expect(result.value.pointsCenti).toBe(482);
    expect(result.value.questionsWithoutAnswers).toEqual(['S6', 'S7', 'S8', 'S9', 'S10']);
  });

  it('never gives more than the survey max', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ validCount: fc.integer({ min: 0, max: 40_000 }), share: fc.double({ min: 0, max: 1, noNaN: true }) }), {
          minLength: 10,
          maxLength: 10,
        }),
        (answers) => {
          const questions = answers.map(({ validCount, share }, index) => ({
            questionCode: `S${index + 1}`,
            validCount,
            sumWeightHundredths: Math.floor(share * 100 * validCount),
          }));
          const result = computeSurveyPoints(department.survey, { kind: 'aggregates', questions });
          expect(result.ok).toBe(true);
          if (result.ok) expect(result.value.pointsCenti).toBeLessThanOrEqual(3_000);
        },
      ),
    );
  });
});

describe('total and index', () => {
  const limits = { maxCenti: 10_000, assessedMaxCenti: 7_000, surveyMaxCenti: 3_000, bonusMaxCenti: 300, penaltyMaxCenti: 200 };

  it('adds assessed, survey and bonus, subtracts the penalty, and caps both at their limits', () => {
    const totals = combineComponents(limits, { assessedCenti: 6_000, surveyCenti: 2_500, bonusCenti: 500, penaltyCenti: 100 }, { rescale_assessed_when_no_survey: false });
    expect(totals).toMatchObject({ bonusCenti: 300, penaltyCenti: 100, totalCenti: 8_700, indexPercentCenti: 8_700, flags: ['bonus_capped'] });
  });

  it('rescales the assessed points to 100 when there is no survey and the campaign says so', () => {
    const rescaled = combineComponents(limits, { assessedCenti: 6_085, surveyCenti: undefined }, { rescale_assessed_when_no_survey: true });
    expect(rescaled).toMatchObject({ rescaledAssessedCenti: 8_693, totalCenti: 8_693, flags: ['survey_missing', 'assessed_rescaled'] });
    const notRescaled = combineComponents(limits, { assessedCenti: 6_085, surveyCenti: undefined }, { rescale_assessed_when_no_survey: false });
    expect(notRescaled).toMatchObject({ rescaledAssessedCenti: undefined, totalCenti: 6_085, flags: ['survey_missing'] });
  });

  it('rounds the index half-up to two decimals when the group max is not 100', () => {
    const totals = combineComponents({ ...limits, maxCenti: 7_000, surveyMaxCenti: 0 }, { assessedCenti: 6_001, surveyCenti: 0 }, { rescale_assessed_when_no_survey: false });
    expect(totals.indexPercentCenti).toBe(8_573); // 60,01 / 70 = 85,7285…%
  });

  it('never lets a total exceed the group max or fall below zero', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7_000 }),
        fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: undefined }),
        fc.nat(5_000),
        fc.nat(20_000),
        fc.boolean(),
        (assessedCenti, surveyCenti, bonusCenti, penaltyCenti, rescale) => {
          const totals = combineComponents(limits, { assessedCenti, surveyCenti, bonusCenti, penaltyCenti }, { rescale_assessed_when_no_survey: rescale });
          expect(totals.totalCenti).toBeGreaterThanOrEqual(0);
          expect(totals.totalCenti).toBeLessThanOrEqual(limits.maxCenti);
          expect(totals.indexPercentCenti).toBeLessThanOrEqual(10_000);
        },
      ),
    );
  });
});

describe('unit result and explanation', () => {
  it('computes, ranks and explains every number of a unit', () => {
    const full = computeUnitResult({
      framework,
      groupCode: 'department',
      unit: { code: 'SNV', name_vi: 'Sở Nội vụ' },
      scores: fullMarks(),
      survey: { kind: 'points', pointsCenti: 2_500 },
    });
    const partial = computeUnitResult({
      framework,
      groupCode: 'department',
      unit: { code: 'STP', name_vi: 'Sở Tư pháp' },
      scores: fullMarks().slice(1),
      survey: { kind: 'points', pointsCenti: 2_500 },
    });
    expect(full.ok && partial.ok).toBe(true);
    if (!full.ok || !partial.ok) return;
    expect(full.value.totals).toMatchObject({ assessedCenti: 7_000, surveyCenti: 2_500, totalCenti: 9_500, indexPercentCenti: 9_500, flags: [] });
    expect(partial.value.totals.flags).toContain('unscored_items');

    const ranking = rankUnitResults(framework, department, [partial.value, full.value]);
    expect(ranking.map((row) => [row.unitCode, row.rank])).toEqual([['SNV', 1], ['STP', 2]]);

    const explanation = explainUnit(framework, full.value, ranking[0]);
    const subcriteria = explanation.areas.flatMap((area) => area.criteria.flatMap((criterion) => criterion.subcriteria));
    expect(subcriteria).toHaveLength(listSubcriteria(department).length);
    expect(subcriteria[0]).toMatchObject({ code: '1.1.1', rule_vi: 'Có: 1,00 điểm; Không: 0 điểm', finalColumn: 'self' });
    expect(subcriteria[0]?.marks[0]).toMatchObject({ column: 'self', input_vi: 'Có', setBy: 'SNV', setAt: AT });
    expect(explanation).toMatchObject({ totalCenti: 9_500, indexPercentCenti: 9_500, rank: 1 });
    expect(explanation.lines_vi).toEqual(
      expect.arrayContaining(['Điểm thẩm định: 1 (13,00) + 2 (8,00) + 3 (14,00) + 4 (7,00) + 5 (10,00) + 6 (7,00) + 7 (11,00) = 70,00 / 70,00', 'Chỉ số CCHC: 95,00%', 'Xếp hạng: 1']),
    );
  });

  it('refuses to count unscored items as zero when the campaign says so', () => {
    const strict: Framework = { ...framework, scoring_settings: { unscored_counts_as_zero: false } };
    const result = computeUnitResult({ framework: strict, groupCode: 'department', unit: { code: 'STP', name_vi: 'Sở Tư pháp' }, scores: fullMarks().slice(1) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.map((error) => error.code)).toEqual(['unscored_items']);
  });
});
