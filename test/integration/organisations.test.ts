import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationRepository } from '../../db/repositories/organisations';
import { bearerAs, SNV_ADMIN, startStack, type TestStack } from './helpers/stack';

/**
 * The organisation directory on the real API and Postgres: staff read it, the
 * admin adds, changes and disables organisations (never deletes), every change
 * is in the audit log with who made it, bad input is refused naming the field
 * and changes nothing, and accounts belong to an organisation of it.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const post = (payload: object, headers = SNV_ADMIN) => stack.app.inject({ method: 'POST', url: '/organisations', headers, payload });
const patch = (code: string, payload: object) => stack.app.inject({ method: 'PATCH', url: `/organisations/${code}`, headers: SNV_ADMIN, payload });
const list = async (query = '') => {
  const response = await stack.app.inject({ url: `/organisations${query}`, headers: await bearerAs('coordinator') });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { code: string; name_vi: string; kind: string; kind_label_vi: string; disabled: boolean }[];
};
const audit = async (code: string) => {
  const response = await stack.app.inject({ url: `/organisations/audit?code=${code}`, headers: SNV_ADMIN });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { actor: string; action: string; before: { name_vi: string } | null; after: { name_vi: string; disabled: boolean } | null }[];
};

describe('the organisation directory', () => {
  it('lists organisations in Vietnamese name order with their kind in Vietnamese; a disabled one only when asked', async () => {
    for (const [code, name_vi, kind] of [
      ['SXD', 'Sở Xây dựng', 'department'],
      ['STC', 'Sở Tài chính', 'department'],
      ['SNV', 'Sở Nội vụ', 'home_affairs'],
      ['VIEN_XHH', 'Viện Nghiên cứu phát triển', 'survey_institute'],
      ['HDTD', 'Hội đồng thẩm định Chỉ số CCHC', 'appraisal_council'],
    ] as const) {
      const made = await post({ code, name_vi, kind });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({ code, name_vi, kind, disabled: false });
    }
    const all = await list();
    expect(all.map((row) => row.code)).toEqual(['HDTD', 'SNV', 'STC', 'SXD', 'VIEN_XHH']);
    expect(all.find((row) => row.code === 'SXD')!.kind_label_vi).toBe('Sở, ban, ngành');
    expect((await list('?kind=department')).map((row) => row.code)).toEqual(['STC', 'SXD']);

    const disabled = await patch('STC', { disabled: true });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect((await list()).map((row) => row.code)).not.toContain('STC');
    expect((await list('?include_disabled=true')).find((row) => row.code === 'STC')).toMatchObject({ disabled: true });
    expect((await patch('STC', { disabled: false })).statusCode).toBe(200);
    expect((await list()).map((row) => row.code)).toContain('STC');
  });

  it('audits every change with who made it, the organisation before and after; a change that changes nothing is not audited', async () => {
    expect((await post({ code: 'SYT', name_vi: 'Sở Y te', kind: 'department' })).statusCode).toBe(201);
    const renamed = await patch('SYT', { name_vi: 'Sở Y tế' });
    expect(renamed.json()).toMatchObject({ code: 'SYT', name_vi: 'Sở Y tế' });
    expect((await patch('SYT', { name_vi: 'Sở Y tế' })).statusCode).toBe(200);
    expect((await patch('SYT', { disabled: true })).statusCode).toBe(200);
    const log = await audit('SYT');
    expect(log.map((row) => [row.actor, row.action])).toEqual([
      ['snv-admin', 'disabled'],
      ['snv-admin', 'updated'],
      ['snv-admin', 'created'],
    ]);
    expect(log[1]!.before!.name_vi).toBe('Sở Y te');
    expect(log[1]!.after!.name_vi).toBe('Sở Y tế');
    expect(log[2]!.before).toBeNull();
  });

  it('refuses bad input with a 4xx naming the field, and changes nothing', async () => {
    const before = await list('?include_disabled=true');
    const refusals: [object, number, string][] = [
      [{ code: 'SXD', name_vi: 'Sở Xây dựng mới', kind: 'department' }, 409, 'code'],
      [{ code: 'sxd-2', name_vi: 'Sở Xây dựng', kind: 'department' }, 400, 'code'],
      [{ code: 'SKH', name_vi: 'Sở Kế hoạch\u202E', kind: 'department' }, 400, 'name_vi'],
      [{ code: 'SKH', name_vi: 'Sở Kế hoạch', kind: 'ministry' }, 400, 'kind'],
      [{ code: 'SKH', name_vi: '', kind: 'department' }, 400, 'name_vi'],
    ];
    for (const [payload, status, field] of refusals) {
      const response = await post(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      const body = response.json() as { message_vi: string; message_en: string; issues?: { path: (string | number)[] }[] };
      expect(body.issues?.some((found) => found.path.includes(field)), response.body).toBe(true);
      expect(body.message_vi.length).toBeGreaterThan(0);
    }
    expect((await patch('KHONG_CO', { name_vi: 'Không có' })).statusCode).toBe(404);
    expect((await patch('SXD', {})).statusCode).toBe(400);
    expect(await list('?include_disabled=true')).toEqual(before);
  });

  it('ties accounts to an organisation of the directory: an unknown or disabled one, or a unit and an organisation at once, is refused naming the field', async () => {
    const account = (payload: object) => stack.app.inject({ method: 'POST', url: '/accounts', headers: SNV_ADMIN, payload });
    const made = await account({ username: 'sxd.thamdinh', full_name: 'Trần Văn Thẩm', role: 'contributor', organisation_code: 'SXD' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().account).toMatchObject({ organisation_code: 'SXD', unit_code: null });
    const filtered = await stack.app.inject({ url: '/accounts?organisation_code=SXD', headers: SNV_ADMIN });
    expect((filtered.json() as { username: string }[]).map((row) => row.username)).toEqual(['sxd.thamdinh']);

    // Its token acts for the organisation: the code a campaign's contributor names.
    const login = await stack.app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'sxd.thamdinh', password: made.json().one_time_password } });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json().user).toMatchObject({ organisation_code: 'SXD', unit_code: null });

    for (const [payload, code] of [
      [{ username: 'x.unknown', full_name: 'Người Lạ', role: 'contributor', organisation_code: 'KHONG_CO' }, 'unknown_organisation'],
      [{ username: 'x.disabled', full_name: 'Người Lạ', role: 'contributor', organisation_code: 'SYT' }, 'unknown_organisation'],
      [{ username: 'x.both', full_name: 'Người Lạ', role: 'contributor', organisation_code: 'SXD', unit_code: 'SXD' }, 'unit_or_organisation'],
      [{ username: 'x.none', full_name: 'Người Lạ', role: 'contributor' }, 'unit_required'],
    ] as const) {
      const refused = await account(payload);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().issues).toEqual([expect.objectContaining({ path: ['body', 'organisation_code'], code })]);
    }
    const moved = await stack.app.inject({ method: 'PATCH', url: '/accounts/sxd.thamdinh', headers: SNV_ADMIN, payload: { organisation_code: 'KHONG_CO' } });
    expect(moved.statusCode).toBe(400);
    const accounts = await stack.app.inject({ url: '/accounts?role=contributor', headers: SNV_ADMIN });
    expect((accounts.json() as { username: string }[]).map((row) => row.username)).toEqual(['sxd.thamdinh']);
  });

  it('upserts a list in one go: the same list twice changes nothing, a changed one adds and updates, one left out stays', async () => {
    const repository = createOrganisationRepository(stack.database.db);
    const rows = [
      { code: 'SGD', nameVi: 'Sở Giáo dục và Đào tạo', kind: 'department' as const },
      { code: 'SXD', nameVi: 'Sở Xây dựng', kind: 'department' as const },
    ];
    expect(await repository.upsert('snv-admin', rows, new Date())).toEqual({ created: ['SGD'], updated: [] });
    const logBefore = await repository.auditLog({ limit: 1000 });
    expect(await repository.upsert('snv-admin', rows, new Date())).toEqual({ created: [], updated: [] });
    expect(await repository.auditLog({ limit: 1000 })).toEqual(logBefore);
    const changed = [{ ...rows[0]!, nameVi: 'Sở Giáo dục & Đào tạo' }, { code: 'SCT', nameVi: 'Sở Công Thương', kind: 'department' as const }];
    expect(await repository.upsert('snv-admin', changed, new Date())).toEqual({ created: ['SCT'], updated: ['SGD'] });
    expect((await repository.find('SXD'))!.disabled).toBe(false);
  });

  it('lets staff read the directory but only the admin change it', async () => {
    for (const role of ['contributor', 'institute', 'council'] as const) {
      const read = await stack.app.inject({ url: '/organisations', headers: await bearerAs(role, role === 'contributor' ? 'SXD' : undefined) });
      expect(read.statusCode).toBe(200);
    }
    expect((await stack.app.inject({ url: '/organisations', headers: await bearerAs('unit', 'PHUONG_HOAN_KIEM') })).statusCode).toBe(403);
    expect((await post({ code: 'SKH', name_vi: 'Sở Kế hoạch', kind: 'department' }, await bearerAs('coordinator'))).statusCode).toBe(403);
    expect((await stack.app.inject({ url: '/organisations' })).statusCode).toBe(401);
  });
});
