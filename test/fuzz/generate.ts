import { HOSTILE_CHARACTERS } from '../helpers/hostile-text';
import { stringFieldsOf, urlOf, validParameter, type JsonSchema, type Operation, type Parameter } from '../helpers/openapi-requests';

/**
 * Requests for the fuzz stage, generated from the OpenAPI document: bodies,
 * paths and queries that the schema accepts, nearly accepts, or that a hostile
 * client would send (control and bidi characters, inherited object keys,
 * numbers past every integer type, huge strings, wrong types). Seeded, so a
 * failing run can be repeated with `--seed`.
 */

export type Random = () => number;

/** mulberry32: small, seedable, good enough to pick cases. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const HOSTILE_STRINGS = [
  '', ' ', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '../../etc/passwd', '%00', 'a"b', "a'b", 'a\r\nb', 'a\nSet-Cookie: x=1',
  '=HYPERLINK("http://x")', '<script>alert(1)</script>', 'Nguye\u0302\u0303n', 'x'.repeat(6000), '😀'.repeat(50), '-1', '2147483648', 'null', 'true',
];
const HOSTILE_NUMBERS = [0, -1, 1, 2147483647, 2147483648, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 0.5, 1.005];

function hostileString(random: Random): string {
  if (random() < 0.3) return pick(random, HOSTILE_STRINGS);
  return `a${pick(random, HOSTILE_CHARACTERS)}b`;
}

/**
 * What a valid request draws on: values the demo holds, by field or parameter
 * name (the framework's codes, the units), and the ids the running system has
 * shown so far, by path parameter (test/fuzz/known-ids.ts).
 */
export interface Knowledge {
  hints: Readonly<Record<string, readonly string[]>>;
  idsOf(path: string, name: string): readonly string[];
}

const NO_KNOWLEDGE: Knowledge = { hints: {}, idsOf: () => [] };

/** Strings that commonly fit a field, tried in turn against its pattern and length. */
const CANDIDATES = [
  'Báo cáo cải cách hành chính', 'Thủ trưởng đơn vị', '1.1.1', 'STP', 'hn-2019', 'fuzz-1', 'fuzz.nguoidung', 'a@example.vn', '2020-01-15',
  '08:30', 'P7D', 'par-2030-fuzz', '00000000-0000-4000-8000-000000000000', 'x',
];

function fits(schema: JsonSchema, text: string): boolean {
  const length = [...text].length;
  if (schema.minLength !== undefined && length < schema.minLength) return false;
  if (schema.maxLength !== undefined && length > schema.maxLength) return false;
  return schema.pattern === undefined || new RegExp(schema.pattern, 'u').test(text);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A date (YYYY-MM-DD) one to thirteen months ahead: a deadline already past is refused for what it is. */
function dateAhead(random: Random): string {
  return new Date(Date.now() + (30 + Math.floor(random() * 365)) * DAY_MS).toISOString().slice(0, 10);
}

/** A string the field probably accepts: its enum, a value the demo holds under its name, or common text that fits its pattern and length. */
function plausibleString(random: Random, schema: JsonSchema, name: string, knowledge: Knowledge): string {
  if (schema.enum?.length) return String(pick(random, schema.enum));
  const known = (knowledge.hints[name] ?? []).filter((text) => fits(schema, text));
  if (known.length) return pick(random, known);
  if (name === 'date' || name === 'deadline' || name.endsWith('_due')) return dateAhead(random);
  if (schema.format === 'email' || name === 'email') return `fuzz${Math.floor(random() * 1e6)}@example.vn`;
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  const candidates = CANDIDATES.filter((text) => fits(schema, text));
  if (candidates.length) return pick(random, candidates);
  if (schema.pattern) return validParameter({ in: 'query', name, schema });
  return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
}

/** An integer within the schema's bounds, small where they allow it. */
function plausibleNumber(random: Random, schema: JsonSchema): number {
  const low = (schema.minimum ?? 0) + (schema.exclusiveMinimum === true ? 1 : 0);
  return Math.max(low, Math.min(schema.maximum ?? 100, low + Math.floor(random() * 10)));
}

/** A value for the schema: valid-ish most of the time, hostile otherwise (never with hostility 0). */
export function valueFor(random: Random, schema: JsonSchema, name = '', depth = 0, hostility = 0.25, knowledge = NO_KNOWLEDGE): unknown {
  const hostile = random() < hostility;
  if (schema.const !== undefined && !hostile) return schema.const;
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (branches.length) return valueFor(random, pick(random, branches), name, depth + 1, hostility, knowledge);
  if (hostile && random() < 0.3) return pick<unknown>(random, [null, [], {}, 'x', 1, true, { constructor: 1 }]);
  if (!hostile && schema.enum?.length) return pick(random, schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return hostile ? hostileString(random) : plausibleString(random, schema, name, knowledge);
    case 'integer':
    case 'number':
      return hostile ? pick(random, HOSTILE_NUMBERS) : plausibleNumber(random, schema);
    case 'boolean':
      return random() < 0.5;
    case 'array': {
      const fewest = schema.minItems ?? 0;
      const length = hostile ? pick(random, [0, 3]) : Math.min(schema.maxItems ?? 2, Math.max(fewest, 1 + Math.floor(random() * 2)));
      return depth > 8 || !schema.items ? [] : Array.from({ length }, () => valueFor(random, schema.items!, name, depth + 1, hostility, knowledge));
    }
    default: {
      if (schema.enum?.length) return pick(random, schema.enum);
      if (depth > 8) return {};
      const object: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        const required = schema.required?.includes(key) ?? false;
        if (required || random() < 0.5) object[key] = valueFor(random, property, key, depth + 1, hostility, knowledge);
      }
      // A change names at least one field: a patch of nothing is refused (the schema's refinement, which the document cannot show).
      const properties = Object.entries(schema.properties ?? {});
      if (!hostile && Object.keys(object).length === 0 && properties.length) {
        const [key, property] = pick(random, properties);
        object[key] = valueFor(random, property, key, depth + 1, hostility, knowledge);
      }
      if (typeof schema.additionalProperties === 'object') object[hostile ? pick(random, ['constructor', '__proto__', 'a\u0000']) : 'department'] = valueFor(random, schema.additionalProperties, 'value', depth + 1, hostility, knowledge);
      if (hostile) object[pick(random, ['constructor', 'toString', 'extra'])] = 'x';
      return object;
    }
  }
}

