import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { users } from '../../db/schema-auth';
import { startStack, type TestStack } from './helpers/stack';

/**
 * Accounts on the real API and Postgres: the first admin made by `npm run
 * admin:create` in a child process, the accounts API, one-time passwords, the
 * forced password change, the password policy, the per-account lockout, a
 * disabled account's token, and the audit log naming who did each change.
 */

const run = promisify(execFile);
const ADMIN = 'snv.quantri';
const NEW_PASSWORD = 'Hồ Gươm xanh biếc 1075';
const ADMIN_PASSWORD = 'Cầu Thê Húc đỏ son 2026';

let stack: TestStack;
let admin: Record<string, string>;

function adminCreate(databaseUrl: string, args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/admin-create.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
}

const oneTimeOf = (stdout: string) => /One-time password: (\S+)/.exec(stdout)?.[1] ?? '';

function login(username: string, password: string) {
  return stack.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
}

function as(token: string) {
  return { authorization: `Bearer ${token}` };
}

function changePassword(token: string, current: string, next: string) {
  return stack.app.inject({ method: 'POST', url: '/auth/password', headers: as(token), payload: { current_password: current, new_password: next } });
}

async function createAccount(payload: object) {
  const response = await stack.app.inject({ method: 'POST', url: '/accounts', headers: admin, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { account: { username: string }; one_time_password: string; one_time_password_expires_at: string };
}

/** An account that has changed its one-time password for `password`. */
async function activeAccount(username: string, password: string, extra: object = {}) {
  const { one_time_password } = await createAccount({ username, full_name: `Cán bộ ${username}`, role: 'coordinator', ...extra });
  const first = await login(username, one_time_password);
  const changed = await changePassword(first.json().token, one_time_password, password);
  expect(changed.statusCode, changed.body).toBe(200);
}

const userRow = async (username: string) => (await stack.database.db.select().from(users).where(eq(users.username, username)))[0]!;

beforeAll(async () => {
  stack = await startStack();
  // The first admin, as an operator makes it on a fresh install: the command in its own process.
  const created = await adminCreate(stack.database.url, ['--username', 'SNV.QuanTri', '--name', 'Nguyễn Thị Quản Trị', '--email', 'quantri@snv.gov.vn', '--unit', 'SNV']);
  const oneTime = oneTimeOf(created.stdout);
  expect(oneTime).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  const first = await login(ADMIN, oneTime);
  expect(first.statusCode, first.body).toBe(200);
  const changed = await changePassword(first.json().token, oneTime, ADMIN_PASSWORD);
  expect(changed.statusCode, changed.body).toBe(200);
  admin = as(changed.json().token);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('npm run admin:create', () => {
  it('migrates a fresh database, creates the admin with a one-time password printed once and stored only hashed', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const name = `par_test_${randomBytes(6).toString('hex')}`;
    const server = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await server.unsafe(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const fresh = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      const { stdout } = await adminCreate(url.toString(), ['--username', 'snv.admin', '--name', 'Trần Văn Một']);
      const password = oneTimeOf(stdout);
      expect(stdout).toContain('Mật khẩu dùng một lần / One-time password');
      const [row] = await fresh`select username, role, password_hash, one_time_expires_at from users`;
      expect(row).toMatchObject({ username: 'snv.admin', role: 'admin' });
      expect(row!.password_hash).toMatch(/^scrypt\$/);
      expect(row!.password_hash).not.toContain(password);
      expect(row!.one_time_expires_at).toBeInstanceOf(Date);
      const [audit] = await fresh`select actor, action, username from account_audit`;
      expect(audit).toEqual({ actor: 'system', action: 'created', username: 'snv.admin' });

      // The same username again: refused with exit 1 in both languages, the account unchanged.
      const again = await adminCreate(url.toString(), ['--username', 'snv.admin', '--name', 'Người Khác']).catch((error: { code: number; stderr: string }) => error);
      expect(again).toMatchObject({ code: 1 });
      expect((again as { stderr: string }).stderr).toContain('Tên đăng nhập snv.admin đã có');
      expect((again as { stderr: string }).stderr).toContain('Username snv.admin is taken');
      const rows = await fresh`select password_hash, display_name from users`;
      expect(rows).toEqual([{ password_hash: row!.password_hash, display_name: 'Trần Văn Một' }]);
    } finally {
      await fresh.end();
      await server.unsafe(`drop database if exists ${name} with (force)`);
      await server.end();
    }
  }, 120_000);

  it('printed a password that logged in once, into a session that had to change it first', async () => {
    // beforeAll logged in with it and changed it; the one-time password no longer logs in.
    const created = await adminCreate(stack.database.url, ['--username', 'snv.tam', '--name', 'Lê Văn Tám']);
    const oneTime = oneTimeOf(created.stdout);
    const first = await login('snv.tam', oneTime);
    expect(first.json()).toMatchObject({ must_change_password: true, user: { username: 'snv.tam', role: 'admin' } });
    const token = first.json().token as string;
    for (const [method, url] of [['GET', '/accounts'], ['GET', '/auth/me'], ['GET', '/campaigns'], ['POST', '/accounts/snv.admin/disable']] as const) {
      const refused = await stack.app.inject({ method, url, headers: as(token) });
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json()).toMatchObject({ error: 'password_change_required', message_vi: expect.stringContaining('đổi mật khẩu') });
    }
    // A dashboard page sends the person to the page where the password is changed, and back afterwards.
    const page = await stack.app.inject({ method: 'GET', url: '/dashboard/inbox', headers: as(token) });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/dashboard/password?next=%2Fdashboard%2Finbox');
    const form = await stack.app.inject({ method: 'GET', url: page.headers.location, headers: as(token) });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Mật khẩu dùng một lần');
    const second = await login('snv.tam', oneTime);
    expect(second.statusCode).toBe(401);
    expect(second.json().error).toBe('one_time_password_used');

    const changed = await changePassword(token, oneTime, NEW_PASSWORD);
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await stack.app.inject({ method: 'GET', url: '/accounts', headers: as(changed.json().token) })).statusCode).toBe(200);
    // The forced session ended with the change; the one-time password is gone, the new one works.
    expect((await stack.app.inject({ method: 'GET', url: '/auth/me', headers: as(token) })).statusCode).toBe(401);
    expect((await login('snv.tam', oneTime)).statusCode).toBe(401);
    expect((await login('snv.tam', NEW_PASSWORD)).json()).toMatchObject({ must_change_password: false });
  });
});

