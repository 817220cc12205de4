import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemoUsers } from '../../seed/users';

/**
 * The demo users (README "Demo users") share a password printed in the README:
 * production mode refuses to seed them with it, and no process of the
 * production path (the API, the worker, the migration and admin commands)
 * seeds them at all; `npm start` seeds them only outside production mode.
 */

function recordingUsers() {
  const inserted: string[] = [];
  return {
    inserted,
    repository: {
      existing: async () => new Set<string>(),
      insertMissing: async (rows: { username: string }[]) => {
        inserted.push(...rows.map((row) => row.username));
        return rows.length;
      },
    },
  };
}

describe('the demo users', () => {
  it('are refused with the public password in production mode, and nothing is inserted', async () => {
    const users = recordingUsers();
    await expect(seedDemoUsers(users.repository, DEMO_PASSWORD, 'production')).rejects.toThrow(/production mode/);
    expect(users.inserted).toEqual([]);
  });

  it('are seeded by no process of the production path, and by npm start only outside production mode', () => {
    for (const entry of ['server/main.ts', 'worker/main.ts', 'scripts/migrate.ts', 'scripts/admin-create.ts']) {
      expect(readFileSync(entry, 'utf8'), entry).not.toMatch(/seed\//);
    }
    const start = readFileSync('scripts/start-all.ts', 'utf8');
    expect(start).toMatch(/const demo = config\.NODE_ENV !== 'production';/);
    expect(start).toMatch(/if \(demo\) \{\n\s+const usersAdded = await seedDemoUsers/);
    expect(start).toMatch(/if \(demo\) await seedDemoCampaign\(\);/);
  });
});
