/**
 * Told when a statement is sent (its text, never its parameters); the function it
 * returns is called once the statement has finished, with the error if it failed.
 * observability/tracing.ts makes each statement a span of the active trace.
 */
export type QueryObserver = (statement: string) => (error?: unknown) => void;

/**
 * Reports the end of a postgres.js query to `end` and returns the query itself,
 * so drizzle still calls `.values()` on it. The reaction goes on the query's
 * promise through Promise.prototype.then, not its own then(): that one starts
 * the query, which must run only when drizzle awaits it.
 */
export function observed<Q extends Promise<unknown>>(query: Q, end: (error?: unknown) => void): Q {
  void Promise.prototype.then.call(
    query,
    () => end(),
    (error: unknown) => end(error),
  );
  return query;
}

/** The query as it is without an observer, else observed from now until it settles. */
export function observedBy<Q extends Promise<unknown>>(query: Q, statement: string, observe: QueryObserver | undefined): Q {
  return observe ? observed(query, observe(statement)) : query;
}