describe('the accounts API', () => {
  it('creates accounts with a one-time password that expires after 72 hours, and lists them by unit and role', async () => {
    const before = Date.now();
    const made = await createAccount({ username: 'Ba.Dinh.Truong', full_name: 'Phạm Thị Trưởng', email: 'Truong@BaDinh.gov.vn', role: 'unit', unit_code: 'QUAN_BA_DINH' });
    expect(made.account).toMatchObject({ username: 'ba.dinh.truong', email: 'truong@badinh.gov.vn', unit_code: 'QUAN_BA_DINH', active: true, one_time_password_pending: true });
    const expires = Date.parse(made.one_time_password_expires_at);
    expect(expires - before).toBeGreaterThanOrEqual(72 * 3_600_000 - 60_000);
    expect(expires - before).toBeLessThanOrEqual(72 * 3_600_000 + 60_000);
    await createAccount({ username: 'ba.dinh.canbo', full_name: 'Đỗ Văn Cán Bộ', role: 'unit', unit_code: 'QUAN_BA_DINH' });
    await createAccount({ username: 'stp.thamdinh', full_name: 'Vũ Thị Thẩm Định', role: 'contributor', unit_code: 'STP' });

    const byUnit = await stack.app.inject({ method: 'GET', url: '/accounts?unit_code=QUAN_BA_DINH', headers: admin });
    expect(byUnit.json().map((row: { username: string }) => row.username)).toEqual(['ba.dinh.canbo', 'ba.dinh.truong']);
    const byRole = await stack.app.inject({ method: 'GET', url: '/accounts?role=contributor', headers: admin });
    expect(byRole.json().map((row: { username: string }) => row.username)).toEqual(['stp.thamdinh']);
    expect(byRole.body).not.toMatch(/scrypt|password_hash/);
  });

  it('refuses a role that needs a unit without one (400), a taken username or e-mail (409), naming the field, and stores nothing', async () => {
    const noUnit = await stack.app.inject({ method: 'POST', url: '/accounts', headers: admin, payload: { username: 'khong.don.vi', full_name: 'Không Đơn Vị', role: 'unit' } });
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.json().issues).toEqual([expect.objectContaining({ path: ['body', 'unit_code'], code: 'unit_required', message_vi: expect.stringContaining('cần đơn vị') })]);

    const taken = await stack.app.inject({ method: 'POST', url: '/accounts', headers: admin, payload: { username: 'BA.DINH.TRUONG', full_name: 'Trùng Tên', role: 'coordinator' } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ error: 'username_taken', issues: [expect.objectContaining({ path: ['body', 'username'] })] });

    const email = await stack.app.inject({ method: 'POST', url: '/accounts', headers: admin, payload: { username: 'trung.thu', full_name: 'Trùng Thư', email: 'TRUONG@badinh.gov.vn', role: 'coordinator' } });
    expect(email.statusCode).toBe(409);
    expect(email.json()).toMatchObject({ error: 'email_taken', message_en: expect.stringContaining('(email)'), issues: [expect.objectContaining({ path: ['body', 'email'] })] });

    const patchNoUnit = await stack.app.inject({ method: 'PATCH', url: '/accounts/ba.dinh.canbo', headers: admin, payload: { unit_code: null } });
    expect(patchNoUnit.statusCode).toBe(400);
    expect(patchNoUnit.json().issues[0].path).toEqual(['body', 'unit_code']);

    const badEmail = await stack.app.inject({ method: 'POST', url: '/accounts', headers: admin, payload: { username: 'sai.thu', full_name: 'Sai Thư', email: 'khong-phai-thu', role: 'coordinator' } });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().issues[0].path).toEqual(['body', 'email']);

    const names = (await stack.app.inject({ method: 'GET', url: '/accounts', headers: admin })).json().map((row: { username: string }) => row.username);
    for (const refused of ['khong.don.vi', 'trung.thu', 'sai.thu']) expect(names).not.toContain(refused);
    expect((await stack.app.inject({ method: 'GET', url: '/accounts?unit_code=QUAN_BA_DINH', headers: admin })).json().find((row: { username: string }) => row.username === 'ba.dinh.canbo').unit_code).toBe('QUAN_BA_DINH');
  });

  it('changes role, unit, name and e-mail; a new role or unit ends the account’s sessions', async () => {
    await activeAccount('dieu.phoi', NEW_PASSWORD);
    const token = (await login('dieu.phoi', NEW_PASSWORD)).json().token as string;
    const patched = await stack.app.inject({
      method: 'PATCH',
      url: '/accounts/dieu.phoi',
      headers: admin,
      payload: { role: 'contributor', unit_code: 'SXD', full_name: 'Hoàng Văn Điều Phối', email: 'dieuphoi@sxd.gov.vn' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ role: 'contributor', unit_code: 'SXD', full_name: 'Hoàng Văn Điều Phối', email: 'dieuphoi@sxd.gov.vn' });
    expect((await stack.app.inject({ method: 'GET', url: '/auth/me', headers: as(token) })).statusCode).toBe(401);
    expect((await login('dieu.phoi', NEW_PASSWORD)).json().user).toMatchObject({ role: 'contributor', unit_code: 'SXD' });
    expect((await stack.app.inject({ method: 'PATCH', url: '/accounts/khong.co', headers: admin, payload: { full_name: 'Ai' } })).statusCode).toBe(404);
  });
});

