import { describe, expect, it } from 'vitest';
import type { CampaignDefinition } from '../../../domain/campaign';
import { listSubcriteria, type FrameworkGroup } from '../../../domain/framework';
import { buildUnitSheet, computeResultRows, toCenti, type AggregationInput, type StoredMark } from '../../../domain/scoring';
import { hanoi2019Campaign } from '../../../seed/hanoi-2019';
import { fullInput, zeroInput } from '../../../seed/scores';

// Two units per group keep the pass small; every sub-criterion is marked, at full points or at none.
const definition: CampaignDefinition = hanoi2019Campaign({ unitsPerGroup: 2 });
const AT = new Date('2020-03-02T01:00:00Z');

function marks(group: FrameworkGroup, full: boolean): StoredMark[] {
  return listSubcriteria(group).map(({ subcriterion }) => {
    const input = full ? fullInput(subcriterion) : zeroInput(subcriterion);
    return { subcriterionCode: subcriterion.code, column: 'self', input, pointsCenti: full ? toCenti(subcriterion.max_points) : 0, note: '', setBy: 'unit:SNV', setAt: AT.toISOString() };
  });
}

/** Every unit with its sheet: the first unit of each group at full marks, the second at none. */
function input(): AggregationInput {
  const seen = new Set<string>();
  return {
    definition,
    units: definition.units.map((unit) => {
      const group = definition.framework.groups[unit.group]!;
      const full = !seen.has(unit.group);
      seen.add(unit.group);
      return { code: unit.code, nameVi: unit.name_vi, groupCode: unit.group, flags: [], assessed: buildUnitSheet(group, marks(group, full)).assessed, sheetVersion: 1 };
    }),
    surveyPoints: [],
  };
}

describe('an aggregation pass (domain/scoring/pass.ts)', () => {
  it('scores and ranks every unit within its group, one row each, in hundredths', () => {
    const result = computeResultRows(input(), 'par-2019-hn', 3, AT);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value).toHaveLength(definition.units.length);
    for (const groupCode of Object.keys(definition.framework.groups)) {
      const rows = result.value.filter((row) => row.groupCode === groupCode);
      if (rows.length === 0) continue;
      expect(rows.map((row) => row.rank).sort((a, b) => a - b)).toEqual(rows.map((_, index) => index + 1));
      const [first, second] = [...rows].sort((a, b) => a.rank - b.rank);
      expect(first!.assessedCenti).toBeGreaterThan(second?.assessedCenti ?? -1);
    }
    for (const row of result.value) {
      expect(row).toMatchObject({ campaignId: 'par-2019-hn', pass: 3, sheetVersion: 1, computedAt: AT, surveyCenti: null });
      expect(Number.isInteger(row.totalCenti)).toBe(true);
    }
  });

  it("keeps a unit's survey points and its workflow flags on its row", () => {
    const data = input();
    const [unit] = data.units;
    data.units[0] = { ...unit!, flags: ['submitted_late'] };
    data.surveyPoints = [{ unitCode: unit!.code, pointsCenti: 1_234 }];
    const result = computeResultRows(data, 'par-2019-hn', 1, AT);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const row = result.value.find((candidate) => candidate.unitCode === unit!.code)!;
    expect(row.surveyCenti).toBe(1_234);
    expect(row.flags).toContain('submitted_late');
  });

  it('refuses the pass, naming the unit, when a unit has no sheet (its group is not in the framework)', () => {
    const data = input();
    data.units.push({ code: 'LAC', nameVi: 'Đơn vị lạc', groupCode: 'nowhere', flags: [], assessed: null, sheetVersion: null });
    const result = computeResultRows(data, 'par-2019-hn', 1, AT);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => error.unitCode)).toEqual(['LAC']);
  });
});
