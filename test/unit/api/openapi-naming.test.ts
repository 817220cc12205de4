import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type AppDeps } from '../../../server/app';
import { testTokens, TEST_API_SETTINGS } from '../../helpers/auth';
import type { JsonSchema } from '../../helpers/openapi-requests';

/**
 * The JSON API spells every property snake_case (api/README.md "Naming"). This
 * walks the OpenAPI document of an app with every optional service present (the
 * same zod schemas validate requests and serialise responses) and fails on any
 * request body property, query parameter or response property, at any depth,
 * that is not snake_case. Path parameters are the route templates' names and
 * are held to lowerCamelCase instead (the README says why).
 */

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const LOWER_CAMEL = /^[a-z][a-zA-Z0-9]*$/;

/** Operations that answer a file, not JSON: no properties to check. */
const FILE_DOWNLOADS = [
  'GET /frameworks/template.xlsx',
  'GET /frameworks/{code}/export.xlsx',
  'GET /campaigns/{campaignId}/results.xlsx',
  'GET /campaigns/{campaignId}/results.pdf',
  'GET /campaigns/{campaignId}/progress.xlsx',
  'GET /campaigns/{campaignId}/verification/bundle',
  'GET /campaigns/{campaignId}/survey/answers/template',
  'GET /onboarding/template.xlsx',
  'GET /evidence/{id}',
];

/**
 * Places whose schema says nothing of their names, so this walk cannot see
 * them, each with why its names are snake_case all the same.
 */
const OPAQUE = {
  // The framework file format (domain/framework), snake_case by its own schema, checked in full by the domain.
  'POST /frameworks body.*': 'the framework document',
  'POST /campaigns body.framework': 'the framework document',
  'GET /frameworks/{code} 200.document.*': 'the framework document',
  // What a step recorded, respelt deeply on the way out (application/wire-keys.ts recordedToWire).
  'GET /campaigns/{campaignId}/events 200[].before': 'a recorded event',
  'GET /campaigns/{campaignId}/events 200[].after': 'a recorded event',
  // domain/scoring/explain.ts's breakdown, respelt deeply on the way out (application/wire-keys.ts respelt).
  'GET /campaigns/{campaignId}/units/{unitCode}/explanation 200.explanation.*': 'a unit explanation',
};

type Operation = {
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
};

/** A service whose every method would mean a handler ran: the document is all this test reads. */
function unreachable(): never {
  return new Proxy({}, { get: (_target, method) => (method === 'then' ? undefined : () => { throw new Error('no handler runs here'); }) }) as never;
}

let app: FastifyInstance;
let operations: [string, Operation][];
beforeAll(async () => {
  // Every optional service present, so every route of api/ is registered.
  const services = new Proxy({}, {
    get: (_target, name) =>
      name === 'steps' ? { campaign: unreachable(), unit: unreachable(), survey: unreachable() } : name === 'evidence' ? { service: unreachable(), storage: { maxBytes: 1024 } } : unreachable(),
  }) as AppDeps['services'];
  app = await buildApp({ logger: false, services, security: { tokens: testTokens, sessions: { isRevoked: async () => false }, secureCookie: false, corsOrigins: [], rateLimitMax: TEST_API_SETTINGS.RATE_LIMIT_MAX } });
  await app.ready();
  const document = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
  operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation]));
});
afterAll(() => app?.close());

/** Every property name of a schema, at any depth, with where it is; and the places the schema leaves open. */
function walk(schema: JsonSchema | undefined, where: string, found: { names: [string, string][]; opaque: string[] }, depth = 0): void {
  if (!schema || depth > 40) return;
  const described = Object.keys(schema).filter((key) => !['description', 'nullable', 'default', 'example', 'examples'].includes(key));
  if (described.length === 0) found.opaque.push(where);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    found.names.push([name, where]);
    walk(property, `${where}.${name}`, found, depth + 1);
  }
  if (schema.items) walk(schema.items, `${where}[]`, found, depth + 1);
  // A record's keys are data (deadline keys, criterion codes); its values are walked.
  if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${where}.*`, found, depth + 1);
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...((schema as { allOf?: JsonSchema[] }).allOf ?? [])]) walk(branch, where, found, depth + 1);
}

function walkAll() {
  const found = { names: [] as [string, string][], opaque: [] as string[], queries: [] as [string, string][], paths: [] as [string, string][] };
  for (const [name, operation] of operations) {
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in === 'query') found.queries.push([parameter.name, name]);
      if (parameter.in === 'path') found.paths.push([parameter.name, name]);
    }
    for (const content of Object.values(operation.requestBody?.content ?? {})) walk(content.schema, `${name} body`, found);
    for (const [status, response] of Object.entries(operation.responses)) {
      for (const content of Object.values(response.content ?? {})) walk(content.schema, `${name} ${status}`, found);
    }
  }
  return found;
}

describe('the OpenAPI document spells the JSON API one way', () => {
  it('names every body, query and response property in snake_case, at any depth', () => {
    const { names, queries } = walkAll();
    // Not a vacuous walk: the document is large and reaches nested step bodies and responses.
    expect(names.length).toBeGreaterThan(1000);
    expect(names.map(([, where]) => where)).toEqual(expect.arrayContaining([
      'POST /campaigns/{campaignId}/units/{unitCode}/self-assessment body.scores[]',
      'POST /campaigns/{campaignId}/council-decisions body.returns[]',
      'GET /campaigns/{campaignId}/units/{unitCode}/progress 200.explanation_requests[].answer',
      'GET /campaigns/{campaignId}/survey/points 200.units[].questions[]',
    ]));
    const wrong = [...names, ...queries].filter(([name]) => !SNAKE.test(name)).map(([name, where]) => `${where}: ${name}`);
    expect([...new Set(wrong)]).toEqual([]);
  });

  it('names every path parameter as its route template does, in lowerCamelCase', () => {
    const { paths } = walkAll();
    expect(paths.map(([name]) => name)).toEqual(expect.arrayContaining(['campaignId', 'unitCode', 'requestId']));
    expect(paths.filter(([name]) => !LOWER_CAMEL.test(name)).map(([name, where]) => `${where}: ${name}`)).toEqual([]);
  });

  it('leaves a schema open only where the names are snake_case by other means', () => {
    expect([...new Set(walkAll().opaque)].sort()).toEqual(Object.keys(OPAQUE).sort());
  });

  it('describes the success answer of every operation, JSON unless it answers a file', () => {
    const undescribed = operations
      .filter(([, operation]) => !Object.entries(operation.responses).some(([status, response]) => status.startsWith('2') && response.content?.['application/json']?.schema))
      .map(([name]) => name);
    expect(undescribed.sort()).toEqual([...FILE_DOWNLOADS].sort());
    // Every error answer is the one error shape, whose names are checked above with the rest.
    const errors = operations.flatMap(([name, operation]) => Object.entries(operation.responses).filter(([status]) => /^[45]/.test(status)).map(([status, response]) => [name, status, response] as const));
    expect(errors.length).toBeGreaterThan(100);
    for (const [name, status, response] of errors) expect(response.content?.['application/json']?.schema.properties, `${name} ${status}`).toHaveProperty('status_code');
  });
});

describe('an address no route serves', () => {
  it('answers 404 with the same snake_case refusal body as every other error', async () => {
    const response = await app.inject({ method: 'GET', url: '/khong-co-dia-chi-nay' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ status_code: 404, error: 'route_not_found', message_vi: expect.any(String), message_en: expect.any(String) });
    expect(response.json()).not.toHaveProperty('statusCode');
  });
});