describe('one-time passwords', () => {
  it('opens one session only when the same one-time password is sent twice at once', async () => {
    const { one_time_password } = await createAccount({ username: 'hai.lan', full_name: 'Hai Lần', role: 'council' });
    const answers = await Promise.all([login('hai.lan', one_time_password), login('hai.lan', one_time_password)]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 401]);
    expect(answers.find((answer) => answer.statusCode === 401)!.json()).toMatchObject({ error: 'one_time_password_used' });
  });

  it('an expired one logs in no more, with a reason only its holder sees', async () => {
    const { one_time_password } = await createAccount({ username: 'het.han', full_name: 'Hết Hạn', role: 'institute' });
    await stack.database.db.update(users).set({ oneTimeExpiresAt: new Date(Date.now() - 1000) }).where(eq(users.username, 'het.han'));
    const expired = await login('het.han', one_time_password);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ error: 'one_time_password_expired', message_vi: expect.stringContaining('hết hạn') });
    // A wrong password for the same account says nothing about it.
    expect((await login('het.han', 'sai-mat-khau-dai')).json().error).toBe('invalid_credentials');
  });

  it('a reset ends the old password and every session, and gives a one-time password that forces a change', async () => {
    await activeAccount('dat.lai', NEW_PASSWORD);
    const token = (await login('dat.lai', NEW_PASSWORD)).json().token as string;
    const reset = await stack.app.inject({ method: 'POST', url: '/accounts/dat.lai/reset-password', headers: admin });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().account.one_time_password_pending).toBe(true);
    expect((await stack.app.inject({ method: 'GET', url: '/auth/me', headers: as(token) })).statusCode).toBe(401);
    expect((await login('dat.lai', NEW_PASSWORD)).statusCode).toBe(401);
    const first = await login('dat.lai', reset.json().one_time_password);
    expect(first.json().must_change_password).toBe(true);
    expect((await stack.app.inject({ method: 'GET', url: '/campaigns', headers: as(first.json().token) })).json().error).toBe('password_change_required');
  });
});

