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

export function findSubcriterion(group: FrameworkGroup, code: string): SubcriterionLocation | undefined {
  return listSubcriteria(group).find((location) => location.subcriterion.code === code);
}
