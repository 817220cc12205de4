import { divideRoundHalfUp, type Centi } from './points';

/** How a results decision labels the group average (workbook, PDF, public page). */
export const GROUP_AVERAGE_LABEL_VI = 'Chỉ số trung bình của nhóm';

/**
 * The group average index printed under each group of a results decision:
 * the mean of the units' indexes, rounded half-up to hundredths like every
 * other printed number. Undefined for a group with no unit.
 */
export function groupAverageIndexCenti(indexes: readonly Centi[]): Centi | undefined {
  if (indexes.length === 0) return undefined;
  const sum = indexes.reduce((total, index) => total + BigInt(index), 0n);
  return divideRoundHalfUp(sum, BigInt(indexes.length));
}
