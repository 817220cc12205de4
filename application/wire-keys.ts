import type { ValidationIssue } from '../domain/issues';

/**
 * The JSON API spells every property snake_case (api/README.md "Naming"); the
 * workflows and the domain types they carry spell theirs camelCase, and their
 * shapes are Temporal contracts that committed histories replay. The modules of
 * api/wire/ translate between the two at the edge, one per route family, each
 * field by name; this one holds what they share with the refusal mapping
 * (update-errors.ts), which both edges answer with.
 */

/** A camelCase field name (stageLabelVi, round2Areas); codes such as STP, 1.2 or cai_cach are not. */
const CAMEL_NAME = /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/;

/** stageLabelVi → stage_label_vi, round2Areas → round2_areas; any other text unchanged. */
export function snakeCase(name: string): string {
  return CAMEL_NAME.test(name) ? name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) : name;
}

/**
 * A workflow's refusal names the fields of the step it was given (e.g.
 * `returns.0.unitCode`); the caller sent the wire spelling, so the path is
 * respelt to name what the caller sent (`returns.0.unit_code`).
 */
export function wireIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({ ...issue, path: issue.path.map((part) => (typeof part === 'string' ? snakeCase(part) : part)) }));
}

/** The type-level snakeCase of one name. */
type SnakeName<S extends string> = S extends `${infer Head}${infer Rest}` ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeName<Rest>}` : S;

/** T with every key respelt, through arrays and nested objects: what a wire schema must describe (the drift checks). */
export type SnakeKeys<T> = T extends readonly (infer Item)[]
  ? SnakeKeys<Item>[]
  : T extends object
    ? { [K in keyof T as K extends string ? SnakeName<K> : K]: SnakeKeys<T[K]> }
    : T;

// Compile-time checks of the drift checks themselves.
type Assert<T extends true> = T;
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type SnakeKeysChecks = [
  Assert<Same<SnakeKeys<{ stageLabelVi: string; round2Areas: string[]; a: { pointsCenti: number }[] | null }>, { stage_label_vi: string; round2_areas: string[]; a: { points_centi: number }[] | null }>>,
  Assert<Same<SnakeKeys<Record<string, string>>, Record<string, string>>>,
];

/**
 * A payload the workflows recorded with their own field names (an event's
 * before and after), respelt for the wire, deeply. Only camelCase-shaped keys
 * change: codes used as keys (STP, 1.2) stay as they are.
 */
export function recordedToWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(recordedToWire);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [snakeCase(key), recordedToWire(item)]));
}

/** recordedToWire for a value whose type is known: the respelt value's type says what the caller gets. */
export function respelt<T>(value: T): SnakeKeys<T> {
  return recordedToWire(value) as SnakeKeys<T>;
}
