import { describe, expect, it } from 'vitest';
import { recordedToWire, snakeCase, wireIssues } from '../../../application/wire-keys';

describe('the wire spelling of recorded names', () => {
  it('respells camelCase field names and leaves codes and snake_case names as they are', () => {
    expect(['stageLabelVi', 'round2Areas', 'approvedBy', 'name_vi', 'round1', 'STP', 'QUAN_BA_DINH', '1.2.3', 'cai-cach', 'a']
      .map(snakeCase)).toEqual(['stage_label_vi', 'round2_areas', 'approved_by', 'name_vi', 'round1', 'STP', 'QUAN_BA_DINH', '1.2.3', 'cai-cach', 'a']);
  });

  it('respells a recorded payload deeply, through arrays, and keeps its values', () => {
    const recorded = { areaCode: '2', explanationRequests: 1, points: [{ unitCode: 'STP', pointsCenti: 2500 }], byUnit: { STP: { submittedAt: 'x' } }, note: 'approvedBy' };
    expect(recordedToWire(recorded)).toEqual({
      area_code: '2',
      explanation_requests: 1,
      points: [{ unit_code: 'STP', points_centi: 2500 }],
      by_unit: { STP: { submitted_at: 'x' } },
      note: 'approvedBy',
    });
    expect([null, 3, 'text', [1, 'a']].map(recordedToWire)).toEqual([null, 3, 'text', [1, 'a']]);
  });

  it('names the fields of a workflow refusal as the caller spelt them, indexes and codes unchanged', () => {
    expect(wireIssues([{ path: ['returns', 0, 'unitCode'], code: 'unknown_unit', message_vi: 'v', message_en: 'e' }, { path: ['units', 'STP'], code: 'no_answers', message_vi: 'v', message_en: 'e' }]).map((issue) => issue.path))
      .toEqual([['returns', 0, 'unit_code'], ['units', 'STP']]);
  });
});
