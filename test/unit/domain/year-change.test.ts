import { describe, expect, it } from 'vitest';
import { indexChangeVi, rankChangeVi, yearChange } from '../../../domain/scoring';

describe('a unit against last year’s ranking', () => {
  it('says the rank change in Vietnamese', () => {
    expect(rankChangeVi(3)).toBe('tăng 3 bậc');
    expect(rankChangeVi(-1)).toBe('giảm 1 bậc');
    expect(rankChangeVi(0)).toBe('giữ nguyên');
  });

  it('says the index change in points with a decimal comma and a true minus sign', () => {
    expect(indexChangeVi(215)).toBe('+2,15 điểm');
    expect(indexChangeVi(-40)).toBe('\u22120,40 điểm');
    expect(indexChangeVi(-1205)).toBe('\u221212,05 điểm');
    expect(indexChangeVi(0)).toBe('0,00 điểm');
  });

  it('compares a unit found last year in the same group', () => {
    expect(yearChange({ groupCode: 'district', rank: 2, indexCenti: 8693 }, { groupCode: 'district', rank: 5, indexCenti: 8478 })).toEqual({
      previousRank: 5,
      previousIndexCenti: 8478,
      rankChange: 3,
      indexChangeCenti: 215,
      rankChangeVi: 'tăng 3 bậc',
      indexChangeVi: '+2,15 điểm',
    });
  });

  it('calls a unit last year lacked new, and gives no rank change to one ranked in another group', () => {
    expect(yearChange({ groupCode: 'district', rank: 1, indexCenti: 9000 }, undefined)).toMatchObject({ previousRank: null, rankChange: null, rankChangeVi: 'mới', indexChangeVi: 'mới' });
    expect(yearChange({ groupCode: 'district', rank: 1, indexCenti: 9000 }, { groupCode: 'department', rank: 4, indexCenti: 9040 })).toMatchObject({
      previousRank: 4,
      rankChange: null,
      rankChangeVi: 'chuyển nhóm',
      indexChangeVi: '\u22120,40 điểm',
    });
  });
});
