import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../../application/auth/service';
import { hashPassword } from '../../application/auth/passwords';
import { createAccountRepository } from '../../db/repositories/accounts';
import { createSessionRepository } from '../../db/repositories/sessions';
import { createUserRepository, type UserRepository } from '../../db/repositories/users';
import { rowsOf } from '../../db/raw-rows';
import { testTokens } from '../helpers/auth';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { eventually } from './helpers/wait';

/**
 * A login that races an admin's change to the account, on real Postgres: the
 * token it answers never carries a role, unit or activity the account no
 * longer has. Either the change comes after the login read the row (the
 * token is dated before the change's cutoff and is refused on its first
 * request), or the change holds the row when the login reads it (the login
 * waits and reads the changed row).
 */

const PASSWORD = 'Sông Hồng nước đỏ phù sa 1010';
let database: TestDatabase;
let accounts: ReturnType<typeof createAccountRepository>;
let users: UserRepository;
const sessions = () => createSessionRepository(database.db);

beforeAll(async () => {
  database = await createTestDatabase();
  accounts = createAccountRepository(database.db);
  users = createUserRepository(database.db);
}, 60_000);
afterAll(async () => {
  await database?.destroy();
});

async function makeUser(username: string) {
  await users.insertMissing([{ username, passwordHash: await hashPassword(PASSWORD), role: 'contributor', unitCode: 'SXD', displayName: 'Trần Văn Xây' }]);
}

/** The auth service on the real repositories, with `between` run after the login has read the row and before it signs. */
function authWith(between: (username: string) => Promise<void>) {
  return createAuthService({
    users: {
      ...users,
      async findByUsername(username, options) {
        const row = await users.findByUsername(username, options);
        await between(username);
        return row;
      },
    },
    accounts,
    tokens: testTokens,
    sessions: sessions(),
    now: () => Date.now(),
  });
}

async function stillValid(token: string): Promise<boolean> {
  const verified = await testTokens.verify(token);
  expect(verified).not.toBeNull();
  return !(await sessions().isRevoked(verified!.session));
}

describe('a login racing a change to the account', () => {
  it('answers a token that is refused when the account was disabled after the login read it', async () => {
    await makeUser('race.disable');
    const auth = authWith((username) => accounts.setActive('snv.admin', username, false, new Date()).then(() => undefined));
    const { token } = await auth.login('race.disable', PASSWORD);
    expect(await stillValid(token)).toBe(false);
  });

  it('answers a token that is refused when the role changed after the login read it', async () => {
    await makeUser('race.role');
    const auth = authWith((username) => accounts.update('snv.admin', username, { role: 'unit', unitCode: 'PHUONG_HOAN_KIEM' }, new Date()).then(() => undefined));
    const { token } = await auth.login('race.role', PASSWORD);
    expect((await testTokens.verify(token))!.actor).toMatchObject({ role: 'contributor', unitCode: 'SXD' });
    expect(await stillValid(token)).toBe(false);
  });

  it('waits for a change that holds the row and reads the account as changed', async () => {
    await makeUser('race.held');
    const other = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let held!: () => void;
      const holding = new Promise<void>((resolve) => (held = resolve));
      // An admin's change in flight: the row is locked and changed, not yet committed.
      const change = other.begin(async (tx) => {
        await tx`select 1 from users where username = 'race.held' for update`;
        await tx`update users set role = 'unit', unit_code = 'PHUONG_HOAN_KIEM' where username = 'race.held'`;
        held();
        await released;
      });
      await holding;
      const login = authWith(async () => {}).login('race.held', PASSWORD);
      // The login waits on the row until the change commits.
      await eventually(async () => {
        const waiting = rowsOf<{ n: number }>(
          await database.db.execute(sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%for share%'`),
        );
        return waiting[0]!.n > 0;
      }, 20_000, 'the login to wait for the row');
      release();
      await change;
      const { token, user } = await login;
      expect(user).toMatchObject({ role: 'unit', unitCode: 'PHUONG_HOAN_KIEM' });
      expect((await testTokens.verify(token))!.actor).toMatchObject({ role: 'unit', unitCode: 'PHUONG_HOAN_KIEM' });
    } finally {
      await other.end();
    }
  });

  it('keeps a login that read the account after its last change valid', async () => {
    await makeUser('race.none');
    await accounts.update('snv.admin', 'race.none', { displayName: 'Trần Văn Xây Dựng' }, new Date());
    const { token } = await authWith(async () => {}).login('race.none', PASSWORD);
    expect(await stillValid(token)).toBe(true);
  });
});
