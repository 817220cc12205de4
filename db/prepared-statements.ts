import type postgres from 'postgres';
import { observedBy, type QueryObserver } from './observed-queries';

type Client = postgres.Sql | postgres.TransactionSql;
type Unsafe = postgres.Sql['unsafe'];
type Scoped = (...args: unknown[]) => Promise<unknown>;

/**
 * Postgres's routines for a prepared statement that no longer fits its table
 * (a migration changed what it returns) or that the server no longer holds:
 * the set postgres.js itself retries once, outside a transaction.
 */
const STALE_STATEMENT_ROUTINES = new Set(['FetchPreparedStatement', 'RevalidateCachedQuery', 'transformAssignedExpr']);
/**
 * Each failed attempt discards the stale statement of the connection it ran
 * on, and the next attempt may take another connection that still holds one.
 * After five, the error reaches the caller as any other failure does (Temporal
 * retries an activity; a request answers 500).
 */
const STALE_STATEMENT_ATTEMPTS = 5;

/**
 * A postgres.js client whose statements are prepared, for drizzle (BENCHMARKS.md, P4).
 * drizzle's postgres-js driver asks postgres.js not to prepare any query it
 * was not given a name for, and postgres.js then sends each statement with
 * parameters in two round trips: Parse and Describe, a wait for the
 * parameter types, then Bind and Execute. Prepared, a statement the
 * connection has seen before takes one round trip and no parsing. postgres.js
 * keeps them per connection (its own default for tagged queries), and
 * Postgres plans them as it does any prepared statement.
 *
 * Transactions and savepoints hand their callbacks a client of their own,
 * which drizzle queries through: it is wrapped the same way. Every statement
 * goes through here, so here is where `observe` (tracing) sees each one.
 *
 * After a migration changes a table under a running process, postgres.js
 * prepares a stale statement again and retries it; inside a transaction that
 * retry fails too, because Postgres has aborted the transaction by then. A
 * transaction that fails that way runs again from its start, which is safe
 * because it was rolled back (the callbacks given to transactions here have
 * no effect outside the database).
 */
export function preparingStatements<C extends Client>(client: C, observe?: QueryObserver): C {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        const unsafe: Unsafe = (query, parameters, options) => observedBy(target.unsafe(query, parameters, { ...options, prepare: true }), query, observe);
        return unsafe;
      }
      if (property === 'begin' || property === 'savepoint') {
        const scoped = Reflect.get(target, property, receiver) as Scoped;
        return (...args: unknown[]) => {
          const callback = args.pop() as (scope: Client) => unknown;
          const run = () => scoped(...args, (scope: Client) => callback(preparingStatements(scope, observe)));
          // A savepoint's error reaches its transaction, which is what runs again.
          return property === 'begin' ? retryingStaleStatements(run) : run();
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

async function retryingStaleStatements<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= STALE_STATEMENT_ATTEMPTS || !isStaleStatement(error)) throw error;
    }
  }
}

/** A stale prepared statement (a migration changed its table); drizzle wraps the driver's error in its own (`cause`). */
export function isStaleStatement(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const { routine } = current as { routine?: string };
    if (routine && STALE_STATEMENT_ROUTINES.has(routine)) return true;
  }
  return false;
}
