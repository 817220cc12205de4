import type { Framework } from '../framework/schema';
import { explainUnit, type UnitExplanation } from './explain';
import type { Centi } from './points';
import { SCORE_COLUMNS, type ScoreColumn, type ScoreInput, type ScoreMark, type SubcriterionScore } from './score-entry';
import { computeUnitResult, type UnitRef } from './unit-result';

/**
 * What a results row keeps so that its explanation can be rebuilt at any time:
 * the score sheet as it stood when the pass was computed. Names, rules, the
 * roll-up and the Vietnamese lines follow from it and the campaign's framework,
 * which does not change once the campaign runs, so they are not stored once per
 * unit (a full explanation is 44 kB of JSON, the sheet 5 kB; BENCHMARKS.md, P5).
 *
 * A submission sets a whole column at once, so who and when repeat on almost
 * every mark: they are kept once in `who`/`when` and marks point into them.
 */
export type FrozenSheet = {
  readonly who: readonly string[];
  readonly when: readonly string[];
  readonly marks: readonly FrozenMark[];
};

/** [sub-criterion, column, input, points, index into who, index into when, note ('' for none)] */
export type FrozenMark = readonly [string, ScoreColumn, ScoreInput, Centi, number, number, string];

export function freezeSheet(scores: readonly SubcriterionScore[]): FrozenSheet {
  const who: string[] = [];
  const when: string[] = [];
  const indexOf = (list: string[], value: string) => {
    const found = list.indexOf(value);
    return found >= 0 ? found : list.push(value) - 1;
  };
  const marks: FrozenMark[] = [];
  for (const score of scores) {
    for (const column of SCORE_COLUMNS) {
      const mark = score[column];
      if (mark === undefined) continue;
      marks.push([score.subcriterionCode, column, mark.input, mark.pointsCenti, indexOf(who, mark.setBy), indexOf(when, mark.setAt), mark.note ?? '']);
    }
  }
  return { who, when, marks };
}

export function thawSheet(sheet: FrozenSheet): SubcriterionScore[] {
  const scores = new Map<string, SubcriterionScore>();
  for (const [code, column, input, pointsCenti, who, when, note] of sheet.marks) {
    const mark: ScoreMark = { input, pointsCenti, setBy: sheet.who[who]!, setAt: sheet.when[when]!, ...(note === '' ? {} : { note }) };
    scores.set(code, { ...(scores.get(code) ?? { subcriterionCode: code }), [column]: mark });
  }
  return [...scores.values()];
}

/** The figures a results row stores next to its frozen sheet. */
export type StoredResult = {
  readonly unit: UnitRef;
  readonly groupCode: string;
  readonly sheet: FrozenSheet;
  /** null: the unit had no survey result. */
  readonly surveyCenti: Centi | null;
  readonly bonusCenti: Centi;
  readonly penaltyCenti: Centi;
  readonly assessedCenti: Centi;
  readonly totalCenti: Centi;
  readonly indexCenti: Centi;
  readonly rank: number;
  readonly classification: string | null;
};

/**
 * The explanation of a stored result, rebuilt with the engine from its frozen
 * sheet. The rebuilt totals must be the stored ones: if a later engine scored
 * the same sheet differently, the explanation would no longer explain the
 * published figures, and that is refused rather than shown.
 */
/** `ranked: false` leaves out the rank and the classification (a unit reading its own result before publication). */
export function explainStoredResult(framework: Framework, stored: StoredResult, { ranked = true }: { ranked?: boolean } = {}): UnitExplanation {
  const computed = computeUnitResult({
    framework,
    groupCode: stored.groupCode,
    unit: stored.unit,
    scores: thawSheet(stored.sheet),
    survey: stored.surveyCenti === null ? undefined : { kind: 'points', pointsCenti: stored.surveyCenti },
    bonusCenti: stored.bonusCenti,
    penaltyCenti: stored.penaltyCenti,
  });
  if (!computed.ok) throw new Error(`The stored sheet of ${stored.unit.code} no longer scores: ${computed.error[0]?.message_en ?? ''}`);
  const totals = computed.value.totals;
  if (totals.assessedCenti !== stored.assessedCenti || totals.totalCenti !== stored.totalCenti || totals.indexPercentCenti !== stored.indexCenti) {
    throw new Error(
      `The stored sheet of ${stored.unit.code} rebuilds to ${totals.totalCenti} (index ${totals.indexPercentCenti}), not the stored ${stored.totalCenti} (index ${stored.indexCenti})`,
    );
  }
  if (!ranked) return explainUnit(framework, computed.value);
  const band = framework.groups[stored.groupCode]?.classification?.find((candidate) => candidate.code === stored.classification);
  return explainUnit(framework, computed.value, { rank: stored.rank, band });
}
