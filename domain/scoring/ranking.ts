import type { ClassificationBand } from '../framework/schema';
import { toCenti, type Centi } from './points';

/**
 * Ranking within one unit group (departments and districts are never ranked
 * together).
 *
 * Tie rule: units with equal totals share a rank and the next rank is skipped
 * (1, 2, 2, 4: "standard competition ranking"). Only when the campaign sets
 * tie_break_by_assessed are equal totals ordered by assessed points; units
 * equal on both still share a rank. A higher assessed score never breaks a tie
 * otherwise, so a unit with more assessed points can rank below one with a
 * higher total.
 *
 * Ranks compare the exact hundredths of the total, never the rounded index %.
 * When two units display the same index % yet hold different ranks (possible
 * when the group max is not 100), both are flagged with indexDisplayTie.
 *
 * Output order: rank, then Vietnamese name by Intl.Collator('vi').
 */

export type RankingEntry = {
  readonly unitCode: string;
  readonly unitName: string;
  readonly totalCenti: Centi;
  readonly assessedCenti: Centi;
  readonly indexPercentCenti: Centi;
};

export type RankedEntry<E extends RankingEntry = RankingEntry> = E & {
  readonly rank: number;
  readonly band: ClassificationBand | undefined;
  readonly indexDisplayTie: boolean;
};

export type RankingOptions = {
  readonly tieBreakByAssessed: boolean;
  readonly classification?: readonly ClassificationBand[];
};

export function rankGroup<E extends RankingEntry>(entries: readonly E[], options: RankingOptions): RankedEntry<E>[] {
  const collator = new Intl.Collator('vi');
  const compareScore = (a: RankingEntry, b: RankingEntry): number =>
    b.totalCenti - a.totalCenti || (options.tieBreakByAssessed ? b.assessedCenti - a.assessedCenti : 0);
  const ordered = [...entries].sort(
    (a, b) => compareScore(a, b) || collator.compare(a.unitName, b.unitName) || compareCodes(a.unitCode, b.unitCode),
  );

  const ranks: number[] = [];
  ordered.forEach((entry, index) => {
    const previous = ordered[index - 1];
    const previousRank = ranks[index - 1];
    ranks.push(previous !== undefined && previousRank !== undefined && compareScore(previous, entry) === 0 ? previousRank : index + 1);
  });

  return ordered.map((entry, index) => {
    const rank = ranks[index] ?? index + 1;
    const indexDisplayTie = ordered.some(
      (other, otherIndex) => other.indexPercentCenti === entry.indexPercentCenti && ranks[otherIndex] !== rank,
    );
    return { ...entry, rank, band: classify(entry.indexPercentCenti, options.classification), indexDisplayTie };
  });
}

/** The first band (ordered by min_percent descending) whose minimum the index reaches. */
export function classify(
  indexPercentCenti: Centi,
  bands: readonly ClassificationBand[] | undefined,
): ClassificationBand | undefined {
  return bands?.find((band) => indexPercentCenti >= toCenti(band.min_percent));
}

function compareCodes(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
