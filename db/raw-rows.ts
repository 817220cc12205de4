/**
 * Rows of a raw `db.execute(sql…)`, mapped by hand where drizzle's per-cell
 * mapping cost more than the query (4 ms of a 500-row progress page,
 * seconds of 400,000 score rows; BENCHMARKS.md, P4 and P5). The drivers differ in what they hand over:
 * postgres.js an array of rows with timestamps as text (drizzle turns its date
 * parsing off) and json parsed; PGlite an object holding the rows, timestamps
 * as Date.
 */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export type RawTimestamp = string | Date;

export function dateOf(value: RawTimestamp): Date;
export function dateOf(value: RawTimestamp | null): Date | null;
export function dateOf(value: RawTimestamp | null): Date | null {
  return value === null ? null : new Date(value);
}

/** A json or jsonb cell, whether the driver parsed it or not. */
export function jsonOf<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
