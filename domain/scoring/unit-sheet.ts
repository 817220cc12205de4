import type { FrameworkGroup } from '../framework/schema';
import type { Centi, Parsed } from './points';
import { rollUpAssessed, type ScoreSheetError } from './rollup';
import type { ScoreColumn, ScoreInput, ScoreMark, SubcriterionScore } from './score-entry';
import { freezeSheet, type FrozenSheet } from './stored-result';
import { summariseAssessed, type AssessedSummary } from './unit-result';

/** One mark as the read model stores it: one row of score_entries. */
export type StoredMark = {
  readonly subcriterionCode: string;
  readonly column: ScoreColumn;
  readonly input: ScoreInput;
  readonly pointsCenti: Centi;
  /** '' for none. */
  readonly note: string;
  readonly setBy: string;
  /** ISO instant. */
  readonly setAt: string;
};

/**
 * A unit's marks as the read model keeps them between aggregation passes: the
 * sheet a results row freezes, and what the marks sum to (or what is wrong
 * with them). Rebuilt whenever the unit's marks change.
 */
export type UnitSheet = {
  readonly sheet: FrozenSheet;
  readonly assessed: Parsed<AssessedSummary, readonly ScoreSheetError[]>;
};

/** The three-column scores of one unit from its stored marks, in the marks' order. */
function scoresOfMarks(marks: readonly StoredMark[]): SubcriterionScore[] {
  // Built in place: a copy per mark was a tenth of the compute time at 400,000 marks (BENCHMARKS.md, P5).
  const scores = new Map<string, SubcriterionScore>();
  for (const entry of marks) {
    let score = scores.get(entry.subcriterionCode);
    if (score === undefined) scores.set(entry.subcriterionCode, (score = { subcriterionCode: entry.subcriterionCode }));
    const mark: ScoreMark = {
      input: entry.input,
      pointsCenti: entry.pointsCenti,
      setBy: entry.setBy,
      setAt: entry.setAt,
      ...(entry.note === '' ? {} : { note: entry.note }),
    };
    score[entry.column] = mark;
  }
  return [...scores.values()];
}

export function buildUnitSheet(group: FrameworkGroup, marks: readonly StoredMark[]): UnitSheet {
  const scores = scoresOfMarks(marks);
  const rollup = rollUpAssessed(group, scores);
  return { sheet: freezeSheet(scores), assessed: rollup.ok ? { ok: true, value: summariseAssessed(rollup.value) } : rollup };
}
