/**
 * What the fault suite must undo however it ends: a normal end, a throw, an
 * unhandled rejection, SIGINT (Ctrl-C) or SIGTERM (a CI timeout). Each thing it
 * starts is registered here the moment it exists, and is undone in reverse
 * order exactly once; an undo that fails is reported and the others still run,
 * so a stuck Temporal server cannot leave the Postgres cluster behind.
 */
export interface Cleanup {
  /** Registers an undo, run before those registered earlier. */
  add(name: string, undo: () => Promise<unknown> | unknown): void;
  /** Runs every undo once (later calls wait for the first run). */
  run(): Promise<void>;
  /** Whether the undoing has begun: nothing may be started any more. */
  readonly closing: boolean;
}

export function createCleanup(report: (line: string) => void): Cleanup {
  const undos: { name: string; undo: () => Promise<unknown> | unknown }[] = [];
  let running: Promise<void> | undefined;
  const cleanup: Cleanup = {
    add(name, undo) {
      undos.push({ name, undo });
    },
    get closing() {
      return running !== undefined;
    },
    run() {
      running ??= (async () => {
        for (const { name, undo } of undos.splice(0).reverse()) {
          try {
            await undo();
          } catch (error) {
            report(`cleanup: ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      })();
      return running;
    },
  };
  return cleanup;
}

/**
 * SIGINT and SIGTERM run the cleanup and exit with 128 + the signal's number; a
 * second signal while it runs is ignored (the first is already undoing). An
 * unhandled rejection is a failure of the suite itself: cleaned up, exit 1.
 */
export function cleanUpOnExit(cleanup: Cleanup, report: (line: string) => void): void {
  const codes = { SIGINT: 130, SIGTERM: 143 } as const;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      report(`${signal}: stopping every process the suite started`);
      void cleanup.run().finally(() => process.exit(codes[signal]));
    });
  }
  process.on('unhandledRejection', (reason) => {
    report(`FAILED: unhandled ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
    void cleanup.run().finally(() => process.exit(1));
  });
}
