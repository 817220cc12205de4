import type { FrameworkGroup, Subcriterion } from '../domain/framework';
import type { ScoreInput } from '../domain/scoring';
import type { AppraisedScore, SelfScore } from '../domain/steps';

/**
 * Score sheets for demos and tests: full marks, or nothing, under each rule kind.
 */

/** The input that earns a sub-criterion's full points under its rule. */
export function fullInput(sub: Subcriterion): ScoreInput {
  switch (sub.rule.kind) {
    case 'boolean':
      return { kind: 'boolean', value: true };
    case 'tiers':
    case 'ratio':
      return { kind: 'percent', percentCenti: 10_000 };
    case 'manual':
      return { kind: 'points', pointsCenti: Math.round(sub.max_points * 100) };
  }
}

/** The input that earns nothing. */
export function zeroInput(sub: Subcriterion): ScoreInput {
  switch (sub.rule.kind) {
    case 'boolean':
      return { kind: 'boolean', value: false };
    case 'tiers':
    case 'ratio':
      return { kind: 'percent', percentCenti: 0 };
    case 'manual':
      return { kind: 'points', pointsCenti: 0 };
  }
}

export function subcriteriaOf(group: FrameworkGroup, areaCode?: string): Subcriterion[] {
  return group.areas
    .filter((area) => areaCode === undefined || area.code === areaCode)
    .flatMap((area) => area.criteria.flatMap((criterion) => criterion.subcriteria));
}

/** A complete self-assessment at full points with one evidence file per sub-criterion. */
export function fullSelfAssessment(group: FrameworkGroup): SelfScore[] {
  return subcriteriaOf(group).map((sub) => ({
    code: sub.code,
    input: fullInput(sub),
    evidence: [{ name: `kiem-chung-${sub.code}.pdf`, ref: `file-${sub.code}` }],
    note: '',
  }));
}

/**
 * An appraisal of one area at full points, except the codes in `zeroed` (code →
 * reason). `reason` goes with every full-points entry (a round 2 that restores points needs one).
 */
export function areaAppraisal(group: FrameworkGroup, areaCode: string, zeroed: Record<string, string> = {}, reason = ''): AppraisedScore[] {
  return subcriteriaOf(group, areaCode).map((sub) =>
    sub.code in zeroed ? { code: sub.code, input: zeroInput(sub), reason: zeroed[sub.code]! } : { code: sub.code, input: fullInput(sub), reason },
  );
}
