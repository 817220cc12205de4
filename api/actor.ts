import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../domain/actors';
import { unauthenticated } from './auth/plugin';

/*
 * Who the caller is. The auth hook (api/auth/plugin.ts) has already verified
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

/** @deprecated the interim header scheme is gone; use authHeaders. Kept so routes written against it still compile. */
export const actorHeaders = authHeaders;

/** The verified caller; 401 when the request carries no valid token. */
export function resolveActor(request: Pick<FastifyRequest, 'actor'>): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}
