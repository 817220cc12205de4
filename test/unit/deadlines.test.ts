import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTimeVi, formatDateVi, parseDeadline, toVietnamIso } from '../../domain/deadlines';

describe('deadlines in Asia/Ho_Chi_Minh', () => {
  it('reads a bare date as 23:59:59 of that day in Vietnam', () => {
    expect(new Date(parseDeadline('2019-11-30')!).toISOString()).toBe('2019-11-30T16:59:59.000Z');
  });

  it('reads an ISO timestamp with an offset as that exact instant', () => {
    expect(parseDeadline('2020-01-15T08:00:00+07:00')).toBe(Date.parse('2020-01-15T01:00:00Z'));
  });

  it('refuses impossible dates and timestamps without an offset', () => {
    expect(parseDeadline('2019-02-30')).toBeNull();
    expect(parseDeadline('2019-13-01')).toBeNull();
    expect(parseDeadline('2020-01-15T08:00:00')).toBeNull();
    expect(parseDeadline('30/11/2019')).toBeNull();
  });

  it('formats dates as dd/mm/yyyy on the Vietnamese calendar day, not the UTC one', () => {
    const lateEvening = Date.parse('2019-11-30T20:30:00Z'); // 03:30 on 01-12 in Hanoi
    expect(formatDateVi(lateEvening)).toBe('01/12/2019');
    expect(formatDateTimeVi(lateEvening)).toBe('03:30 01/12/2019');
    expect(toVietnamIso(lateEvening)).toBe('2019-12-01T03:30:00+07:00');
  });

  it('writes every instant from year 0 to 9999 as Date would, shifted to +07:00', () => {
    const viaDate = (ms: number) => `${new Date(ms + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
    const shiftedParts = (ms: number) => {
      const shifted = new Date(ms + 7 * 3600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      const date = `${pad(shifted.getUTCDate())}/${pad(shifted.getUTCMonth() + 1)}/${shifted.getUTCFullYear()}`;
      return { date, dateTime: `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())} ${date}` };
    };
    // Date.UTC reads years 0–99 as 1900–1999, so the first instant of year 0 is parsed from text.
    const earliest = Date.parse('0000-01-01T00:00:00Z') - 7 * 3600_000;
    const latest = Date.UTC(9999, 11, 31, 23, 59, 59, 999) - 7 * 3600_000;
    fc.assert(
      fc.property(fc.integer({ min: earliest, max: latest }), (ms) => {
        const expected = shiftedParts(ms);
        return toVietnamIso(ms) === viaDate(ms) && formatDateVi(ms) === expected.date && formatDateTimeVi(ms) === expected.dateTime;
      }),
      { numRuns: 20_000 },
    );
    // The edges the arithmetic has to get right: leap days, century years, the epoch, before it.
    for (const text of ['2000-02-29T16:59:59.999Z', '1900-02-28T17:00:00Z', '2100-03-01T00:00:00Z', '1970-01-01T00:00:00Z', '1969-12-31T16:59:59.500Z', '2024-12-31T17:00:00Z']) {
      expect(toVietnamIso(Date.parse(text))).toBe(viaDate(Date.parse(text)));
    }
  });
});
