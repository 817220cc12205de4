import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Revoked login tokens (db/repositories/sessions.ts). A token is a signed JWT that
 * stays valid until it expires unless one of these tables says otherwise; the
 * check is one round trip of two primary-key probes per authenticated request.
 */

/** A token ended by its owner (logout), by its `jti`; a row is useless once `expires_at` has passed and may be deleted. */
export const revokedTokens = pgTable('revoked_tokens', {
  jti: text('jti').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Every token of a user issued at or before `not_before` is refused (an account disabled, or "sign out everywhere"). */
export const sessionCutoffs = pgTable('session_cutoffs', {
  username: text('username').primaryKey(),
  notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
});
