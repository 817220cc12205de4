import { count, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountAudit } from '../../db/schema-accounts';
import { users } from '../../db/schema-auth';
import { organisationAudit, organisations } from '../../db/schema-organisations';
import { provinceUnits } from '../../db/schema-units';
import { readOnboardingWorkbook } from '../../formats/onboarding-import';
import { writeOnboardingWorkbook, type OnboardingContent } from '../../formats/onboarding-workbook';
import { onboardingContent } from '../../seed/hanoi-2025';
import { multipart, XLSX_TYPE } from '../helpers/multipart';
import { bearerAs, SNV_ADMIN, startStack, type TestStack } from './helpers/stack';

/**
 * The onboarding workbook on the real API and Postgres: the template, a
 * workbook with mistakes refused whole with each at its sheet, row and column,
 * the seed province imported once with its one-time passwords in a file made
 * once, the same workbook again changing nothing, and a changed workbook
 * adding and updating while what it leaves out is only reported.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function importWorkbook(content: OnboardingContent | Uint8Array, headers: Record<string, string> = SNV_ADMIN) {
  const bytes = content instanceof Uint8Array ? content : await writeOnboardingWorkbook(content);
  const upload = multipart('to-chuc-don-vi-tai-khoan.xlsx', XLSX_TYPE, bytes);
  return stack.app.inject({ method: 'POST', url: '/onboarding/import', headers: { ...headers, ...upload.headers }, payload: upload.payload });
}

async function credentialRows(base64: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('Mật khẩu')!;
  const rows: string[][] = [];
  sheet.eachRow((row, number) => {
    if (number > 1) rows.push((row.values as unknown[]).slice(1).map(String));
  });
  return rows;
}

const tableCounts = async () => {
  const db = stack.database.db;
  const [accounts] = await db.select({ n: count() }).from(users);
  const [units] = await db.select({ n: count() }).from(provinceUnits);
  const [audit] = await db.select({ n: count() }).from(accountAudit);
  const [directory] = await db.select({ n: count() }).from(organisations);
  const [directoryAudit] = await db.select({ n: count() }).from(organisationAudit);
  return { accounts: accounts!.n, units: units!.n, audit: audit!.n, organisations: directory!.n, organisationAudit: directoryAudit!.n };
};

describe('the onboarding workbook', () => {
  it('downloads an empty template that the import reads back as a workbook of no rows', async () => {
    const response = await stack.app.inject({ method: 'GET', url: '/onboarding/template.xlsx', headers: SNV_ADMIN });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(XLSX_TYPE);
    const read = await readOnboardingWorkbook(new Uint8Array(response.rawPayload));
    expect(read).toEqual({ ok: true, rows: { organisations: [], units: [], accounts: [] } });
    const refused = await stack.app.inject({ method: 'GET', url: '/onboarding/template.xlsx', headers: await bearerAs('coordinator') });
    expect(refused.statusCode).toBe(403);
  });

  it('refuses a workbook with mistakes, naming each by sheet, row and column in both languages, and stores nothing', async () => {
    const before = await tableCounts();
    const content = onboardingContent();
    const accounts = content.accounts.map((row) => ({ ...row }));
    accounts[3] = { ...accounts[3]!, username: accounts[2]!.username }; // row 5 repeats row 4's username
    accounts[10] = { ...accounts[10]!, unit_code: 'XA_KHONG_CO' }; // row 12: no such unit
    accounts[11] = { ...accounts[11]!, unit_code: null }; // row 13: a unit account without its unit
    accounts[12] = { ...accounts[12]!, email: 'not-an-address' }; // row 14
    const units = content.units.map((row) => ({ ...row }));
    units[30] = { ...units[30]!, group_name_vi: 'Phường (khác)' }; // row 32: the group named twice
    const response = await importWorkbook({ ...content, accounts, units });
    expect(response.statusCode, response.body).toBe(400);
    const body = response.json() as { message_vi: string; message_en: string; issues: { path: (string | number)[]; code: string; message_vi: string; message_en: string }[] };
    expect(body.message_vi).toContain('chưa lưu gì');
    expect(body.message_en).toContain('nothing was stored');
    // The form of every cell is checked first: the bad e-mail alone is reported at this stage.
    expect(body.issues.map((found) => [found.path, found.code])).toEqual([[['Tài khoản', 14, 'C'], 'invalid_format']]);
    expect(body.issues[0]!.message_vi).toMatch(/^trang "Tài khoản", dòng 14, cột C: Thư điện tử/);
    expect(body.issues[0]!.message_en).toMatch(/^sheet "Tài khoản", row 14, column C: /);

    accounts[12] = content.accounts[12]!;
    const second = await importWorkbook({ ...content, accounts, units });
    expect(second.statusCode, second.body).toBe(400);
    const issues = (second.json() as typeof body).issues;
    expect(issues.map((found) => [found.path, found.code])).toEqual([
      [['Đơn vị', 32, 'D'], 'group_name_differs'],
      [['Tài khoản', 5, 'A'], 'duplicate_username'],
      [['Tài khoản', 12, 'D'], 'unknown_unit'],
      [['Tài khoản', 13, 'D'], 'unit_required'],
    ]);
    expect(issues[1]!.message_vi).toBe(`trang "Tài khoản", dòng 5, cột A: Tên đăng nhập ${accounts[2]!.username} đã có ở dòng 4`);
    expect(issues[1]!.message_en).toBe(`sheet "Tài khoản", row 5, column A: Username ${accounts[2]!.username} is already on row 4`);
    expect(await tableCounts()).toEqual(before);

    const notExcel = await importWorkbook(new Uint8Array(Buffer.from('không phải Excel')));
    expect(notExcel.statusCode).toBe(400);
    expect(notExcel.json().issues[0].code).toBe('unreadable_workbook');
    const noFile = await stack.app.inject({ method: 'POST', url: '/onboarding/import', headers: SNV_ADMIN });
    expect(noFile.statusCode).toBe(400);
    expect(await tableCounts()).toEqual(before);
  });

  it('imports the seed province once; the same workbook again changes nothing; a changed one adds and updates and only reports what it leaves out', async () => {
    const content = onboardingContent();
    const first = await importWorkbook(content);
    expect(first.statusCode, first.body.slice(0, 500)).toBe(200);
    const result = first.json();
    expect(result.changed).toBe(true);
    expect(result.groups.created.sort()).toEqual(['commune', 'department', 'ward']);
    expect(result.units.created).toHaveLength(147);
    expect(result.organisations.created).toHaveLength(content.organisations.length);
    const directory = await stack.app.inject({ method: 'GET', url: '/organisations?kind=survey_institute', headers: SNV_ADMIN });
    expect(directory.json()).toMatchObject([{ code: 'VIEN', kind: 'survey_institute' }]);
    expect(result.accounts.created).toHaveLength(content.accounts.length);
    expect(result.credentials).toMatchObject({ count: content.accounts.length, content_type: XLSX_TYPE });

    // The credentials file: one row per new account; its passwords log in once and must be changed.
    const rows = await credentialRows(result.credentials.content_base64);
    expect(rows.map((row) => row[0])).toEqual(content.accounts.map((row) => row.username));
    const [username, , , password] = rows.find((row) => row[0] === 'xa_soc_son.lanhdao')!;
    const login = await stack.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json()).toMatchObject({ must_change_password: true, user: { role: 'unit', unit_code: 'XA_SOC_SON' } });
    // Stored only hashed: no password of the file is anywhere in the accounts or their audit.
    const stored = JSON.stringify([await stack.database.db.select().from(users), await stack.database.db.select().from(accountAudit)]);
    for (const row of rows.slice(0, 20)) expect(stored).not.toContain(row[3]);

    const units = await stack.app.inject({ method: 'GET', url: '/units?group=ward', headers: SNV_ADMIN });
    expect(units.json()).toHaveLength(51);
    expect(units.json()).toContainEqual({ code: 'PHUONG_VAN_MIEU_QUOC_TU_GIAM', name_vi: 'Phường Văn Miếu - Quốc Tử Giám', group: 'ward', group_name_vi: 'Phường' });

    // The same workbook again: nothing written, no credentials.
    const before = await tableCounts();
    const again = await importWorkbook(content);
    expect(again.statusCode, again.body.slice(0, 500)).toBe(200);
    expect(again.json()).toMatchObject({
      changed: false,
      message_en: 'The workbook matches what is stored: nothing changed',
      groups: { created: [], updated: [] },
      organisations: { created: [], updated: [], unchanged: content.organisations.length },
      units: { created: [], updated: [], unchanged: 147 },
      accounts: { created: [], updated: [], unchanged: content.accounts.length },
      credentials: null,
    });
    expect(await tableCounts()).toEqual(before);

    // A changed workbook: the institute renamed, one unit renamed, one account moved to another unit, one added, one left out.
    const changedUnits = content.units.map((row) => (row.code === 'XA_KIM_ANH' ? { ...row, name_vi: 'Xã Kim Anh (mới)' } : row));
    const left = content.accounts.find((row) => row.username === 'xa_noi_bai.chuyenvien')!;
    const changedAccounts = [
      ...content.accounts
        .filter((row) => row !== left)
        .map((row) => (row.username === 'xa_da_phuc.chuyenvien' ? { ...row, unit_code: 'XA_TRUNG_GIA', full_name: 'Trần Thị Mới' } : row)),
      { username: 'xa_soc_son.vanthu', full_name: 'Phạm Thị Văn Thư', email: null, unit_code: 'XA_SOC_SON', organisation_code: null, role: 'unit' as const },
    ];
    const changedOrganisations = content.organisations.map((row) => (row.code === 'VIEN' ? { ...row, name_vi: 'Viện Nghiên cứu phát triển Thủ đô' } : row));
    const changed = await importWorkbook({ organisations: changedOrganisations, units: changedUnits, accounts: changedAccounts });
    expect(changed.statusCode, changed.body.slice(0, 500)).toBe(200);
    const outcome = changed.json();
    expect(outcome).toMatchObject({
      changed: true,
      organisations: { created: [], updated: ['VIEN'] },
      units: { created: [], updated: ['XA_KIM_ANH'], unchanged: 146 },
      accounts: { created: ['xa_soc_son.vanthu'], updated: ['xa_da_phuc.chuyenvien'] },
    });
    expect(outcome.accounts.absent).toContain('xa_noi_bai.chuyenvien');
    expect((await credentialRows(outcome.credentials.content_base64)).map((row) => row[0])).toEqual(['xa_soc_son.vanthu']);
    const [kept] = await stack.database.db.select().from(users).where(eq(users.username, 'xa_noi_bai.chuyenvien'));
    expect(kept!.active).toBe(true);
    const [moved] = await stack.database.db.select().from(users).where(eq(users.username, 'xa_da_phuc.chuyenvien'));
    expect(moved).toMatchObject({ unitCode: 'XA_TRUNG_GIA', displayName: 'Trần Thị Mới' });
    const audit = await stack.app.inject({ method: 'GET', url: '/accounts/audit?username=xa_da_phuc.chuyenvien', headers: SNV_ADMIN });
    expect(audit.json()[0]).toMatchObject({ actor: 'snv-admin', action: 'updated', before: { unit_code: 'XA_DA_PHUC' }, after: { unit_code: 'XA_TRUNG_GIA' } });
  }, 300_000);
});
