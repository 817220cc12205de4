import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../../application/errors';

/**
 * Cross-site request forgery guard for the session cookie. SameSite=Lax keeps
 * the cookie off cross-site POSTs, but "site" ignores the port and the
 * subdomain: a page on another port of the same host, or on a sibling
 * subdomain, still sends it. So a write (any method but GET/HEAD/OPTIONS)
 * authenticated by the cookie must show that it comes from this origin:
 *
 * - `Origin` present: it must equal this server's origin (scheme://host[:port]
 *   as the request reached it) or one of CORS_ORIGINS;
 * - else `Sec-Fetch-Site` present: it must be `same-origin`;
 * - else (neither header: not a current browser) the write is refused: a script
 *   that holds the cookie adds an `Origin`, or better sends the token as a bearer.
 *
 * A bearer token is never sent by a browser on its own, so requests that carry
 * one (and requests with no cookie at all) are not checked.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function needsOriginCheck(request: FastifyRequest, viaCookie: boolean): boolean {
  return viaCookie && !SAFE_METHODS.has(request.method);
}

export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`.toLowerCase();
}

/** Whether the browser says the request comes from this origin (or a trusted one). */
export function isSameOrigin(request: FastifyRequest, trustedOrigins: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const normalized = origin.toLowerCase().replace(/\/$/, '');
    return normalized === ownOrigin(request) || trustedOrigins.has(normalized);
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  return false;
}

export function crossSiteRefusal(request: FastifyRequest): ForbiddenError {
  const from = String(request.headers.origin ?? request.headers['sec-fetch-site'] ?? '—').slice(0, 100);
  return new ForbiddenError(
    'cross_origin_write',
    `Yêu cầu thay đổi dữ liệu bằng cookie phiên phải đến từ chính trang này (nguồn gửi: ${from}); ứng dụng khác hãy gửi "Authorization: Bearer <token>"`,
    `A change authenticated by the session cookie must come from this site itself (sent from: ${from}); other clients send "Authorization: Bearer <token>"`,
  );
}
