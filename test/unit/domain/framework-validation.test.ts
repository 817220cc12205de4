import { describe, expect, it } from 'vitest';
import { validateFramework, type FrameworkIssue } from '../../../domain/framework';
import { loadSampleFrameworkJson } from './fixtures/sample-framework';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests break the document on purpose

function brokenFramework(): Json {
  const framework = loadSampleFrameworkJson() as Json;
  const department = framework.groups.department;
  const area1 = department.areas[0];
  // 1. Sub-criteria of 1.1 no longer add up to its max of 3.
  area1.criteria[0].subcriteria[0].max_points = 2;
  // 1b. Area 2 claims 9 points while its criteria add up to 8, so the areas no longer add up to 70 either.
  department.areas[1].max_points = 9;
  // 2. Duplicate sub-criterion code.
  area1.criteria[1].subcriteria[0].code = '1.1.2';
  // 3. Tiers out of order and 4. a tier above the sub-criterion max (1.1.2 has max 2).
  area1.criteria[0].subcriteria[1].rule.tiers = [
    { min: 80, points: 1 },
    { min: 100, points: 2.5 },
  ];
  // 5. Unknown rule kind.
  area1.criteria[2].subcriteria[1].rule = { kind: 'scale' };
  // 6. Manual max not a multiple of the step (1.5.1 has max 2).
  area1.criteria[4].subcriteria[0].rule.step = 0.75;
  // 7. Answer weight outside 0..1.
  department.survey.answer_options[1].weight = 1.5;
  // 8. Survey questions no longer add up to the survey max.
  department.survey.questions[0].max_points = 4;
  // 9. Three decimals.
  framework.groups.district.bonus_penalty.bonus_max = 0.125;
  // 10. Assessed + survey differ from the group max.
  framework.groups.district.max_points = 90;
  return framework;
}

function find(issues: readonly FrameworkIssue[], code: string, path: readonly (string | number)[]): FrameworkIssue | undefined {
  return issues.find((issue) => issue.code === code && JSON.stringify(issue.path) === JSON.stringify(path));
}

describe('framework validation', () => {
  it('accepts the sample framework without a single issue', () => {
    const result = validateFramework(loadSampleFrameworkJson());
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('reports every mistake of a broken framework at once, each with its JSON path', () => {
    const result = validateFramework(brokenFramework());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const area = ['groups', 'department', 'areas', 0];
    const expected: [string, (string | number)[]][] = [
      ['criterion_sum_mismatch', [...area, 'criteria', 0, 'max_points']],
      ['area_sum_mismatch', ['groups', 'department', 'areas', 1, 'max_points']],
      ['assessed_sum_mismatch', ['groups', 'department', 'assessed_max_points']],
      ['duplicate_code', [...area, 'criteria', 1, 'subcriteria', 0, 'code']],
      ['tiers_not_descending', [...area, 'criteria', 0, 'subcriteria', 1, 'rule', 'tiers', 1, 'min']],
      ['tier_above_max', [...area, 'criteria', 0, 'subcriteria', 1, 'rule', 'tiers', 1, 'points']],
      ['unknown_rule_kind', [...area, 'criteria', 2, 'subcriteria', 1, 'rule', 'kind']],
      ['manual_max_not_multiple_of_step', [...area, 'criteria', 4, 'subcriteria', 0, 'rule', 'step']],
      ['answer_weight_out_of_range', ['groups', 'department', 'survey', 'answer_options', 1, 'weight']],
      ['survey_sum_mismatch', ['groups', 'department', 'survey', 'max_points']],
      ['too_many_decimals', ['groups', 'district', 'bonus_penalty', 'bonus_max']],
      ['group_total_mismatch', ['groups', 'district', 'max_points']],
    ];
    for (const [code, path] of expected) {
      expect(find(result.issues, code, path), `${code} at ${path.join('.')}`).toBeDefined();
    }
    for (const issue of result.issues) {
      expect(issue.message_vi).toMatch(/[ạảãáàâầấậẩẫăằắặẳẵêềếệểễôồốộổỗơờớợởỡưừứựửữđ]/i);
      expect(issue.message_en.length).toBeGreaterThan(0);
    }
  });

  it('reports shape problems with their paths and both languages', () => {
    const framework = loadSampleFrameworkJson() as Json;
    delete framework.groups.department.areas[0].criteria[0].subcriteria[0].owner;
    framework.groups.department.areas[0].max_points = 'mười ba';
    framework.groups.district.max_point = 100;
    framework.groups.department.areas[1].criteria[0].subcriteria[0].rule = { kind: 'tiers', input: 'percent' };
    const result = validateFramework(framework);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'groups.department.areas.0.criteria.0.subcriteria.0.owner',
        'groups.department.areas.0.max_points',
        'groups.district.max_point',
        'groups.department.areas.1.criteria.0.subcriteria.0.rule.tiers',
      ]),
    );
    const missing = result.issues.find((issue) => issue.path.at(-1) === 'owner');
    expect(missing?.message_vi).toBe('Thiếu trường bắt buộc');
    expect(missing?.message_en).toBe('Required field is missing');
  });

  it('checks classification bands are ordered and within 0..100', () => {
    const framework = loadSampleFrameworkJson() as Json;
    framework.groups.department.classification = [
      { code: 'TOT', name_vi: 'Tốt', min_percent: 80 },
      { code: 'KHA', name_vi: 'Khá', min_percent: 85 },
      { code: 'TOT', name_vi: 'Trung bình', min_percent: 120 },
    ];
    const result = validateFramework(framework);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const codes = result.issues.map((issue) => `${issue.code}@${issue.path.slice(3).join('.')}`);
    expect(codes).toEqual(
      expect.arrayContaining(['bands_not_descending@1.min_percent', 'duplicate_code@2.code', 'band_out_of_range@2.min_percent']),
    );
  });
});
