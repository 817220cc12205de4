import { createTokenService } from '../../application/auth/tokens';
import type { ApiSettings } from '../../server/compose';
import type { Actor, Role } from '../../domain/actors';

/**
 * Tokens for tests: the app under test is built with TEST_API_SETTINGS, and
 * bearer() signs an actor's token with the same key, so a test calls the API
 * as any role without a users table or a login round trip.
 */
export const TEST_API_SETTINGS: ApiSettings = {
  JWT_SECRET: 'par-index-test-secret-0123456789abcdef',
  JWT_TTL_SECONDS: 3600,
  CORS_ORIGINS: [],
  RATE_LIMIT_MAX: 100_000,
  NODE_ENV: 'test',
  // Two cores shared by every test: a step may take longer than the production bound without anything
  // being away. Tests of that bound set their own (test/integration/outages.test.ts).
  TEMPORAL_CALL_TIMEOUT_MS: 60_000,
};

export const testTokens = createTokenService({ secret: TEST_API_SETTINGS.JWT_SECRET, ttlSeconds: TEST_API_SETTINGS.JWT_TTL_SECONDS });

/** `{ authorization: 'Bearer …' }` for the actor. */
export async function bearer(actor: Actor): Promise<Record<string, string>> {
  return { authorization: `Bearer ${(await testTokens.sign(actor)).token}` };
}

/** The same, from a role and (for a unit or a contributor) its unit code; the id defaults to role[.unit]. */
export function bearerAs(role: Role, unitCode?: string, id?: string): Promise<Record<string, string>> {
  return bearer({ id: id ?? [role, unitCode?.toLowerCase()].filter(Boolean).join('.'), role, ...(unitCode ? { unitCode } : {}) });
}
