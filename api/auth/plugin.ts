import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/actors';
import type { Permission } from '../../domain/permissions';
import { UnauthorizedError } from '../errors';
import { assertRoleMayEver } from './authorize';
import type { TokenService } from './tokens';

/**
 * Authentication for every route, including routes registered after this runs
 * (issue 6). One onRequest hook reads the caller's token (Authorization: Bearer,
 * else the session cookie), verifies it and sets `request.actor`; then it
 * applies the route's declared access:
 *
 *   config: { access: 'public' }          no login needed (health, docs, login)
 *   config: { access: 'signed-in' }       any valid token (the default when nothing is declared)
 *   config: { access: 'campaign.create' } a permission of domain/permissions.ts: 403 for a role that never holds it
 *
 * The services check again with the scope (api/auth/authorize.ts), so a route
 * that forgets its declaration still needs a login and still meets the
 * service's rules. test/integration/authorization.test.ts fails for any route
 * without an expectation, so a new route is reviewed for every role.
 */

export type RouteAccess = 'public' | 'signed-in' | Permission;

/** One registered route and the access it declared (or 'signed-in' by default). */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after registerAuth, with its access: the authorization test walks it. */
    routeAccess: RouteEntry[];
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The verified caller, or null when the request carries no valid token. */
    actor: Actor | null;
  }
}

export const SESSION_COOKIE = 'par_session';

export interface AuthOptions {
  tokens: Pick<TokenService, 'verify' | 'ttlSeconds'>;
  /** Send the session cookie only over HTTPS (production). */
  secureCookie: boolean;
  /** URL prefixes whose routes are public (the docs UI and document). */
  publicPrefixes: string[];
}

export function unauthenticated(): UnauthorizedError {
  return new UnauthorizedError(
    'unauthenticated',
    'Chưa đăng nhập hoặc phiên đăng nhập đã hết hạn: đăng nhập tại POST /auth/login rồi gửi "Authorization: Bearer <token>"',
    'Not signed in or the session has expired: log in at POST /auth/login and send "Authorization: Bearer <token>"',
  );
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? '';
  }
  return request.cookies[SESSION_COOKIE] || undefined;
}

export async function registerAuth(app: FastifyInstance, options: AuthOptions): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('actor', null);

  // Routes registered by plugins (the docs UI) cannot declare their access; their prefix does.
  // Public routes also drop the security requirement from the OpenAPI document.
  const table: RouteEntry[] = [];
  app.decorate('routeAccess', table);
  app.addHook('onRoute', (route) => {
    const isPublicPrefix = options.publicPrefixes.some((prefix) => route.url === prefix || route.url.startsWith(`${prefix}/`));
    if (isPublicPrefix) route.config = { ...route.config, access: 'public' };
    if (route.config?.access === 'public' && route.schema && !route.schema.hide) {
      route.schema = { ...route.schema, security: [] };
    }
    for (const method of [route.method].flat()) {
      // HEAD routes are Fastify's automatic copies of the GETs.
      if (method !== 'HEAD') table.push({ method, url: route.url, access: route.config?.access ?? 'signed-in' });
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const access: RouteAccess = request.routeOptions.config.access ?? 'signed-in';
    const token = tokenOf(request);
    request.actor = token ? await options.tokens.verify(token) : null;
    // An unknown URL answers 404 whoever asks.
    if (access === 'public' || request.is404) return;
    if (!request.actor) throw unauthenticated();
    if (access !== 'signed-in') assertRoleMayEver(request.actor, access);
  });
}

/** Sets the httpOnly session cookie that carries the token for the dashboard (SameSite=Lax: not sent on cross-site POSTs). */
export function setSessionCookie(reply: FastifyReply, token: string, options: Pick<AuthOptions, 'secureCookie' | 'tokens'>): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secureCookie,
    path: '/',
    maxAge: options.tokens.ttlSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, options: Pick<AuthOptions, 'secureCookie'>): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: options.secureCookie, path: '/' });
}
