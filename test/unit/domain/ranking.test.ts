import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, rankGroup, type RankingEntry } from '../../../domain/scoring';

function entry(unitName: string, totalCenti: number, assessedCenti = 0): RankingEntry {
  return { unitCode: unitName, unitName, totalCenti, assessedCenti, indexPercentCenti: totalCenti };
}

const entryArbitrary = fc.record({
  unitCode: fc.uuid(),
  unitName: fc.constantFrom('Sở Nội vụ', 'Sở Tư pháp', 'Quận Ba Đình', 'Huyện Ứng Hòa', 'Sở Y tế', 'Ban Dân tộc', 'Đống Đa'),
  totalCenti: fc.integer({ min: 0, max: 10_000 }),
  assessedCenti: fc.integer({ min: 0, max: 7_000 }),
  indexPercentCenti: fc.constant(0),
});

describe('ranking within a group', () => {
  it('gives equal totals the same rank and skips the next ranks (1, 2, 2, 4)', () => {
    const ranked = rankGroup([entry('A', 9000), entry('B', 8500, 6000), entry('C', 8500, 6500), entry('D', 8000)], { tieBreakByAssessed: false });
    expect(ranked.map((row) => [row.unitName, row.rank])).toEqual([['A', 1], ['B', 2], ['C', 2], ['D', 4]]);
  });

  it('breaks ties by assessed points only when the campaign says so', () => {
    const ranked = rankGroup([entry('A', 9000), entry('B', 8500, 6000), entry('C', 8500, 6500), entry('D', 8500, 6500)], { tieBreakByAssessed: true });
    expect(ranked.map((row) => [row.unitName, row.rank])).toEqual([['A', 1], ['C', 2], ['D', 2], ['B', 4]]);
  });

  it('lets a unit with more assessed points rank below one with a higher total', () => {
    const ranked = rankGroup([entry('A', 8000, 6900), entry('B', 8100, 5000)], { tieBreakByAssessed: true });
    expect(ranked.map((row) => row.unitName)).toEqual(['B', 'A']);
  });

  it('orders tied units by Vietnamese name', () => {
    const names = ['Sở Y tế', 'Ban Dân tộc', 'Đống Đa', 'Quận Ba Đình', 'Sở Du lịch', 'Dương Nội'];
    const ranked = rankGroup(names.map((name) => entry(name, 8000)), { tieBreakByAssessed: false });
    expect(ranked.map((row) => row.unitName)).toEqual([...names].sort(new Intl.Collator('vi').compare));
    expect(ranked.map((row) => row.unitName).indexOf('Dương Nội')).toBeLessThan(ranked.map((row) => row.unitName).indexOf('Đống Đa'));
  });

  it('is consistent with the totals: a higher total never ranks worse, ranks follow the tie rule', () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 40 }), fc.boolean(), (entries, tieBreakByAssessed) => {
        const ranked = rankGroup(entries, { tieBreakByAssessed });
        expect(ranked).toHaveLength(entries.length);
        for (const a of ranked) {
          const better = ranked.filter((b) => b.totalCenti > a.totalCenti || (tieBreakByAssessed && b.totalCenti === a.totalCenti && b.assessedCenti > a.assessedCenti));
          expect(a.rank).toBe(better.length + 1);
          for (const b of ranked) {
            if (a.totalCenti > b.totalCenti) expect(a.rank).toBeLessThan(b.rank);
            if (a.totalCenti === b.totalCenti && !tieBreakByAssessed) expect(a.rank).toBe(b.rank);
          }
        }
        ranked.forEach((row, index) => {
          if (index > 0) expect(row.rank).toBeGreaterThanOrEqual(ranked[index - 1]!.rank);
        });
      }),
    );
  });

  it('flags units that show the same rounded index but hold different ranks', () => {
    const ranked = rankGroup(
      [
        { unitCode: 'A', unitName: 'A', totalCenti: 6001, assessedCenti: 0, indexPercentCenti: 8573 },
        { unitCode: 'B', unitName: 'B', totalCenti: 6000, assessedCenti: 0, indexPercentCenti: 8573 },
      ],
      { tieBreakByAssessed: false },
    );
    expect(ranked.map((row) => [row.rank, row.indexDisplayTie])).toEqual([[1, true], [2, true]]);
  });

  it('classifies by the first band whose minimum the index reaches', () => {
    const bands = [
      { code: 'TOT', name_vi: 'Tốt', min_percent: 80 },
      { code: 'KHA', name_vi: 'Khá', min_percent: 65 },
      { code: 'TB', name_vi: 'Trung bình', min_percent: 50 },
    ];
    expect(classify(8000, bands)?.code).toBe('TOT');
    expect(classify(7999, bands)?.code).toBe('KHA');
    expect(classify(4999, bands)).toBeUndefined();
    expect(classify(9000, undefined)).toBeUndefined();
  });
});
