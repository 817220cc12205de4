import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { actorSchema, type Actor } from '../../domain/actors';

/**
 * Login tokens: JWT signed with HS256 (jose) under JWT_SECRET. The claims are
 * the actor the workflows see: `sub` = username (the actor id), `role`, and
 * `unit` for a unit user or a contributor. A token is valid until it expires
 * (JWT_TTL_SECONDS); deactivating a user takes effect at their next login.
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

export function createTokenService({ secret, ttlSeconds }: TokenOptions) {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds,

    async sign(actor: Actor): Promise<IssuedToken> {
      const token = await new SignJWT({ role: actor.role, ...(actor.unitCode ? { unit: actor.unitCode } : {}) })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(actor.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
      return { token, expiresIn: ttlSeconds };
    },

    /** The actor in a valid token, or null for a bad signature, an expired token or unknown claims. */
    async verify(token: string): Promise<Actor | null> {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE });
        const parsed = actorSchema.safeParse({
          id: payload.sub,
          role: payload.role,
          ...(typeof payload.unit === 'string' ? { unitCode: payload.unit } : {}),
        });
        return parsed.success ? parsed.data : null;
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return null;
        throw error;
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
