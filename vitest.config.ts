import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs no database (pure code, and workflow tests on a
// Temporal dev server of their own, test/unit/workflows/); `integration` runs
// against a real Temporal dev server (started once in globalSetup) and the real
// Postgres named by TEST_DATABASE_URL.
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['test/integration/setup-logging.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // expect.poll waits for a condition (a page the server answers, a form's reply), never for a fixed time:
          // its default second is a timed assertion on two busy cores.
          expect: { poll: { timeout: 30_000 } },
          // Two cores: files run one at a time so workers and servers do not starve each other.
          fileParallelism: false,
        },
      },
    ],
  },
});
