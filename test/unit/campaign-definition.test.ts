import { describe, expect, it } from 'vitest';
import { campaignDefinitionSchema, contributorIssues } from '../../domain/campaign';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';

function pathsOf(input: unknown): string[] {
  const parsed = campaignDefinitionSchema.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => issue.path.join('.'));
}

describe('the campaign definition contract', () => {
  it('accepts the Hanoi 2019 seed campaign with its 52 units and nine contributors', () => {
    const definition = hanoi2019Campaign();
    expect(definition.units).toHaveLength(52);
    expect(definition.contributors).toHaveLength(9);
    expect(pathsOf(definition)).toEqual([]);
  });

  it('reports a framework mistake with its path inside the framework', () => {
    const definition = structuredClone(hanoi2019Campaign());
    const framework = definition.framework as unknown as { groups: Record<string, { areas: { criteria: { max_points: number }[] }[] }> };
    framework.groups.department!.areas[0]!.criteria[0]!.max_points = 4;
    const paths = pathsOf(definition);
    expect(paths).toContain('framework.groups.department.areas.0.criteria.0.max_points');
  });

  it('reports contributors that own areas the framework does not have', () => {
    const definition = hanoi2019Campaign();
    const paths = pathsOf({ ...definition, contributors: [{ unit: 'SNV', areas_owned: ['1', '99'] }] });
    expect(paths).toEqual(['contributors.0.areas_owned.1']);
  });

  it('accepts a contributor that is not among the units: the organisation directory is checked apart (contributorIssues)', () => {
    const definition = hanoi2019Campaign({ unitsPerGroup: 1 });
    expect(pathsOf({ ...definition, contributors: [{ unit: 'SXD', areas_owned: ['1'] }] })).toEqual([]);
  });

  it('names each contributor that is neither a unit of the campaign nor an active organisation, at its body path', () => {
    const units = [{ code: 'PHUONG_HOAN_KIEM', name_vi: 'Phường Hoàn Kiếm', group: 'district' }];
    const contributors = [
      { unit: 'SXD', areas_owned: ['1'] },
      { unit: 'PHUONG_HOAN_KIEM', areas_owned: ['2'] },
      { unit: 'SKH', areas_owned: ['3'] },
    ];
    const found = contributorIssues({ units, contributors }, new Set(['SXD']));
    expect(found.map((item) => [item.path.join('.'), item.code])).toEqual([['body.contributors.2.unit', 'unknown_contributor']]);
    expect(found[0]!.message_vi).toContain('SKH');
  });
});