describe('the password policy on POST /auth/password', () => {
  it('refuses a short, a common, a username-bearing password and a wrong current one, naming the field', async () => {
    await activeAccount('chinh.sach', NEW_PASSWORD);
    const token = (await login('chinh.sach', NEW_PASSWORD)).json().token as string;
    for (const [next, code] of [
      ['ngan-qua', 'too_short'],
      ['matkhau@2025', 'common_password'],
      ['1234567890', 'common_password'],
      ['toi-la-chinh.sach-2026', 'contains_username'],
      [NEW_PASSWORD, 'same_as_current'],
    ] as const) {
      const refused = await changePassword(token, NEW_PASSWORD, next);
      expect(refused.statusCode, next).toBe(400);
      expect(refused.json().issues, next).toContainEqual(expect.objectContaining({ path: ['body', 'new_password'], code }));
      expect(refused.json().message_vi).toContain('Mật khẩu mới không đạt yêu cầu');
    }
    const wrong = await changePassword(token, 'khong-phai-mat-khau', 'Một mật khẩu mới rất dài 9');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().issues).toEqual([expect.objectContaining({ path: ['body', 'current_password'], code: 'wrong_current_password' })]);
    // Nothing changed: the old password still logs in.
    expect((await login('chinh.sach', NEW_PASSWORD)).statusCode).toBe(200);
  });
});

describe('per-account lockout', () => {
  it('locks after the fifth failure for 1 minute, doubles per further failure, refuses even the right password meanwhile, and resets on success', async () => {
    await activeAccount('khoa.tam', NEW_PASSWORD);
    for (let attempt = 1; attempt <= 4; attempt += 1) expect((await login('khoa.tam', `sai-lan-${attempt}-xyz`)).statusCode).toBe(401);
    expect((await userRow('khoa.tam')).lockedUntil).toBeNull();
    // The lock runs from the moment the fifth failure is recorded, somewhere between sending it and its answer.
    const fifth = Date.now();
    await login('khoa.tam', 'sai-lan-5-xyz');
    const fifthAnswered = Date.now();
    const firstLockEnds = (await userRow('khoa.tam')).lockedUntil!.getTime();
    expect(firstLockEnds).toBeGreaterThanOrEqual(fifth + 60_000);
    expect(firstLockEnds).toBeLessThanOrEqual(fifthAnswered + 60_000);
    // Locked: the right password gets the same answer as a wrong one, and does not lengthen the lock.
    const whileLocked = await login('khoa.tam', NEW_PASSWORD);
    expect(whileLocked.statusCode).toBe(401);
    expect(whileLocked.json().error).toBe('invalid_credentials');
    const listed = (await stack.app.inject({ method: 'GET', url: '/accounts?role=coordinator', headers: admin })).json().find((row: { username: string }) => row.username === 'khoa.tam');
    expect(listed.locked_until).not.toBeNull();

    // The minute passes (moved in the database, not waited for); the next failure locks for 2 minutes.
    await stack.database.db.update(users).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(users.username, 'khoa.tam'));
    const sixth = Date.now();
    await login('khoa.tam', 'sai-lan-6-xyz');
    const sixthAnswered = Date.now();
    const secondLockEnds = (await userRow('khoa.tam')).lockedUntil!.getTime();
    expect(secondLockEnds).toBeGreaterThanOrEqual(sixth + 120_000);
    expect(secondLockEnds).toBeLessThanOrEqual(sixthAnswered + 120_000);

    await stack.database.db.update(users).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(users.username, 'khoa.tam'));
    expect((await login('khoa.tam', NEW_PASSWORD)).statusCode).toBe(200);
    expect(await userRow('khoa.tam')).toMatchObject({ failedLogins: 0, lockedUntil: null });
    // After the reset a failure is again a free one.
    await login('khoa.tam', 'sai-lan-7-xyz');
    expect((await userRow('khoa.tam')).lockedUntil).toBeNull();
  });
});