/** `value` with `leaf` at `path`, creating the objects and one-item arrays on the way. */
function withValueAt(value: unknown, path: readonly (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const items = Array.isArray(value) && value.length ? [...(value as unknown[])] : [undefined];
    items[0] = withValueAt(items[0], rest, leaf);
    return items;
  }
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  object[head!] = withValueAt(object[head!], rest, leaf);
  return object;
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer | FormData;
}

/** A path parameter that names something that exists: one the system has shown, else the demo's. */
function existingParameter(random: Random, operation: Operation, parameter: Parameter, knowledge: Knowledge): string {
  const seen = knowledge.idsOf(operation.path, parameter.name);
  if (seen.length) return pick(random, seen);
  const known = knowledge.hints[parameter.name] ?? [];
  return known.length ? pick(random, known) : validParameter(parameter);
}

/**
 * One generated request for the operation. `valid`: every part as the schema
 * and the demo's data allow (ids that exist, no hostile value), what a
 * well-behaved client sends; otherwise the mix of nearly valid and hostile.
 */
export function requestFor(random: Random, operation: Operation, valid = false, knowledge = NO_KNOWLEDGE): FuzzRequest {
  const path: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') {
      path[parameter.name] = valid
        ? existingParameter(random, operation, parameter, knowledge)
        : random() < 0.7
          ? validParameter(parameter)
          : String(valueFor(random, parameter.schema, parameter.name)).replace(/[\ud800-\udfff]/g, '');
    }
    if (parameter.in === 'query' && (valid ? parameter.required || random() < 0.3 : random() < 0.5)) {
      query[parameter.name] = String(valueFor(random, parameter.schema, parameter.name, 0, valid ? 0 : 0.25, knowledge)).replace(/[\ud800-\udfff]/g, '');
    }
  }
  const headers: Record<string, string> = {};
  if (operation.parameters.some((parameter) => parameter.name === 'idempotency-key')) headers['idempotency-key'] = `fuzz-${Math.floor(random() * 1e9)}`;
  let body: FuzzRequest['body'];
  if (operation.body) {
    headers['content-type'] = 'application/json';
    const fields = stringFieldsOf(operation).filter((field) => field.part === 'body');
    const roll = valid ? 1 : random();
    body =
      roll < 0.1
        ? pick(random, ['{', 'null', '[]', '"x"', '{"a":1}'.repeat(2)])
        : JSON.stringify(
            valid
              ? valueFor(random, operation.body, '', 0, 0, knowledge)
              : // A plausible body with one hostile string in it: what reaches a workflow when the rest is right.
                roll < 0.5 && fields.length
                ? withValueAt(valueFor(random, operation.body, '', 0, 0, knowledge), pick(random, fields).path, hostileString(random))
                : valueFor(random, operation.body, '', 0, 0.25, knowledge),
          );
  } else if (operation.rawBody) {
    headers['content-type'] = pick(random, ['text/csv', 'application/octet-stream', 'text/plain']);
    body = pick(random, ['respondent_id,respondent_group,unit_code,question_code,answer\nR1,NGUOI_DAN,STP,S1,1\n', 'a\u0000b,c\n', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), '']);
  }
  return { method: operation.method, url: urlOf(operation, { path, query }), headers, ...(body === undefined ? {} : { body }) };
}
