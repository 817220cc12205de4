import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { actorSchema, type Actor } from '../../domain/actors';
import type { TokenSession } from '../../db/repositories/sessions';

/**
 * Login tokens: JWT signed with HS256 (jose) under JWT_SECRET. The claims are
 * the actor the workflows see: `sub` = username (the actor id), `role`, and
 * `unit` for a unit user or a contributor. A token is valid until it expires
 * (JWT_TTL_SECONDS) or is revoked: every token carries an id (`jti`) and an
 * expiry, and the auth hook asks db/repositories/sessions.ts whether logout
 * or a disabled account has revoked it.
 */

const ISSUER = 'par-index';
const AUDIENCE = 'par-index-api';
const ALGORITHM = 'HS256';

export interface TokenOptions {
  secret: string;
  ttlSeconds: number;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

/** A verified token: the caller, and the token's own identity for revocation. */
export interface VerifiedToken {
  actor: Actor;
  session: TokenSession;
}

/** A token without these is refused, whoever signed it: no token lives forever or escapes revocation. */
const REQUIRED_CLAIMS = ['exp', 'iat', 'jti', 'sub'];

export function createTokenService({ secret, ttlSeconds }: TokenOptions) {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds,

    /**
     * `mustChangePassword`: the session of a one-time password, refused everywhere but the password
     * change (http/auth/plugin.ts). `issuedAtMs`: when the session starts, to the millisecond (`iat` has
     * whole seconds): a token issued right after a cutoff must fall after it (application/auth/service.ts).
     */
    async sign(actor: Actor, options: { mustChangePassword?: boolean; issuedAtMs?: number } = {}): Promise<IssuedToken> {
      const token = await new SignJWT({
        role: actor.role,
        ...(actor.unitCode ? { unit: actor.unitCode } : {}),
        iat_ms: options.issuedAtMs ?? Date.now(),
        ...(options.mustChangePassword ? { pwc: true } : {}),
      })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(actor.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
      return { token, expiresIn: ttlSeconds };
    },

    /** The actor in a valid token, or null for a bad signature, an expired token, a missing claim or unknown claims. */
    async verify(token: string): Promise<VerifiedToken | null> {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE, requiredClaims: REQUIRED_CLAIMS });
        const parsed = actorSchema.safeParse({
          id: payload.sub,
          role: payload.role,
          ...(typeof payload.unit === 'string' ? { unitCode: payload.unit } : {}),
        });
        if (!parsed.success || typeof payload.jti !== 'string' || !payload.exp || !payload.iat) return null;
        return {
          actor: parsed.data,
          session: {
            jti: payload.jti,
            username: parsed.data.id,
            issuedAt: new Date(typeof payload.iat_ms === 'number' && Number.isFinite(payload.iat_ms) ? payload.iat_ms : payload.iat * 1000),
            expiresAt: new Date(payload.exp * 1000),
            ...(payload.pwc === true ? { mustChangePassword: true } : {}),
          },
        };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return null;
        throw error;
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