describe('a disabled account', () => {
  it('is refused on its next request with a still-valid token, and its login answers like an unknown user; enabling lets it log in again', async () => {
    await activeAccount('tam.khoa', NEW_PASSWORD);
    const token = (await login('tam.khoa', NEW_PASSWORD)).json().token as string;
    expect((await stack.app.inject({ method: 'GET', url: '/campaigns', headers: as(token) })).statusCode).toBe(200);
    const disabled = await stack.app.inject({ method: 'POST', url: '/accounts/tam.khoa/disable', headers: admin });
    expect(disabled.json()).toMatchObject({ username: 'tam.khoa', active: false });
    const next = await stack.app.inject({ method: 'GET', url: '/campaigns', headers: as(token) });
    expect(next.statusCode).toBe(401);
    const refused = await login('tam.khoa', NEW_PASSWORD);
    const unknown = await login('khong.ton.tai', NEW_PASSWORD);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ ...unknown.json(), request_id: refused.json().request_id });

    expect((await stack.app.inject({ method: 'POST', url: '/accounts/tam.khoa/enable', headers: admin })).json().active).toBe(true);
    expect((await stack.app.inject({ method: 'GET', url: '/campaigns', headers: as(token) })).statusCode).toBe(401);
    expect((await login('tam.khoa', NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('an admin cannot disable their own account', async () => {
    const self = await stack.app.inject({ method: 'POST', url: `/accounts/${ADMIN}/disable`, headers: admin });
    expect(self.statusCode).toBe(409);
    expect(self.json().error).toBe('cannot_disable_self');
  });
});

describe('the account audit log', () => {
  it('records every change with who made it, before and after, and no secret', async () => {
    const audit = await stack.app.inject({ method: 'GET', url: '/accounts/audit?limit=1000', headers: admin });
    expect(audit.statusCode).toBe(200);
    const entries = audit.json() as { actor: string; action: string; username: string; before: { role: string; active: boolean } | null; after: { role: string; unit_code: string | null; active: boolean } | null }[];
    const find = (username: string, action: string) => entries.filter((entry) => entry.username === username && entry.action === action);
    expect(find(ADMIN, 'created')).toEqual([expect.objectContaining({ actor: 'system', before: null, after: expect.objectContaining({ role: 'admin', unit_code: 'SNV' }) })]);
    expect(find(ADMIN, 'password_changed')).toEqual([expect.objectContaining({ actor: ADMIN })]);
    expect(find('ba.dinh.truong', 'created')).toEqual([expect.objectContaining({ actor: ADMIN, after: expect.objectContaining({ role: 'unit', unit_code: 'QUAN_BA_DINH' }) })]);
    expect(find('dieu.phoi', 'updated')).toEqual([
      expect.objectContaining({ actor: ADMIN, before: expect.objectContaining({ role: 'coordinator' }), after: expect.objectContaining({ role: 'contributor', unit_code: 'SXD' }) }),
    ]);
    expect(find('tam.khoa', 'disabled')).toEqual([expect.objectContaining({ actor: ADMIN, before: expect.objectContaining({ active: true }), after: expect.objectContaining({ active: false }) })]);
    expect(find('tam.khoa', 'enabled')).toEqual([expect.objectContaining({ actor: ADMIN })]);
    expect(find('dat.lai', 'password_reset')).toEqual([expect.objectContaining({ actor: ADMIN })]);
    expect(find('dat.lai', 'password_changed')).toEqual([expect.objectContaining({ actor: 'dat.lai' })]);
    // Refused changes left no entry; no hash or password is in the log.
    expect(entries.filter((entry) => ['khong.don.vi', 'trung.thu', 'sai.thu'].includes(entry.username))).toEqual([]);
    expect(audit.body).not.toMatch(/scrypt|password_hash|Hồ Gươm|Cầu Thê Húc/);

    const one = await stack.app.inject({ method: 'GET', url: '/accounts/audit?username=tam.khoa', headers: admin });
    expect(new Set(one.json().map((entry: { username: string }) => entry.username))).toEqual(new Set(['tam.khoa']));
  });
});
