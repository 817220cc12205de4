import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { VISITOR_ACTOR, type Actor } from '../domain/actors';
import { opensWithoutLogin } from '../domain/permissions';
import { unauthenticated } from '../http/auth/plugin';

/*
 * Who the caller is. The auth hook (http/auth/plugin.ts) has already verified
 * the caller's token (Authorization: Bearer, or the dashboard's session
 * cookie) for every route; routes and services read the result here.
 */

/** The Authorization header, declared so the OpenAPI document shows it; the docs page's "Authorize" button fills it in. */
export const authHeaders = z.looseObject({
  authorization: z
    .string()
    .optional()
    .meta({ description: 'Bearer <token> từ POST /auth/login / the token from POST /auth/login (or the session cookie par_session)' }),
});

/** The verified caller; 401 when the request carries no valid token. */
export function resolveActor(request: Pick<FastifyRequest, 'actor'>): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

/**
 * The caller of a route whose permission opens without a login once the campaign is
 * published (domain/permissions.ts withoutLoginAfterPublication): the verified caller,
 * else a visitor with the public role's rights, whom the service refuses before publication.
 */
export function resolveReader(request: Pick<FastifyRequest, 'actor' | 'routeOptions'>): Actor {
  if (request.actor) return request.actor;
  const access = request.routeOptions.config.access;
  if (access === undefined || access === 'public' || access === 'signed-in' || !opensWithoutLogin(access)) throw unauthenticated();
  return VISITOR_ACTOR;
}
