import { DrizzleQueryError } from 'drizzle-orm/errors';
import { isStaleStatement } from './prepared-statements';

/**
 * What a failed database call means for whoever retries it. `unavailable`: the
 * server could not be reached or is going away (a restart, too many clients);
 * `transient`: the statement lost a race (serialization failure, deadlock, a
 * lock or statement timeout, a stale prepared statement) and the same
 * statement later succeeds; `permanent`: the statement itself is refused (a
 * value Postgres does not accept, a broken constraint, a bug) and fails the
 * same way however often it runs.
 *
 * The projection retries the first two and parks the third
 * (activities/projection.ts); the API answers the first two with 503 and a
 * Retry-After (http/error-handler.ts).
 */
export type DatabaseFailure = 'unavailable' | 'transient' | 'permanent';

/** Node's and postgres.js's codes for a connection that failed or broke. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/**
 * SQLSTATEs (postgresql.org/docs/current/errcodes-appendix.html) that say the
 * server is not there for us now: class 08 (connection exception), 53300
 * too_many_connections, 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now.
 */
const UNAVAILABLE_STATES = new Set(['53300', '57P01', '57P02', '57P03']);
const UNAVAILABLE_CLASSES = new Set(['08']);

/**
 * SQLSTATEs of a statement that succeeds when run again: 40001
 * serialization_failure, 40P01 deadlock_detected, 55P03 lock_not_available,
 * 57014 query_canceled (a statement timeout), and classes 53 (insufficient
 * resources: disk full, out of memory) and 58 (system error: I/O), which an
 * operator fixes without touching the data.
 */
const TRANSIENT_STATES = new Set(['40001', '40P01', '55P03', '57014']);
const TRANSIENT_CLASSES = new Set(['53', '58']);

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Every error in the chain: drizzle wraps the driver's error in `cause`, Node's dual-stack connect in an AggregateError. */
function* chain(error: unknown, depth = 0): Generator<Error> {
  if (!(error instanceof Error) || depth > 8) return;
  yield error;
  if (error instanceof AggregateError) for (const inner of error.errors) yield* chain(inner, depth + 1);
  yield* chain(error.cause, depth + 1);
}

/** The SQLSTATE Postgres answered with, when it answered at all. */
export function sqlStateOf(error: unknown): string | undefined {
  for (const link of chain(error)) {
    const { code } = link as { code?: unknown };
    if (typeof code === 'string' && SQLSTATE.test(code)) return code;
  }
  return undefined;
}

export function classifyDatabaseFailure(error: unknown): DatabaseFailure {
  for (const link of chain(error)) {
    const { code } = link as { code?: unknown };
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return 'unavailable';
  }
  if (isStaleStatement(error)) return 'transient';
  const state = sqlStateOf(error);
  if (state === undefined) return 'permanent';
  const stateClass = state.slice(0, 2);
  if (UNAVAILABLE_STATES.has(state) || UNAVAILABLE_CLASSES.has(stateClass)) return 'unavailable';
  if (TRANSIENT_STATES.has(state) || TRANSIENT_CLASSES.has(stateClass)) return 'transient';
  return 'permanent';
}

/** A failure that is worth retrying as it is (after a pause): the server was away or the statement lost a race. */
export function isRetryableDatabaseFailure(error: unknown): boolean {
  return classifyDatabaseFailure(error) !== 'permanent';
}

/** Control characters, which neither a text column nor a log line should carry. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const MESSAGE_LIMIT = 1_000;

/**
 * The SQLSTATE and the server's own sentence for a failure, fit to store and
 * show: drizzle's wrapper message repeats the statement and its parameters
 * (the offending value itself), so the innermost message is kept instead.
 */
export function describeDatabaseFailure(error: unknown): { code: string | null; message: string } {
  const links = [...chain(error)];
  const answered = links.find((link) => {
    const { code } = link as { code?: unknown };
    return typeof code === 'string' && SQLSTATE.test(code);
  });
  const source = answered ?? links.at(-1);
  const message = (source?.message ?? String(error)).replace(CONTROL_CHARACTERS, '\ufffd').slice(0, MESSAGE_LIMIT);
  return { code: sqlStateOf(error) ?? null, message };
}

/**
 * What of an error may be logged. A failed drizzle query carries its statement's parameters in
 * its message and fields (a password hash, a person's note), so it is logged as its SQLSTATE,
 * the server's own sentence and its stack, never with the values.
 */
export function loggableError(error: unknown): unknown {
  if (!(error instanceof DrizzleQueryError)) return error;
  const { code, message } = describeDatabaseFailure(error.cause ?? error);
  return { type: 'DrizzleQueryError', code, message, stack: error.stack?.split('\n').slice(1).join('\n') };
}
