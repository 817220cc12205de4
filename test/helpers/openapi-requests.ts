import type { FastifyInstance } from 'fastify';
import type { RouteAccess } from '../../http/auth/plugin';
import type { Role } from '../../domain/actors';
import { rolesEverAllowed } from '../../domain/permissions';

/**
 * Requests generated from the app's own OpenAPI document (built from the same
 * zod schemas that validate the requests): every operation, the role that may
 * call it, and every string field of its path, query and JSON body with a way
 * to build a request that carries a chosen value there. The schema property
 * test and the fuzz stage (test/fuzz/) both walk it.
 */

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  /** OpenAPI 3.0: true makes `minimum` exclusive. */
  exclusiveMinimum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  required?: string[];
  default?: unknown;
};

export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  schema: JsonSchema;
  required?: boolean;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. /campaigns/{campaignId}. */
  path: string;
  access: RouteAccess;
  parameters: Parameter[];
  /** The JSON body's schema, when the operation takes one. */
  body?: JsonSchema;
  /** A body that is not JSON (multipart upload, a raw file). */
  rawBody: boolean;
}

/** Where a string field is: the validation part and its path, as the 400's issue names it. */
export interface StringField {
  part: 'params' | 'querystring' | 'body';
  path: (string | number)[];
  schema: JsonSchema;
  /** The body (for a body field) with `value` at the field and the discriminators on the way; other required fields left out. */
  bodyWith?: (value: unknown) => unknown;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

/** The operations of an OpenAPI document (GET /docs/json), each with the access `accessOf` gives its route. */
export function operationsOfDocument(document: OpenApiDocument, accessOf: (method: string, url: string) => RouteAccess = () => 'signed-in'): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = operation.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase(),
        path,
        access: accessOf(method.toUpperCase(), path.replace(/\{(\w+)\}/g, ':$1')),
        parameters: operation.parameters ?? [],
        body: content['application/json']?.schema,
        rawBody: Object.keys(content).some((type) => type !== 'application/json'),
      });
    }
  }
  return operations;
}

/** The operations of a built app, with the access each route declared. */
export function operationsOf(app: FastifyInstance): Operation[] {
  const access = new Map(app.routeAccess.map((entry) => [`${entry.method} ${entry.url}`, entry.access]));
  return operationsOfDocument(app.swagger() as OpenApiDocument, (method, url) => access.get(`${method} ${url}`) ?? 'signed-in');
}

/** A role that may call the operation (the first the access rule names), or null for a public one. */
export function roleFor(access: RouteAccess): Role | null {
  if (access === 'public') return null;
  if (access === 'signed-in') return 'admin';
  return rolesEverAllowed(access)[0] ?? 'admin';
}

/** A value the parameter's schema accepts, for the parameters a request does not aim at. */
export function validParameter(parameter: Parameter): string {
  const { schema, name } = parameter;
  if (schema.type === 'integer' || schema.type === 'number') return String(Math.max(1, schema.minimum ?? 1));
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (schema.enum?.length) return String(schema.enum[0]);
  if (name === 'campaignId' || name === 'campaign_id') return 'par-2019-hn';
  if (schema.pattern?.startsWith('^[A-Z0-9_]')) return 'STP';
  if (name === 'group') return 'department';
  if (name === 'requestId') return 'r1-1-1-0';
  return 'hn-2019';
}

/** The URL of the operation with `values` for some of its path and query parameters and valid values for the other path parameters. */
export function urlOf(operation: Operation, values: { path?: Record<string, string>; query?: Record<string, string> } = {}): string {
  let url = operation.path;
  for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
    url = url.replace(`{${parameter.name}}`, encodeURIComponent(values.path?.[parameter.name] ?? validParameter(parameter)));
  }
  const query = new URLSearchParams(values.query ?? {}).toString();
  return query ? `${url}?${query}` : url;
}

const isString = (schema: JsonSchema) => schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string')) || (schema.enum?.every((value) => typeof value === 'string') ?? false);

/** The properties of an object schema that pick a union branch (a single allowed value), set so that branch is chosen. */
function discriminators(schema: JsonSchema): Record<string, unknown> {
  const fixed: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (property.const !== undefined) fixed[name] = property.const;
    else if (property.enum?.length === 1) fixed[name] = property.enum[0];
  }
  return fixed;
}

function bodyFields(schema: JsonSchema, path: (string | number)[], wrap: (value: unknown) => unknown, depth = 0): StringField[] {
  if (depth > 12) return [];
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (branches.length) return branches.flatMap((branch) => bodyFields(branch, path, wrap, depth + 1));
  if (isString(schema)) return [{ part: 'body', path, schema, bodyWith: wrap }];
  if (schema.type === 'array' && schema.items) return bodyFields(schema.items, [...path, 0], (value) => wrap([value]), depth + 1);
  const found: StringField[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    found.push(...bodyFields(property, [...path, name], (value) => wrap({ ...discriminators(schema), [name]: value }), depth + 1));
  }
  if (typeof schema.additionalProperties === 'object') {
    found.push(...bodyFields(schema.additionalProperties, [...path, 'k1'], (value) => wrap({ k1: value }), depth + 1));
  }
  return found;
}

/** Every string field of the operation's path, query and JSON body. */
export function stringFieldsOf(operation: Operation): StringField[] {
  const fields: StringField[] = [];
  for (const parameter of operation.parameters) {
    if (!isString(parameter.schema)) continue;
    if (parameter.in === 'path') fields.push({ part: 'params', path: [parameter.name], schema: parameter.schema });
    if (parameter.in === 'query') fields.push({ part: 'querystring', path: [parameter.name], schema: parameter.schema });
  }
  if (operation.body) fields.push(...bodyFields(operation.body, [], (value) => value));
  return fields;
}
