/**
 * The ids the running system has shown the fuzz, per path parameter: a valid
 * request names a contact, a notification or an explanation request that
 * exists, or it only ever meets 404s. Gathered from every JSON answer: a
 * parameter `contactId` takes the `contact_id`s seen anywhere, and the `id`s of
 * the list that names it (`GET /units/{unitCode}/contacts` for
 * `/contacts/{contactId}`).
 */
import type { Operation } from '../helpers/openapi-requests';

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The static segment before `{name}` in a path: the collection the parameter picks from. */
function collectionOf(path: string, name: string): string | undefined {
  const segments = path.split('/');
  const at = segments.indexOf(`{${name}}`);
  return at > 0 ? segments[at - 1] : undefined;
}

const GENERIC = new Set(['id', 'code']);

/** Values of `{name}` in `path` are drawn from one pool, named by the collection they pick from. */
function poolOf(path: string, name: string): string {
  return `${collectionOf(path, name) ?? ''}/${name}`;
}

/** The collection a GET of `path` lists: its last segment, unless that names one item (`/frameworks/{code}`). */
function listedBy(path: string): string | undefined {
  const last = path.split('/').at(-1);
  return last === undefined || last === '' || last.startsWith('{') ? undefined : last;
}

export class KnownIds {
  private readonly seen = new Map<string, Set<string>>();

  /** `withheld`: values never offered (the fuzz's own accounts, which a valid disable would lock out). */
  constructor(
    private readonly operations: readonly Operation[],
    private readonly withheld: ReadonlySet<string> = new Set(),
  ) {}

  /** Keeps the ids of one JSON answer of `operation`. */
  learn(operation: Operation, answer: unknown): void {
    const wanted = this.wantedKeys(operation);
    const walk = (value: unknown, depth: number) => {
      if (depth > 6 || value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) {
        for (const item of value.slice(0, 200)) walk(item, depth + 1);
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        for (const pool of wanted.get(key) ?? []) {
          if (typeof item === 'string' || typeof item === 'number') this.add(pool, String(item));
        }
        walk(item, depth + 1);
      }
    };
    walk(answer, 0);
  }

  /** Known values of the path parameter `name` of the path `path`. */
  of(path: string, name: string): readonly string[] {
    return [...(this.seen.get(poolOf(path, name)) ?? [])];
  }

  private add(pool: string, value: string): void {
    if (value === '' || value.length > 200 || this.withheld.has(value)) return;
    const values = this.seen.get(pool) ?? new Set<string>();
    values.add(value);
    this.seen.set(pool, values);
  }

  /** Answer key → the pools it fills, for answers of `operation`. */
  private wantedKeys(operation: Operation): Map<string, string[]> {
    const wanted = new Map<string, string[]>();
    const want = (key: string, pool: string) => {
      const pools = wanted.get(key) ?? [];
      if (!pools.includes(pool)) wanted.set(key, [...pools, pool]);
    };
    const listed = operation.method === 'GET' ? listedBy(operation.path) : undefined;
    for (const other of this.operations) {
      for (const { name } of other.parameters.filter((p) => p.in === 'path')) {
        const pool = poolOf(other.path, name);
        // `id` and `code` name something different in every collection: taken only from that collection's list.
        if (!GENERIC.has(name)) want(snake(name), pool);
        if (listed !== undefined && collectionOf(other.path, name) === listed) want(GENERIC.has(name) || name === 'username' ? name : 'id', pool);
      }
    }
    return wanted;
  }
}
