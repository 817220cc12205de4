import type { ReadModelChange, ReadModelEffect } from './effects';

type ScoresEffect = Extract<ReadModelEffect, { kind: 'scores' }>;
type Mark = ScoresEffect['entries'][number];

/** A mark as the step carried it: what its caller sent, before the workflow scored it. */
export type StepMark = Omit<Mark, 'pointsCenti'>;

/**
 * A change as a returning update answers it (contracts/messages.ts): a scores
 * effect carries each mark's points only. The rest of each mark (its input,
 * note and evidence) is the step's own, which the caller sent and the
 * workflow's history keeps; leaving it out halves what the answer weighs on
 * the Temporal server and on both ends (`npm run bench:shapes`, the returned-marks shape).
 */
export type ReturnedEffect = Exclude<ReadModelEffect, { kind: 'scores' }> | (Omit<ScoresEffect, 'entries'> & { entries: Pick<Mark, 'code' | 'pointsCenti'>[] });
export type ReturnedChange = Omit<ReadModelChange, 'effects'> & { effects: ReturnedEffect[] };

/** The change without the step's own marks: what the workflow returns. */
export function withoutStepMarks(change: ReadModelChange): ReturnedChange {
  return {
    ...change,
    effects: change.effects.map((effect) =>
      effect.kind === 'scores' ? { ...effect, entries: effect.entries.map(({ code, pointsCenti }) => ({ code, pointsCenti })) } : effect,
    ),
  };
}

/**
 * The change whole again, each mark's input, note and evidence taken from the
 * step's marks by code, in the order the workflow gave (the same values the
 * workflow scored: it copies them from the step as they came).
 */
export function withStepMarks(change: ReturnedChange, marks: readonly StepMark[]): ReadModelChange {
  const byCode = new Map(marks.map((mark) => [mark.code, mark]));
  return {
    ...change,
    effects: change.effects.map((effect): ReadModelEffect => {
      if (effect.kind !== 'scores') return effect;
      return {
        ...effect,
        entries: effect.entries.map(({ code, pointsCenti }) => {
          const mark = byCode.get(code);
          if (mark === undefined) throw new Error(`The step has no mark ${code} for change ${change.idempotencyKey}`);
          return { code, input: mark.input, pointsCenti, note: mark.note, evidence: mark.evidence };
        }),
      };
    }),
  };
}

/** The marks a returning update's step carries (`scores`, as a self-assessment does); none for a step without marks. */
export function stepMarksOf(step: unknown): StepMark[] {
  const scores = typeof step === 'object' && step !== null ? (step as { scores?: unknown }).scores : undefined;
  return Array.isArray(scores) ? (scores as StepMark[]) : [];
}
