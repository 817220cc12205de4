import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/actors';
import { opensWithoutLogin, type Permission } from '../../domain/permissions';
import type { SessionRepository, TokenSession } from '../../application/sessions';
import { ForbiddenError, UnauthorizedError } from '../../application/errors';
import { assertRoleMayEver } from '../../application/auth/authorize';
import { crossSiteRefusal, isSameOrigin, needsOriginCheck } from './csrf';
import type { TokenService } from '../../application/auth/tokens';

/**
 * Authentication for every route, including routes registered after this runs.
 * One onRequest hook reads the caller's token (Authorization: Bearer,
 * else the session cookie), verifies it and sets `request.actor`; then it
 * refuses a revoked token (db/repositories/sessions.ts: one round trip of two
 * primary-key probes), refuses a cookie-authenticated write from another origin
 * (./csrf.ts), and applies the route's declared access:
 *
 *   config: { access: 'public' }          no login needed (health, docs, login)
 *   config: { access: 'signed-in' }       any valid token
 *   config: { access: 'campaign.create' } a permission of domain/permissions.ts: 403 for a role that never holds it
 *                                         (no login: 401, unless the permission opens without login after
 *                                         publication, e.g. results.read; the service then decides)
 *
 * Every route declares one: registering a route without it throws, so the app
 * does not start. The services check again with the scope
 * (application/auth/authorize.ts). test/integration/authorization.test.ts derives its
 * expectations for every route × role from these declarations.
 */

export type RouteAccess = 'public' | 'signed-in' | Permission;

/** One registered route and the access it declared. */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
  /** A dashboard page's own access (config.page). */
  page?: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after registerAuth, with its access: the authorization test walks it. */
    routeAccess: RouteEntry[];
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** A dashboard page (access 'public', so a visitor is redirected to log in): the access the page applies itself. */
    page?: RouteAccess;
  }
  interface FastifyRequest {
    /** The verified caller, or null when the request carries no valid token. */
    actor: Actor | null;
    /** The caller's token (its id and lifetime), for logout; null without a valid token. */
    session: TokenSession | null;
  }
}

export const SESSION_COOKIE = 'par_session';

/** The dashboard's page for changing one's password (web/password-page.ts): where a forced change is sent. */
export const PASSWORD_PAGE = '/dashboard/password';

/** What a session opened with a one-time password may call (besides public routes such as logout). */
const PASSWORD_CHANGE_ROUTES = new Set(['POST /auth/password', `GET ${PASSWORD_PAGE}`]);

function passwordChangeRequired(): ForbiddenError {
  return new ForbiddenError(
    'password_change_required',
    'Bạn đăng nhập bằng mật khẩu dùng một lần: hãy đổi mật khẩu (POST /auth/password) trước khi tiếp tục',
    'You logged in with a one-time password: change your password (POST /auth/password) before going on',
  );
}

export interface AuthOptions {
  tokens: Pick<TokenService, 'verify' | 'ttlSeconds'>;
  /** Revoked tokens, asked once per request that carries a valid token. */
  sessions: Pick<SessionRepository, 'isRevoked'>;
  /** Origins besides the API's own that may write with the session cookie (CORS_ORIGINS). */
  trustedOrigins: string[];
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

/** The caller's token and where it came from: the Authorization header wins over the cookie. */
function tokenOf(request: FastifyRequest): { token: string | undefined; viaCookie: boolean } {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return { token: match?.[1] ?? '', viaCookie: false };
  }
  const cookie = request.cookies[SESSION_COOKIE] || undefined;
  return { token: cookie, viaCookie: cookie !== undefined };
}

export async function registerAuth(app: FastifyInstance, options: AuthOptions): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  const trustedOrigins = new Set(options.trustedOrigins.map((origin) => origin.toLowerCase().replace(/\/$/, '')));

  // Routes registered by plugins (the docs UI) cannot declare their access; their prefix does.
  // Public routes also drop the security requirement from the OpenAPI document.
  const table: RouteEntry[] = [];
  app.decorate('routeAccess', table);
  app.addHook('onRoute', (route) => {
    const isPublicPrefix = options.publicPrefixes.some((prefix) => route.url === prefix || route.url.startsWith(`${prefix}/`));
    if (isPublicPrefix) route.config = { ...route.config, access: 'public' };
    const access = route.config?.access;
    if (access === undefined) {
      throw new Error(`${[route.method].flat().join(',')} ${route.url} declares no config.access (http/auth/plugin.ts): every route states who may call it`);
    }
    if (access === 'public' && route.schema && !route.schema.hide) {
      route.schema = { ...route.schema, security: [] };
    }
    // A login is optional where the permission opens without one after publication: `{}` says so in OpenAPI.
    if (access !== 'public' && access !== 'signed-in' && opensWithoutLogin(access) && route.schema && !route.schema.hide) {
      route.schema = { ...route.schema, security: [{}, { bearerAuth: [] }, { sessionCookie: [] }] };
    }
    for (const method of [route.method].flat()) {
      // HEAD routes are Fastify's automatic copies of the GETs.
      if (method !== 'HEAD') table.push({ method, url: route.url, access, ...(route.config?.page ? { page: route.config.page } : {}) });
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // Unknown URLs have no declared access: they answer 404 whoever asks.
    const access: RouteAccess = request.routeOptions.config.access ?? 'public';
    const { token, viaCookie } = tokenOf(request);
    // Checked before the token: a forged write is refused even when the cookie has expired.
    if (needsOriginCheck(request, viaCookie) && !isSameOrigin(request, trustedOrigins)) throw crossSiteRefusal(request);
    const verified = token ? await options.tokens.verify(token) : null;
    if (verified && !(await options.sessions.isRevoked(verified.session))) {
      request.actor = verified.actor;
      request.session = verified.session;
    }
    // A one-time password's session reaches nothing that needs a login (the dashboard's pages included) but the change.
    const needsLogin = (access !== 'public' || request.routeOptions.config.page !== undefined) && !request.is404;
    if (needsLogin && request.session?.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) {
      // A person in the browser is sent to the page where the change is made, then back where they were going.
      if (request.method === 'GET' && request.routeOptions.config.page !== undefined) {
        return reply.redirect(`${PASSWORD_PAGE}?next=${encodeURIComponent(request.url)}`);
      }
      throw passwordChangeRequired();
    }
    if (access === 'public' || request.is404) return;
    if (!request.actor) {
      // Published results are read without a login; the service refuses them before publication.
      if (access !== 'signed-in' && opensWithoutLogin(access)) return;
      throw unauthenticated();
    }
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
