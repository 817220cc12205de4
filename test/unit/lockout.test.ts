import { describe, expect, it } from 'vitest';
import { lockDurationMs } from '../../domain/lockout';
import { generateOneTimePassword } from '../../application/auth/one-time';

describe('account lockout back-off', () => {
  it('locks from the fifth failure on, for 1 minute doubling per failure, at most 1 hour', () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 40].map((failures) => lockDurationMs(failures) / 60_000);
    expect(minutes).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]);
  });
});

describe('one-time passwords', () => {
  it('are four groups of four unambiguous characters, different each time', () => {
    const made = new Set(Array.from({ length: 50 }, generateOneTimePassword));
    expect(made.size).toBe(50);
    for (const password of made) expect(password).toMatch(/^[a-hj-km-np-z2-9]{4}(-[a-hj-km-np-z2-9]{4}){3}$/);
  });
});
