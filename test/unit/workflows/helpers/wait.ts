/**
 * Reads until `done` holds and returns what it read: a workflow's state through
 * its query, the stub activities' records. Fails after `timeoutMs` with the last
 * value read, which says where the workflow stopped.
 */
export async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let failure: unknown;
  for (;;) {
    try {
      last = await read();
      failure = undefined;
      if (done(last)) return last;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last read: ${failure ? String(failure) : JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The integration tests' check of a refused update, the same for these. */
export { expectRejected } from '../../../integration/helpers/wait';
