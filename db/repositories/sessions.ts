import { lt, sql } from 'drizzle-orm';
import type { Database } from '../connect';
import { rowsOf } from '../raw-rows';
import { revokedTokens, sessionCutoffs } from '../schema-sessions';

/** What a token says about itself, for the revocation check. */
export interface TokenSession {
  jti: string;
  username: string;
  issuedAt: Date;
  expiresAt: Date;
  /** Opened with a one-time password: every route but the password change answers 403 until it is changed. */
  mustChangePassword?: boolean;
}

/** Revoked tokens (db/schema-sessions.ts): logout ends one token, a cutoff ends every token of a user. */
export function createSessionRepository(db: Database) {
  return {
    /** One round trip, two primary-key probes: is the token revoked by its id or by its user's cutoff? */
    async isRevoked(session: Pick<TokenSession, 'jti' | 'username' | 'issuedAt'>): Promise<boolean> {
      const result = await db.execute(sql`
        select (exists (select 1 from ${revokedTokens} where ${revokedTokens.jti} = ${session.jti})
             or exists (select 1 from ${sessionCutoffs} where ${sessionCutoffs.username} = ${session.username}
                                                        and ${sessionCutoffs.notBefore} >= ${session.issuedAt.toISOString()}::timestamptz)) as revoked`);
      return rowsOf<{ revoked: boolean }>(result)[0]?.revoked === true;
    },

    /** Ends one token; expired rows are dropped on the way (they would refuse nothing). */
    async revokeToken(session: Pick<TokenSession, 'jti' | 'expiresAt'>, now: Date): Promise<void> {
      await db.delete(revokedTokens).where(lt(revokedTokens.expiresAt, now));
      await db.insert(revokedTokens).values({ jti: session.jti, expiresAt: session.expiresAt }).onConflictDoNothing();
    },

    /** Ends every token of the user issued until `at` (disabling an account calls it). */
    async revokeAllFor(username: string, at: Date): Promise<void> {
      await db
        .insert(sessionCutoffs)
        .values({ username, notBefore: at })
        .onConflictDoUpdate({ target: sessionCutoffs.username, set: { notBefore: at } });
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
