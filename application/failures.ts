// How the edges tell an outage of a dependency from a bug, without knowing the database
// driver: the classification itself lives beside the driver (db/failures.ts).
import { isRetryableDatabaseFailure, loggableError } from '../db/failures';

/** A database failure that a retry may cure (connection lost, server starting): a 503, not a 500. */
export function isRetryableStoreFailure(error: unknown): boolean {
  return isRetryableDatabaseFailure(error);
}

/** The error as it should be logged: a driver failure reduced to its code and message. */
export function loggableFailure(error: unknown): unknown {
  return loggableError(error);
}
