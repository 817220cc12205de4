import type { ScoredEntry } from '../../domain/assessment-checks';

/** The read-model effect that writes one column of a unit's scores. */
export function scoresEffect(unitCode: string, column: 'self' | 'round1' | 'round2', entries: ScoredEntry[], setBy: string, setAt: string) {
  return { kind: 'scores' as const, unitCode, column, entries, setBy, setAt };
}
