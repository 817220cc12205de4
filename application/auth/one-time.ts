import { randomInt } from 'node:crypto';
import { hashPassword, ONE_TIME_COST } from './passwords';

/**
 * One-time passwords for new and reset accounts: generated here, shown once to
 * the admin who hands them out, stored only hashed (application/auth/passwords.ts). One
 * logs in once, before it expires, and the session it opens must change the
 * password first (http/auth/plugin.ts).
 */

/** No 0/O, 1/l/I: read aloud or copied from paper without doubt. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Four groups of four, e.g. `k7mq-x2hp-9tfa-cw4e`: about 79 bits. */
export function generateOneTimePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
  return groups.join('-');
}

export const DEFAULT_ONE_TIME_TTL_HOURS = 72;

/** The stored form of a one-time password: scrypt at the cost its randomness needs (application/auth/passwords.ts ONE_TIME_COST). */
export function hashOneTimePassword(password: string): Promise<string> {
  return hashPassword(password, ONE_TIME_COST);
}
