import type postgres from 'postgres';

type Client = postgres.Sql | postgres.TransactionSql;
type Unsafe = postgres.Sql['unsafe'];
type Scoped = (...args: unknown[]) => Promise<unknown>;

/**
 * A postgres.js client whose statements are prepared, for drizzle (issue 8).
 * drizzle's postgres-js driver asks postgres.js not to prepare any query it
 * was not given a name for, and postgres.js then sends each statement with
 * parameters in two round trips: Parse and Describe, a wait for the
 * parameter types, then Bind and Execute. Prepared, a statement the
 * connection has seen before takes one round trip and no parsing. postgres.js
 * keeps them per connection (its own default for tagged queries), and
 * Postgres plans them as it does any prepared statement.
 *
 * Transactions and savepoints hand their callbacks a client of their own,
 * which drizzle queries through: it is wrapped the same way.
 */
export function preparingStatements<C extends Client>(client: C): C {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        const unsafe: Unsafe = (query, parameters, options) => target.unsafe(query, parameters, { ...options, prepare: true });
        return unsafe;
      }
      if (property === 'begin' || property === 'savepoint') {
        const scoped = Reflect.get(target, property, receiver) as Scoped;
        return (...args: unknown[]) => {
          const callback = args.pop() as (scope: Client) => unknown;
          return scoped(...args, (scope: Client) => callback(preparingStatements(scope)));
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
