import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { count } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema-auth';
import type { FrameworkGroup } from '../../domain/framework';
import { toVietnamIso } from '../../domain/deadlines';
import { writeOnboardingWorkbook } from '../../formats/onboarding-workbook';
import { HANOI_2025, onboardingContent, twoTierFramework } from '../../seed/hanoi-2025';
import { areaAppraisal, fullSelfAssessment } from '../../seed/scores';
import { scoresToWire } from '../../api/wire/unit';
import { multipart, XLSX_TYPE } from '../helpers/multipart';
import { farTimeline } from './helpers/deadlines';
import { startStack, type TestStack } from './helpers/stack';
import { eventually } from './helpers/wait';

/**
 * A province from nothing, in production mode (NODE_ENV=production, its own
 * JWT secret, no demo seed): the first administrator made by `npm run
 * admin:create` in its own process, then everything through the product as
 * deploy/README.md orders it: the forced password change, the framework, the
 * onboarding workbook of the two-tier Hanoi of 2025 (21 departments, 126
 * communes and wards), its one-time passwords handed out from the file, and a
 * wards-and-communes campaign appraised by departments it does not assess,
 * driven to publication with every step made by the account whose job it is.
 * Deadlines start months away and are moved through the API when the campaign
 * is ready for them to pass. The event log names each person.
 */

const run = promisify(execFile);
const JWT_SECRET = randomBytes(32).toString('hex');
const OWN_PASSWORD = 'Đền Ngọc Sơn sáng đèn 1865';
type Headers = Record<string, string>;

let stack: TestStack;
let admin: Headers;
/** The one-time passwords of the credentials file, by username. */
const handedOut = new Map<string, string>();
const fullNames = new Map(onboardingContent().accounts.map((row) => [row.username, row.full_name]));

