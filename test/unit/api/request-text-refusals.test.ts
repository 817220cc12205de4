import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAs } from '../../helpers/auth';
import { operationsOf, roleFor, stringFieldsOf, urlOf, type Operation, type StringField } from '../../helpers/openapi-requests';
import { HOSTILE_CHARACTERS } from '../../helpers/hostile-text';
import { buildUnreachableApp } from '../../helpers/unreachable-app';

/**
 * Every string field of every request schema (path, query and JSON body, read
 * from the app's OpenAPI document, which the same zod schemas build) refuses
 * each control, bidi, lone-surrogate and noncharacter with a 400 naming that
 * field. The services are never reached: each one throws if a handler runs,
 * which would answer 500 and fail the test.
 */

let app: FastifyInstance;
let operations: Operation[];
beforeAll(async () => {
  app = await buildUnreachableApp();
  operations = operationsOf(app);
});
afterAll(() => app?.close());

/** URLs are UTF-8: a lone surrogate has no form there, so path and query fields get the others. */
const URL_CHARACTERS = HOSTILE_CHARACTERS.filter((char) => !/^[\ud800-\udfff]$/.test(char));
const word = fc.stringMatching(/^[a-z0-9]{0,6}$/);

const tokens = new Map<string, Promise<Record<string, string>>>();
function headersFor(operation: Operation) {
  const role = roleFor(operation.access);
  if (!role) return Promise.resolve({});
  if (!tokens.has(role)) tokens.set(role, bearerAs(role, role === 'unit' || role === 'contributor' ? 'STP' : undefined));
  return tokens.get(role)!;
}

async function send(operation: Operation, field: StringField, value: string) {
  const headers = await headersFor(operation);
  const name = String(field.path[0]);
  const url = urlOf(operation, field.part === 'params' ? { path: { [name]: value } } : field.part === 'querystring' ? { query: { [name]: value } } : {});
  const payload = field.part === 'body' ? (field.bodyWith!(value) as object) : operation.body ? {} : undefined;
  return app.inject({ method: operation.method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });
}

describe('every request schema refuses hostile text', () => {
  it('walks a document with string fields on the step, import, login, draft, contact and reminder routes', () => {
    const covered = operations.filter((operation) => stringFieldsOf(operation).some((field) => field.part === 'body')).map((operation) => `${operation.method} ${operation.path}`);
    expect(covered).toEqual(expect.arrayContaining([
      'POST /auth/login',
      'POST /campaigns',
      'POST /campaigns/{campaignId}/guidance',
      'POST /campaigns/{campaignId}/units/{unitCode}/self-assessment',
      'PUT /campaigns/{campaignId}/units/{unitCode}/self-assessment/draft',
      'POST /units/{unitCode}/contacts',
      'PUT /campaigns/{campaignId}/reminder-policy',
    ]));
  });

  it('answers 400 naming the field for each character in each string field of each route, never a 5xx', async () => {
    let requests = 0;
    let fields = 0;
    for (const operation of operations) {
      for (const field of stringFieldsOf(operation)) {
        fields += 1;
        const characters = field.part === 'body' ? HOSTILE_CHARACTERS : URL_CHARACTERS;
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...characters), word, word, async (hostile, before, after) => {
            requests += 1;
            const response = await send(operation, field, `a${before}${hostile}${after}b`);
            const where = `${operation.method} ${operation.path} ${field.part}.${field.path.join('.')} U+${hostile.codePointAt(0)!.toString(16)}`;
            expect(response.statusCode, `${where}: ${response.body}`).toBe(400);
            const issues = (response.json() as { issues?: { path: unknown[] }[] }).issues ?? [];
            expect(issues.map((found) => found.path), where).toContainEqual([field.part, ...field.path]);
          }),
          // Each character once for sure (examples count in numRuns), then a few more placements.
          { examples: characters.map((char) => [char, '', '']), numRuns: characters.length + 5 },
        );
      }
    }
    expect(fields).toBeGreaterThan(100);
    expect(requests).toBeGreaterThanOrEqual(fields * URL_CHARACTERS.length);
  }, 120_000);
});
