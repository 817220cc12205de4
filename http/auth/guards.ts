import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { TooManyRequestsError } from '../../application/errors';

/**
 * Security headers, CORS from config and rate limiting. The
 * request size limit is Fastify's bodyLimit (server/app.ts, 5 MiB → 413).
 */
export interface GuardOptions {
  /** Origins allowed to call the API from a browser; empty: no cross-origin access. */
  corsOrigins: string[];
  /** Requests per minute per client IP. Routes may set config.rateLimit (false exempts: /health). */
  rateLimitMax: number;
}

/**
 * Helmet's default policy without upgrade-insecure-requests, which would break
 * the dashboard and /docs on plain http://127.0.0.1 (HSTS covers HTTPS deployments).
 */
export const STRIP_UPGRADE_INSECURE = (header: string) => header.replace(/\s*upgrade-insecure-requests;?/g, '');

export async function registerGuards(app: FastifyInstance, options: GuardOptions): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  await app.register(fastifyCors, {
    origin: options.corsOrigins.length ? options.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  // global: false, and the limit applied by the app-level hook below instead of per-route hooks: app-level
  // onRequest hooks run before every route-level one, so this one, added before the authentication hook,
  // counts every request, refused, unknown or anonymous ones included. Routes with their own
  // config.rateLimit (login) keep it on top; config.rateLimit: false exempts a route (/health).
  await app.register(fastifyRateLimit, {
    global: false,
    max: options.rateLimitMax,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) => tooManyRequests(context.after),
  });
  const globalLimit = app.createRateLimit();
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.rateLimit === false) return;
    const limit = await globalLimit(request);
    if (limit.isAllowed || !limit.isExceeded) return;
    reply.header('retry-after', String(limit.ttlInSeconds));
    throw tooManyRequests(`${limit.ttlInSeconds} s`);
  });
}

function tooManyRequests(after: string): TooManyRequestsError {
  return new TooManyRequestsError('rate_limited', `Quá nhiều yêu cầu; thử lại sau ${after}`, `Too many requests; retry in ${after}`);
}
