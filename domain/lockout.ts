/**
 * Per-account lockout after repeated failed logins, on top of the per-IP rate
 * limit (a guesser spreading attempts over many addresses still hits this).
 * The first FREE_FAILURES failures cost nothing; each further one locks the
 * account for BASE_LOCK_MS doubled per failure past them, at most MAX_LOCK_MS.
 * A successful login resets the count (db/repositories/users.ts records both).
 */

export const FREE_FAILURES = 4;
export const BASE_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 3_600_000;

/** How long the account locks after its `failures`-th consecutive failure (0: not locked). */
export function lockDurationMs(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(BASE_LOCK_MS * 2 ** Math.min(failures - FREE_FAILURES - 1, 30), MAX_LOCK_MS);
}
