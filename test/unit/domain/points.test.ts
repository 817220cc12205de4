import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp, formatCentiVi, parseCenti } from '../../../domain/scoring';

describe('points as integer hundredths', () => {
  it('parses decimals with a comma or a dot exactly', () => {
    expect(parseCenti('86,93')).toEqual({ ok: true, value: 8693 });
    expect(parseCenti('86.93')).toEqual({ ok: true, value: 8693 });
    expect(parseCenti(86.93)).toEqual({ ok: true, value: 8693 });
    expect(parseCenti(0.6)).toEqual({ ok: true, value: 60 });
    expect(parseCenti('2')).toEqual({ ok: true, value: 200 });
    expect(parseCenti('1,50')).toEqual({ ok: true, value: 150 });
    expect(parseCenti('-0,5')).toEqual({ ok: true, value: -50 });
  });

  it('rejects more than two decimals instead of rounding them away', () => {
    const parsed = parseCenti('1,005');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.code).toBe('too_many_decimals');
    expect(parseCenti(0.1 + 0.2).ok).toBe(false);
    expect(parseCenti('1,2000').ok).toBe(true);
  });

  it('rejects text that is not a number', () => {
    for (const input of ['', 'abc', '1,2,3', '1e3', Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(parseCenti(input).ok).toBe(false);
    }
  });

  it('formats with a Vietnamese decimal comma and two decimals', () => {
    expect(formatCentiVi(8693)).toBe('86,93');
    expect(formatCentiVi(200)).toBe('2,00');
    expect(formatCentiVi(5)).toBe('0,05');
    expect(formatCentiVi(-150)).toBe('-1,50');
  });

  it('round-trips every amount through format and parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (centi) => {
        expect(parseCenti(formatCentiVi(centi))).toEqual({ ok: true, value: centi });
      }),
    );
  });

  it('rounds halves up and everything else to the nearest integer', () => {
    expect(divideRoundHalfUp(125n, 10n)).toBe(13);
    expect(divideRoundHalfUp(124n, 10n)).toBe(12);
    expect(divideRoundHalfUp(0n, 7n)).toBe(0);
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 1, max: 10_000 }), (numerator, denominator) => {
        const rounded = divideRoundHalfUp(BigInt(numerator), BigInt(denominator));
        expect(Math.abs(rounded * denominator - numerator) * 2).toBeLessThanOrEqual(denominator);
        expect(rounded).toBe(Math.floor(numerator / denominator + 0.5 + 1e-12));
      }),
    );
  });
});
