import type { Area, Criterion, FrameworkGroup, Subcriterion } from './schema';

/** A sub-criterion with the criterion and area it belongs to. */
export type SubcriterionLocation = {
  readonly area: Area;
  readonly criterion: Criterion;
  readonly subcriterion: Subcriterion;
};

/** Every sub-criterion of a group, in framework order. */
export function listSubcriteria(group: FrameworkGroup): SubcriterionLocation[] {
  return group.areas.flatMap((area) =>
    area.criteria.flatMap((criterion) => criterion.subcriteria.map((subcriterion) => ({ area, criterion, subcriterion }))),
  );
}

/**
 * Code → location, built once per group object: the aggregation explains 40
 * sub-criteria of each of thousands of units against the same two groups, and
 * walking the tree for every lookup was a third of its time (BENCHMARKS.md, P5).
 * A framework is immutable data once validated, so the index never goes stale.
 */
const indexes = new WeakMap<FrameworkGroup, Map<string, SubcriterionLocation>>();

export function findSubcriterion(group: FrameworkGroup, code: string): SubcriterionLocation | undefined {
  let index = indexes.get(group);
  if (index === undefined) {
    index = new Map();
    // The first of equal codes wins, as a search in framework order would find it.
    for (const location of listSubcriteria(group)) if (!index.has(location.subcriterion.code)) index.set(location.subcriterion.code, location);
    indexes.set(group, index);
  }
  return index.get(code);
}
