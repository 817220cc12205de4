import { describe, expect, it } from 'vitest';
import type { Subcriterion } from '../../../domain/framework';
import { createScoreMark, describeRuleVi, evaluateRule, type ScoreInput } from '../../../domain/scoring';

const base = { name_vi: 'Tiêu chí thành phần thử', owner: 'SNV', evidence_required: true } as const;
const yesNo: Subcriterion = { ...base, code: '1.1.1', max_points: 1, rule: { kind: 'boolean' } };
const tiers: Subcriterion = {
  ...base,
  code: '1.1.2',
  max_points: 2,
  rule: { kind: 'tiers', input: 'percent', tiers: [{ min: 100, points: 2 }, { min: 80, points: 1 }] },
};
const ratio: Subcriterion = { ...base, code: '1.2.1', max_points: 1, rule: { kind: 'ratio', input: 'percent' } };
const manual: Subcriterion = { ...base, code: '1.5.1', max_points: 2, rule: { kind: 'manual', step: 0.5 } };

const percent = (percentCenti: number): ScoreInput => ({ kind: 'percent', percentCenti });
const points = (pointsCenti: number): ScoreInput => ({ kind: 'points', pointsCenti });

function value(sub: Subcriterion, input: ScoreInput): number | string {
  const result = evaluateRule(sub, input);
  return result.ok ? result.value : result.error.code;
}

describe('rules', () => {
  it('gives a boolean sub-criterion its max for yes and 0 for no', () => {
    expect(value(yesNo, { kind: 'boolean', value: true })).toBe(100);
    expect(value(yesNo, { kind: 'boolean', value: false })).toBe(0);
  });

  it('gives the first tier whose minimum is reached, and 0 below the last tier', () => {
    expect(value(tiers, percent(10_000))).toBe(200);
    expect(value(tiers, percent(9_999))).toBe(100);
    expect(value(tiers, percent(8_000))).toBe(100);
    expect(value(tiers, percent(7_999))).toBe(0);
    expect(value(tiers, percent(0))).toBe(0);
    expect(value(tiers, percent(10_001))).toBe('percent_out_of_range');
  });

  it('scales a ratio to the max and rounds half-up to hundredths', () => {
    expect(value(ratio, percent(10_000))).toBe(100);
    expect(value(ratio, percent(0))).toBe(0);
    expect(value(ratio, percent(1_250))).toBe(13); // 0,125 → 0,13
    expect(value(ratio, percent(1_249))).toBe(12); // 0,1249 → 0,12
    expect(value(ratio, percent(10_001))).toBe('percent_out_of_range');
  });

  it('accepts manual points on the step up to the max and rejects the rest, naming the sub-criterion', () => {
    expect(value(manual, points(0))).toBe(0);
    expect(value(manual, points(150))).toBe(150);
    expect(value(manual, points(200))).toBe(200);
    expect(value(manual, points(250))).toBe('points_above_max');
    expect(value(manual, points(125))).toBe('points_off_step');
    const rejected = evaluateRule(manual, points(125));
    expect(rejected.ok).toBe(false);
    if (!rejected.ok) {
      expect(rejected.error.subcriterionCode).toBe('1.5.1');
      expect(rejected.error.message_vi).toContain('1.5.1');
      expect(rejected.error.message_en).toContain('1.5.1');
    }
  });

  it('rejects an input of the wrong kind for the rule', () => {
    expect(value(manual, percent(5_000))).toBe('input_kind_mismatch');
    expect(value(yesNo, points(100))).toBe('input_kind_mismatch');
  });

  it('keeps who, when and why with the derived points', () => {
    const mark = createScoreMark(tiers, percent(9_000), { setBy: 'to-cong-tac', setAt: '2020-02-14T09:00:00+07:00', note: 'Thiếu 2 nhiệm vụ' });
    expect(mark).toEqual({
      ok: true,
      value: { input: percent(9_000), pointsCenti: 100, setBy: 'to-cong-tac', setAt: '2020-02-14T09:00:00+07:00', note: 'Thiếu 2 nhiệm vụ' },
    });
  });

  it('describes each rule in Vietnamese', () => {
    expect(describeRuleVi(yesNo)).toBe('Có: 1,00 điểm; Không: 0 điểm');
    expect(describeRuleVi(tiers)).toBe('từ 100,00%: 2,00 điểm; từ 80,00%: 1,00 điểm; dưới 80,00%: 0 điểm');
    expect(describeRuleVi(manual)).toContain('bước 0,50');
  });
});
