/**
 * A deep copy of plain workflow state for query answers, so a caller can never
 * hold a reference into live state. (structuredClone is not available in the
 * workflow sandbox; the state is JSON by construction.)
 */
export function copyOf<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
