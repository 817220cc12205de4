import { describe, expect, it } from 'vitest';
import { combineComponents, divideRoundHalfUp, indexPercent, rankGroup, toCenti, type GroupLimits } from '../../../domain/scoring';
import { PAR_INDEX_2023_MINISTRIES as TABLE, PAR_INDEX_2023_MINISTRIES_AVERAGE_INDEX } from './fixtures/par-index-2023-ministries';

// The table does not print the component maxima; they do not enter total,
// index or rank (no rescale, no caps reached), so the group max stands in.
const LIMITS: GroupLimits = { maxCenti: 10_000, assessedMaxCenti: 10_000, surveyMaxCenti: 10_000, bonusMaxCenti: 0, penaltyMaxCenti: 0 };
const SETTINGS = { rescale_assessed_when_no_survey: false };

/**
 * The publisher summed unrounded components and printed each one rounded to
 * two decimals, so for these ministries the printed components add up to the
 * printed total ± 0,01. The engine stores hundredths, so its printed
 * components always add up to its printed total.
 */
const PRINTED_COMPONENTS_OFF_BY_ONE_HUNDREDTH = [
  'Bộ Tư pháp',
  'Ngân hàng Nhà nước Việt Nam',
  'Bộ Nội vụ',
  'Bộ Tài nguyên và Môi trường',
  'Bộ Nông nghiệp và Phát triển Nông thôn',
  'Bộ Lao động - Thương binh và Xã hội',
  'Bộ Văn hóa, Thể thao và Du lịch',
  'Bộ Khoa học và Công nghệ',
  'Bộ Ngoại giao',
];

function fromComponents(row: (typeof TABLE)[number]) {
  return combineComponents(LIMITS, { assessedCenti: toCenti(Number(row.assessed)), surveyCenti: toCenti(Number(row.survey)) }, SETTINGS);
}

describe('a real published results table: PAR INDEX 2023, ministries (Bộ Nội vụ, 17/04/2024)', () => {
  it('reproduces every published index percentage and rank exactly from the published totals', () => {
    const entries = TABLE.map((row) => {
      const totalCenti = toCenti(Number(row.total));
      return { unitCode: row.unit, unitName: row.unit, totalCenti, assessedCenti: toCenti(Number(row.assessed)), indexPercentCenti: indexPercent(totalCenti, LIMITS.maxCenti) };
    });
    for (const [position, entry] of entries.entries()) {
      expect(entry.indexPercentCenti, TABLE[position]?.unit).toBe(toCenti(Number(TABLE[position]?.index)));
    }
    const ranked = rankGroup(entries, { tieBreakByAssessed: false });
    expect(ranked.map((entry) => [entry.unitName, entry.rank])).toEqual(TABLE.map((row) => [row.unit, row.rank]));
  });

  it('reproduces the published average index of the group', () => {
    const sum = TABLE.reduce((total, row) => total + toCenti(Number(row.index)), 0);
    expect(divideRoundHalfUp(BigInt(sum), BigInt(TABLE.length))).toBe(toCenti(Number(PAR_INDEX_2023_MINISTRIES_AVERAGE_INDEX)));
  });

  it('reproduces from the appraised and survey components every total whose printed components add up, and the rest within the publisher’s ±0,01 display rounding', () => {
    const offByOne: string[] = [];
    for (const row of TABLE) {
      const computed = fromComponents(row);
      const published = toCenti(Number(row.total));
      expect(Math.abs(computed.totalCenti - published), row.unit).toBeLessThanOrEqual(1);
      expect(computed.indexPercentCenti).toBe(computed.totalCenti);
      if (computed.totalCenti !== published) offByOne.push(row.unit);
    }
    expect(offByOne).toEqual(PRINTED_COMPONENTS_OFF_BY_ONE_HUNDREDTH);
    expect(TABLE.length - offByOne.length).toBe(8);
  });

  it('ranks the ministries from their appraised and survey components exactly as published', () => {
    const entries = TABLE.map((row) => {
      const totals = fromComponents(row);
      return { unitCode: row.unit, unitName: row.unit, totalCenti: totals.totalCenti, assessedCenti: totals.assessedCenti, indexPercentCenti: totals.indexPercentCenti };
    });
    const ranked = rankGroup(entries, { tieBreakByAssessed: false });
    expect(ranked.map((entry) => [entry.unitName, entry.rank])).toEqual(TABLE.map((row) => [row.unit, row.rank]));
    expect(ranked.some((entry) => entry.indexDisplayTie)).toBe(false);
  });
});
