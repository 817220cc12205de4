/**
 * An app with every service, each of which throws when a handler calls it:
 * every route, its schemas and its declared access, with no database or
 * Temporal behind them. A test that must be refused before any handler runs
 * builds it (a handler reached answers 500 and fails the test); the fuzz reads
 * the access rules of the routes from it.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../server/app';
import { testTokens, TEST_API_SETTINGS } from './auth';

/** A service whose every method means a handler ran with a request that should have been refused. */
function unreachable(name: string): never {
  return new Proxy({}, {
    get: (_target, method) => (method === 'then' ? undefined : () => { throw new Error(`handler reached: ${name}.${String(method)}`); }),
  }) as never;
}

export async function buildUnreachableApp(): Promise<FastifyInstance> {
  const services = {
    campaigns: unreachable('campaigns'),
    steps: { campaign: unreachable('steps.campaign'), unit: unreachable('steps.unit'), survey: unreachable('steps.survey') },
    auth: unreachable('auth'),
    frameworks: unreachable('frameworks'),
    results: unreachable('results'),
    notifications: unreachable('notifications'),
    contacts: unreachable('contacts'),
    surveyAnswers: unreachable('surveyAnswers'),
    progress: unreachable('progress'),
    exports: unreachable('exports'),
    evidence: { service: unreachable('evidence'), storage: { maxBytes: 1024 } },
    drafts: unreachable('drafts'),
    accounts: unreachable('accounts'),
    organisations: unreachable('organisations'),
    onboarding: unreachable('onboarding'),
    parkedChanges: unreachable('parkedChanges'),
    verification: unreachable('verification'),
  } as unknown as AppDeps['services'];
  const app = await buildApp({ logger: false, services, security: { tokens: testTokens, sessions: { isRevoked: async () => false }, secureCookie: false, corsOrigins: [], rateLimitMax: TEST_API_SETTINGS.RATE_LIMIT_MAX } });
  await app.ready();
  return app;
}
