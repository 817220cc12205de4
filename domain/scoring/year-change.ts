import { formatCentiVi, type Centi } from './points';

/**
 * A unit's place against last year's published ranking, as a results decision
 * prints it beside this year's: the previous rank and index, and the change
 * in words ("tăng 3 bậc", "giảm 1 bậc", "giữ nguyên"; "+2,15 điểm",
 * "−0,40 điểm"). Units are matched by code. A rank is a place within a group,
 * so a unit ranked in another group last year has no rank change; a unit
 * last year's ranking lacks is "mới".
 */

/** Where a unit stood in last year's published ranking. */
export interface PreviousPlace {
  readonly groupCode: string;
  readonly rank: number;
  readonly indexCenti: Centi;
}

export interface YearChange {
  readonly previousRank: number | null;
  readonly previousIndexCenti: Centi | null;
  /** Places gained: previous rank − this rank (positive = moved up); null when there is no rank to compare. */
  readonly rankChange: number | null;
  /** This index − last year's, in hundredths of a percentage point. */
  readonly indexChangeCenti: Centi | null;
  /** "tăng 3 bậc", "giảm 1 bậc", "giữ nguyên", "mới", or "chuyển nhóm" for a unit ranked in another group last year. */
  readonly rankChangeVi: string;
  /** "+2,15 điểm", "−0,40 điểm", "0,00 điểm"; "mới" for a unit new this year. */
  readonly indexChangeVi: string;
}

export const NEW_UNIT_VI = 'mới';
export const GROUP_CHANGED_VI = 'chuyển nhóm';

/** How a results table heads the comparison columns. */
export const YEAR_CHANGE_HEADERS_VI = {
  previousRank: 'Xếp hạng năm trước',
  rankChange: 'Thay đổi thứ hạng',
  previousIndex: 'Chỉ số năm trước (%)',
  indexChange: 'Thay đổi chỉ số',
} as const;

/** "tăng 3 bậc", "giảm 1 bậc", "giữ nguyên". */
export function rankChangeVi(placesGained: number): string {
  if (placesGained === 0) return 'giữ nguyên';
  return `${placesGained > 0 ? 'tăng' : 'giảm'} ${Math.abs(placesGained)} bậc`;
}

/** "+2,15 điểm", "−0,40 điểm" (a true minus sign, as printed), "0,00 điểm". */
export function indexChangeVi(changeCenti: Centi): string {
  const sign = changeCenti > 0 ? '+' : changeCenti < 0 ? '\u2212' : '';
  return `${sign}${formatCentiVi(Math.abs(changeCenti))} điểm`;
}

export function yearChange(current: { groupCode: string; rank: number; indexCenti: Centi }, previous: PreviousPlace | undefined): YearChange {
  if (!previous) {
    return { previousRank: null, previousIndexCenti: null, rankChange: null, indexChangeCenti: null, rankChangeVi: NEW_UNIT_VI, indexChangeVi: NEW_UNIT_VI };
  }
  const indexChangeCenti = current.indexCenti - previous.indexCenti;
  const sameGroup = previous.groupCode === current.groupCode;
  const rankChange = sameGroup ? previous.rank - current.rank : null;
  return {
    previousRank: previous.rank,
    previousIndexCenti: previous.indexCenti,
    rankChange,
    indexChangeCenti,
    rankChangeVi: rankChange === null ? GROUP_CHANGED_VI : rankChangeVi(rankChange),
    indexChangeVi: indexChangeVi(indexChangeCenti),
  };
}

/** Last year's places by unit code, from its published ranking's groups. */
export function previousPlaces(groups: readonly { code: string; units: readonly { unitCode: string; rank: number; indexCenti: Centi }[] }[]): Map<string, PreviousPlace> {
  const places = new Map<string, PreviousPlace>();
  for (const group of groups) {
    for (const unit of group.units) places.set(unit.unitCode, { groupCode: group.code, rank: unit.rank, indexCenti: unit.indexCenti });
  }
  return places;
}

/** The comparison as a table prints it: empty previous cells for a unit new this year. */
export function yearChangeTextsVi(change: YearChange): { previousRank: string; rankChange: string; previousIndex: string; indexChange: string } {
  return {
    previousRank: change.previousRank === null ? '' : String(change.previousRank),
    rankChange: change.rankChangeVi,
    previousIndex: change.previousIndexCenti === null ? '' : formatCentiVi(change.previousIndexCenti),
    indexChange: change.indexChangeVi,
  };
}

/** The line under a results table's title naming what it is compared with. */
export function previousYearCaptionVi(previous: { year: number; nameVi: string }): string {
  return `So sánh với kết quả đã công bố năm ${previous.year}: ${previous.nameVi}`;
}
