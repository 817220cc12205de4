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
});
