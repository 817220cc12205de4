import { HOSTILE_CHARACTERS } from '../helpers/hostile-text';
import { stringFieldsOf, urlOf, validParameter, type JsonSchema, type Operation } from '../helpers/openapi-requests';

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

/** A string the field probably accepts: its enum, a valid parameter-like value, or plain Vietnamese text. */
function plausibleString(random: Random, schema: JsonSchema, name: string): string {
  if (schema.enum?.length) return String(pick(random, schema.enum));
  // The demo framework's codes, so that a step can get past the workflow's own checks.
  if (name === 'area_code' || name === 'areas' || name === 'areas_owned') return pick(random, ['1', '2', '3']);
  if (name === 'code') return pick(random, ['1.1.1', '1.1.2', '2.1.1']);
  if (name === 'contributor') return 'STP';
  if (name === 'date' || name === 'deadline') return pick(random, ['2020-01-15', '2030-01-15']);
  if (schema.pattern || schema.format) return validParameter({ in: 'query', name, schema });
  return pick(random, ['Báo cáo cải cách hành chính', 'Thủ trưởng đơn vị', '1', '1.1.1', 'STP', 'P7D', '2020-01-15', 'a@example.vn']);
}

/** A value for the schema: valid-ish most of the time, hostile otherwise (never with hostility 0). */
export function valueFor(random: Random, schema: JsonSchema, name = '', depth = 0, hostility = 0.25): unknown {
  const hostile = random() < hostility;
  if (schema.const !== undefined && !hostile) return schema.const;
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (branches.length) return valueFor(random, pick(random, branches), name, depth + 1, hostility);
  if (hostile && random() < 0.3) return pick<unknown>(random, [null, [], {}, 'x', 1, true, { constructor: 1 }]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return hostile ? hostileString(random) : plausibleString(random, schema, name);
    case 'integer':
    case 'number':
      return hostile ? pick(random, HOSTILE_NUMBERS) : Math.max(schema.minimum ?? 0, Math.min(schema.maximum ?? 100, 1 + Math.floor(random() * 10)));
    case 'boolean':
      return random() < 0.5;
    case 'array': {
      const length = hostile ? pick(random, [0, 3]) : 1 + Math.floor(random() * 2);
      return depth > 8 || !schema.items ? [] : Array.from({ length }, () => valueFor(random, schema.items!, name, depth + 1, hostility));
    }
    default: {
      if (schema.enum?.length) return pick(random, schema.enum);
      if (depth > 8) return {};
      const object: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        const required = schema.required?.includes(key) ?? false;
        if (required || random() < 0.5) object[key] = valueFor(random, property, key, depth + 1, hostility);
      }
      if (typeof schema.additionalProperties === 'object') object[hostile ? pick(random, ['constructor', '__proto__', 'a\u0000']) : 'department'] = valueFor(random, schema.additionalProperties, 'value', depth + 1, hostility);
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
  body?: string | Buffer;
}

/** One generated request for the operation. */
export function requestFor(random: Random, operation: Operation): FuzzRequest {
  const path: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') path[parameter.name] = random() < 0.7 ? validParameter(parameter) : String(valueFor(random, parameter.schema, parameter.name)).replace(/[\ud800-\udfff]/g, '');
    if (parameter.in === 'query' && random() < 0.5) query[parameter.name] = String(valueFor(random, parameter.schema, parameter.name)).replace(/[\ud800-\udfff]/g, '');
  }
  const headers: Record<string, string> = {};
  if (operation.parameters.some((parameter) => parameter.name === 'idempotency-key')) headers['idempotency-key'] = `fuzz-${Math.floor(random() * 1e9)}`;
  let body: string | Buffer | undefined;
  if (operation.body) {
    headers['content-type'] = 'application/json';
    const fields = stringFieldsOf(operation).filter((field) => field.part === 'body');
    const roll = random();
    body =
      roll < 0.1
        ? pick(random, ['{', 'null', '[]', '"x"', '{"a":1}'.repeat(2)])
        : JSON.stringify(
            // A plausible body with one hostile string in it: what reaches a workflow when the rest is right.
            roll < 0.5 && fields.length
              ? withValueAt(valueFor(random, operation.body, '', 0, 0), pick(random, fields).path, hostileString(random))
              : valueFor(random, operation.body),
          );
  } else if (operation.rawBody) {
    headers['content-type'] = pick(random, ['text/csv', 'application/octet-stream', 'text/plain']);
    body = pick(random, ['respondent_id,respondent_group,unit_code,question_code,answer\nR1,NGUOI_DAN,STP,S1,1\n', 'a\u0000b,c\n', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), '']);
  }
  return { method: operation.method, url: urlOf(operation, { path, query }), headers, ...(body === undefined ? {} : { body }) };
}