beforeAll(async () => {
  stack = await startStack({ apiSettings: { NODE_ENV: 'production', JWT_SECRET } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const post = (url: string, payload: unknown, headers: Headers) => stack.app.inject({ method: 'POST', url, payload: payload as object, headers });

async function ok(url: string, payload: unknown, headers: Headers) {
  const response = await post(url, payload, headers);
  expect(response.statusCode, `${url}: ${response.body.slice(0, 400)}`).toBeLessThan(300);
  return response;
}

/** Logs in with a one-time password, is made to change it, and answers the new session's headers. */
async function firstLogin(username: string, oneTime: string): Promise<Headers> {
  const first = await post('/auth/login', { username, password: oneTime }, {});
  expect(first.statusCode, first.body).toBe(200);
  expect(first.json().must_change_password).toBe(true);
  const token = { authorization: `Bearer ${first.json().token}` };
  expect((await stack.app.inject({ url: '/campaigns', headers: token })).statusCode).toBe(403);
  const changed = await post('/auth/password', { current_password: oneTime, new_password: OWN_PASSWORD }, token);
  expect(changed.statusCode, changed.body).toBe(200);
  return { authorization: `Bearer ${changed.json().token}` };
}

const people = new Map<string, Promise<Headers>>();
/** The person's session: the first time, their first login with the password handed out to them. */
function as(username: string): Promise<Headers> {
  if (!people.has(username)) people.set(username, firstLogin(username, handedOut.get(username)!));
  return people.get(username)!;
}

async function credentials(base64: string): Promise<Map<string, string>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  const found = new Map<string, string>();
  workbook.getWorksheet('Mật khẩu')!.eachRow((row, number) => {
    if (number > 1) found.set(String(row.getCell(1).value), String(row.getCell(4).value));
  });
  return found;
}

describe('a province from nothing, in production mode', () => {
  it('admin:create, the forced change, the framework, the onboarding workbook, and a commune campaign with department appraisers to publication by each person’s own account', async () => {
    // 1. The first administrator, by the command, on the empty database: no demo account exists.
    const created = await run(process.execPath, ['--import', 'tsx', 'scripts/admin-create.ts', '--username', 'snv.quantri', '--name', 'Nguyễn Thị Quản Trị', '--unit', 'SNV'], {
      env: { ...process.env, DATABASE_URL: stack.database.url, NODE_ENV: 'production', JWT_SECRET, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    const adminOneTime = /One-time password: (\S+)/.exec(created.stdout)![1]!;
    const [accounts] = await stack.database.db.select({ n: count() }).from(users);
    expect(accounts!.n).toBe(1);
    const demo = await post('/auth/login', { username: 'snv.admin', password: 'ParIndex@2019' }, {});
    expect(demo.statusCode).toBe(401);

    // 2. Its first login must change the one-time password.
    admin = await firstLogin('snv.quantri', adminOneTime);

    // 3. The framework for the three groups.
    const framework = await ok('/frameworks', twoTierFramework(), admin);
    expect(framework.json()).toMatchObject({ code: 'PAR-2025-HAI-CAP', version: 1 });

    // 4. The onboarding workbook: organisations, 147 units, 302 accounts; the credentials come back once.
    const upload = multipart('ha-noi-2025.xlsx', XLSX_TYPE, await writeOnboardingWorkbook(onboardingContent()));
    const imported = await stack.app.inject({ method: 'POST', url: '/onboarding/import', headers: { ...admin, ...upload.headers }, payload: upload.payload });
    expect(imported.statusCode, imported.body.slice(0, 400)).toBe(200);
    expect(imported.json().units.created).toHaveLength(HANOI_2025.departments.length + 126);
    for (const [username, password] of await credentials(imported.json().credentials.content_base64)) handedOut.set(username, password);

    // 5. A campaign of two wards and two communes, chosen from the province's list, appraised by five departments.
    const wards = (await stack.app.inject({ url: '/units?group=ward', headers: admin })).json() as { code: string; name_vi: string; group: string }[];
    const communes = (await stack.app.inject({ url: '/units?group=commune', headers: admin })).json() as typeof wards;
    expect([wards.length, communes.length]).toEqual([51, 75]);
    const units = [...wards.slice(0, 2), ...communes.slice(-2)].map(({ code, name_vi, group }) => ({ code, name_vi, group }));
    const appraisers = HANOI_2025.appraisers;
    const slug = `xp${randomBytes(4).toString('hex')}`;
    const campaignId = `par-2025-${slug}`;
    await ok(
      '/campaigns/from-library',
      {
        year: 2025,
        slug,
        name_vi: 'Xác định Chỉ số cải cách hành chính năm 2025 của UBND các xã, phường',
        framework: { code: 'PAR-2025-HAI-CAP' },
        units,
        contributors: appraisers,
        timeline: farTimeline(),
      },
      admin,
    );
    const url = (path = '') => `/campaigns/${campaignId}${path}`;
    const DOC = { name: 'huong-dan.pdf', ref: 'https://snv.hanoi.gov.vn/huong-dan-2025' };

    // Guidance: each department for its areas, then Sở Nội vụ publishes.
    for (const { unit, areas_owned } of appraisers) {
      await ok(url('/guidance'), { contributor: unit, areas: areas_owned, document: DOC, summary: `Hướng dẫn lĩnh vực ${areas_owned.join(', ')}` }, await as(`${unit.toLowerCase()}.thamdinh`));
    }
    await ok(url('/guidance/publish'), { document: DOC, note: 'Hướng dẫn chấm điểm năm 2025' }, admin);

    // Self-assessments by each unit's head.
    const frameworkGroups = twoTierFramework().groups as Record<string, FrameworkGroup>;
    const head = (code: string) => `${code.toLowerCase()}.lanhdao`;
    await eventually(async () => (await stack.app.inject({ url: url(`/units/${units[0]!.code}/progress`), headers: admin })).statusCode === 200, 60_000, 'the unit workflows');
    for (const unit of units) {
      await ok(url(`/units/${unit.code}/self-assessment`), { approved_by: 'Chủ tịch UBND', scores: scoresToWire(fullSelfAssessment(frameworkGroups[unit.group]!)) }, await as(head(unit.code)));
    }
    // Every unit is in: Sở Nội vụ brings the guidance and self-assessment deadlines forward.
    const bringForward = async (key: string) =>
      ok(url('/deadlines'), { key, deadline: toVietnamIso(Date.now() + 2_000), reason: 'Các đơn vị đã nộp đủ' }, admin);
    await bringForward('guidance_due');
    await bringForward('self_assessment_due');

    // Appraisal: each department its own areas of every unit.
    for (const unit of units) {
      for (const { unit: department, areas_owned } of appraisers) {
        for (const area of areas_owned) {
          await ok(url(`/units/${unit.code}/appraisals`), { round: 1, area_code: area, scores: scoresToWire(areaAppraisal(frameworkGroups[unit.group]!, area)), explanation_requests: [] }, await as(`${department.toLowerCase()}.thamdinh`));
        }
      }
    }

    // The survey, by the institute; Sở Nội vụ approves its plan.
    const institute = await as('vien.khaosat');
    await eventually(async () => (await stack.app.inject({ url: url('/survey'), headers: admin })).statusCode === 200, 30_000, 'the survey workflow');
    await ok(url('/survey/plan'), { document: { name: 'ke-hoach-dieu-tra.pdf', ref: 'file-kh' }, summary: 'Kế hoạch điều tra xã hội học 2025' }, institute);
    await ok(url('/survey/plan/review'), { approve: true }, admin);
    await ok(url('/survey/fieldwork/open'), {}, institute);
    await ok(url('/survey/fieldwork/close'), {}, institute);
    await ok(url('/survey/results'), { points: units.map((unit, index) => ({ unit_code: unit.code, points_centi: 2500 + index * 50 })), source: 'Phiếu khảo sát 2025' }, institute);

    // The appraisal deadline brought forward; the council approves; Sở Nội vụ publishes.
    await bringForward('appraisal_round_1_due');
    await eventually(async () => (await stack.app.inject({ url: url('/progress'), headers: admin })).json().stage === 'council', 120_000, 'the council stage');
    await ok(url('/council-decisions'), { decision: 'approve', members_present: 9, votes_for: 9, note: 'Thông qua' }, await as('hoidong.chutich'));
    await ok(url('/publication'), { decision_number: '2025/QĐ-UBND', decision_date: toVietnamIso(Date.now()).slice(0, 10) }, admin);
    await eventually(async () => (await stack.app.inject({ url: url(), headers: admin })).json().stage === 'published', 60_000, 'the published campaign');

    // The event log names each person who made a step.
    const events = (await stack.app.inject({ url: url('/events'), headers: admin })).json() as { unit_code: string | null; actor_username: string | null; actor_name: string | null; action: string }[];
    const names = (action: string) => [...new Set(events.filter((event) => event.action.startsWith(action)).map((event) => `${event.actor_username}: ${event.actor_name}`))].sort();
    const named = (...usernames: string[]) => usernames.map((username) => `${username}: ${fullNames.get(username) ?? 'Nguyễn Thị Quản Trị'}`).sort();
    expect(names('campaign_started')).toEqual(named('snv.quantri'));
    expect(names('guidance_submitted')).toEqual(named(...appraisers.map(({ unit }) => `${unit.toLowerCase()}.thamdinh`)));
    expect(names('guidance_published')).toEqual(named('snv.quantri'));
    expect(names('self_assessment_submitted')).toEqual(named(...units.map((unit) => head(unit.code))));
    expect(names('area_appraised')).toEqual(named(...appraisers.map(({ unit }) => `${unit.toLowerCase()}.thamdinh`)));
    expect(names('deadline_moved')).toEqual(named('snv.quantri'));
    expect(names('council_approved')).toEqual(named('hoidong.chutich'));
    // Publication: Sở Nội vụ's step on the campaign; each unit's own record of it follows by itself.
    const published = events.filter((event) => event.action === 'results_published' && event.unit_code === null);
    expect(published.map((event) => `${event.actor_username}: ${event.actor_name}`)).toEqual(named('snv.quantri'));
  }, 600_000);
});
