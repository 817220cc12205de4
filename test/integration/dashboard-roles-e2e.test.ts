import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeadline, toVietnamIso } from '../../domain/deadlines';
import { notifications } from '../../db/schema-notifications';
import { unitLink } from '../../notifications/templates';
import { createBrowsers, serveWithDemoUsers } from './helpers/browser';
import { bearerAs } from '../helpers/auth';
import { createCampaignDriver, type DrivenCampaign, type Explanation } from './helpers/campaign-driver';
import sample from '../../seed/framework-2019-sample.json';
import { SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';

/**
 * Submits a dashboard form whose success reloads the page (forms.js, 0.6 s after
 * its message) and waits for that reload too: a navigation the test starts
 * meanwhile would be aborted by it (net::ERR_ABORTED).
 */
async function submitAndAwaitReload(page: Page, form: Locator, message: string): Promise<void> {
  const reloaded = page.waitForEvent('load', { timeout: 30_000 });
  await form.locator('button[type=submit]').click();
  await expect.poll(() => form.locator('.form-message').innerText()).toContain(message);
  await reloaded;
}

/**
 * Each role doing its job through the dashboard's forms, in headless Chromium
 * against the real app, worker, Temporal and Postgres: Sở Nội vụ publishes the
 * guidance, extends one unit's deadline and publishes the results; a unit
 * writes its self-assessment, saves a draft, comes back to it, attaches a file,
 * is told what is wrong, submits, and later answers an explanation request; a
 * coordinator follows all of it and can change nothing; the council returns two
 * units, whose areas are appraised again, then approves.
 *
 * Each test has a campaign of its own, brought to the stage it starts from
 * through the API (helpers/campaign-driver.ts), so a test runs alone and one
 * failure does not fail the tests after it. The campaigns keep the 2019 spacing
 * in real days: the dates typed into the forms fall where they would in 2019,
 * and no deadline passes during the run.
 * Screenshots: test/.artifacts/dashboard-roles/.
 */

const LOGINS = ['snv.admin', 'snv.dieuphoi', 'quan_ba_dinh', 'vp.thamdinh', 'vien.khaosat', 'hoidong.thanhvien'];
const UNIT = 'QUAN_BA_DINH';
const REAL_DAYS = { msPerDay: 86_400_000 };
/** Quận Ba Đình's area 3 (Văn phòng UBND Thành phố's) asked a question, answered, and restored in round 2 with this reason. */
const AREA_3_EXPLAINED: Explanation = { areaCode: '3', round2Reason: 'Giải trình hợp lý, đã có báo cáo thống kê' };
/** Above the year of every other campaign of this file: the dashboard's new-campaign forms start from the latest year. */
const SUCCESSOR_SOURCE_YEAR = 2090;
const PDF = Buffer.from('%PDF-1.4\n% Ke hoach CCHC nam 2019 cua Quan Ba Dinh\n%%EOF\n');

let stack: TestStack;
let baseUrl: string;
let driver: ReturnType<typeof createCampaignDriver>;
const browsers = createBrowsers(() => baseUrl, 'dashboard-roles');

beforeAll(async () => {
  stack = await startStack();
  baseUrl = await serveWithDemoUsers(stack, LOGINS);
  driver = createCampaignDriver(stack.app);
});

afterAll(async () => {
  await browsers.close();
  await stack?.stop();
});

/** A browser that is signed in as `username`, with every confirmation dialog accepted. */
async function signedIn(username: string): Promise<Page> {
  const page = await browsers.open();
  page.on('dialog', (dialog) => void dialog.accept());
  await browsers.logIn(page, username);
  await page.waitForURL(`${baseUrl}/dashboard`);
  return page;
}

/** The calendar day (Asia/Ho_Chi_Minh) `days` after a deadline, as a date input takes it. */
function dayAfter(deadline: string, days: number): string {
  return new Date(parseDeadline(deadline)! + days * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
}

const sheetRows = (page: Page) => page.locator('[data-testid=self-assessment-form] tr[data-sub]');

/** Scores rows from..to of the sheet at their maximum; evidence-required rows get a note. */
async function fillRows(page: Page, from: number, to: number) {
  const rows = sheetRows(page);
  for (let index = from; index < to; index++) {
    const row = rows.nth(index);
    const kind = await row.getAttribute('data-input-kind');
    if (kind === 'boolean') await row.locator('select[name=value]').selectOption('true');
    else if (kind === 'percent') await row.locator('input[name=value]').fill('100');
    else await row.locator('input[name=value]').fill(await row.locator('td.num').first().innerText());
    if ((await row.locator('td').first().innerText()).endsWith('*')) await row.locator('textarea[name=note]').fill('Văn bản lưu tại Văn phòng UBND quận');
  }
}

async function post(url: string, payload: object, headers: Record<string, string> | Promise<Record<string, string>>) {
  const response = await stack.app.inject({ method: 'POST', url, payload, headers: await headers });
  expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
}

/**
 * Through the API, the year the event log tells: Văn phòng UBND Thành phố sends its guidance,
 * Quận Hoàn Kiếm's deadline is extended, Quận Ba Đình answers a question on area 3, the council
 * returns that area, it is appraised again, and the results are published.
 */
async function campaignWithAYearOfEvents(): Promise<DrivenCampaign> {
  const campaign = await driver.createCampaign(REAL_DAYS);
  const base = `/campaigns/${campaign.campaignId}`;
  const document = { name: 'Công văn 512/VP-KSTTHC hướng dẫn chấm lĩnh vực 3', ref: 'https://vpub.hanoi.gov.vn/512' };
  await post(`${base}/guidance`, { contributor: 'VP', areas: ['3'], document }, bearerAs('contributor', 'VP', 'vp.thamdinh'));
  await post(`${base}/guidance/publish`, { document: { name: 'Công văn 3120/SNV-CCHC hướng dẫn chấm điểm', ref: 'https://snv.hanoi.gov.vn/huong-dan-2019' } }, SNV_ADMIN);
  await driver.waitForUnits(campaign);
  const extended = toVietnamIso(parseDeadline(campaign.definition.timeline.self_assessment_due)! + 3 * 86_400_000);
  await post(`${base}/deadlines`, { key: 'self_assessment_due', deadline: extended, unit_code: 'QUAN_HOAN_KIEM', reason: 'Đơn vị đề nghị gia hạn do sáp nhập phòng' }, SNV_ADMIN);
  await driver.reachCouncil(campaign, { explain: { [UNIT]: AREA_3_EXPLAINED } });
  const returns = [{ unit_code: UNIT, areas: ['3'], reason: 'Đề nghị xem lại điểm lĩnh vực 3 sau giải trình' }];
  await post(`${base}/council-decisions`, { decision: 'return', members_present: 9, votes_for: 7, returns }, bearerAs('council', undefined, 'hoidong.thanhvien'));
  await driver.closeRound2(campaign, UNIT, { areaCode: '3', round2Reason: 'Theo kết luận của Hội đồng' });
  await driver.waitForStage(campaign, 'council');
  await driver.approveAndPublish(campaign);
  return campaign;
}

async function statusOf(page: Page, campaignId: string, unitName: string) {
  await page.goto(`${baseUrl}/dashboard/campaigns/${campaignId}`);
  return page.locator('[data-testid=unit-table] tbody tr', { hasText: unitName }).locator('.badge').innerText();
}

describe('each role does its job in the browser', () => {
  let admin: Page;
  let coordinator: Page;
  let unit: Page;

  // Signed in once for the file (the login limit allows ten a minute per username); every test starts with a page load of its own.
  beforeAll(async () => {
    admin = await signedIn('snv.admin');
    coordinator = await signedIn('snv.dieuphoi');
    unit = await signedIn('quan_ba_dinh');
  });

  describe('before the guidance is published', () => {
    it('a specialist department sends the guidance for its area, and Sở Nội vụ sees who has not', async () => {
      const campaign = await driver.createCampaign(REAL_DAYS);
      const contributor = await signedIn('vp.thamdinh');
      await contributor.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
      const form = contributor.getByTestId('guidance-form');
      expect(await form.locator('input[name="areas[]"]').evaluateAll((boxes) => boxes.map((box) => box.getAttribute('value')))).toEqual(['3']);
      await form.locator('input[name="document.name"]').fill('Công văn 512/VP-KSTTHC hướng dẫn chấm lĩnh vực 3');
      await form.locator('input[name="document.ref"]').fill('https://vpub.hanoi.gov.vn/512');
      await form.locator('button[type=submit]').click();
      await expect.poll(() => form.locator('.form-message').innerText()).toContain('Đã gửi hướng dẫn');
      await browsers.shot(contributor, '00-contributor-guidance-sent');

      await admin.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
      const guidance = admin.getByTestId('guidance');
      expect(await guidance.locator('tr[data-contributor="VP"]').innerText()).toContain('Công văn 512/VP-KSTTHC');
      expect(await guidance.locator('tr[data-contributor="SNV"]').innerText()).toContain('Chưa gửi');
      expect(await guidance.innerText()).toMatch(/1\/\d+ cơ quan đã gửi hướng dẫn/);
      // Only the department itself is offered the form.
      expect(await admin.getByTestId('guidance-form').count()).toBe(0);
      expect(await admin.getByTestId('units-not-open').innerText()).toContain('khi Sở Nội vụ công bố hướng dẫn');
    });

    it('Sở Nội vụ publishes the consolidated guidance, which opens the self-assessment of every unit', async () => {
      const campaign = await driver.createCampaign(REAL_DAYS);
      await admin.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
      const form = admin.getByTestId('publish-guidance');
      // Bad input never leaves the browser half-done: the server names what is wrong, in Vietnamese.
      await form.locator('input[name="document.name"]').fill('   ');
      await form.locator('input[name="document.ref"]').fill('https://snv.hanoi.gov.vn/huong-dan-2019');
      await form.locator('button[type=submit]').click();
      // …by the label the user sees next to the field.
      await expect.poll(() => form.locator('.form-message').innerText()).toMatch(/Dữ liệu không hợp lệ\s+Văn bản hướng dẫn: /);
      expect(await form.locator('.form-message').getAttribute('class')).toContain('error');
      await browsers.shot(admin, '01-admin-guidance-invalid');

      await form.locator('input[name="document.name"]').fill('Công văn 3120/SNV-CCHC hướng dẫn chấm điểm');
      await submitAndAwaitReload(admin, form, 'Đã công bố hướng dẫn');
      // Reloaded at once, the page no longer offers to publish again, whether or not every unit has opened yet.
      expect(await admin.getByTestId('publish-guidance').count()).toBe(0);
      await driver.waitForUnits(campaign);
      await expect
        .poll(async () => {
          await admin.reload();
          return admin.locator('.timeline li.current').innerText();
        }, { timeout: 30_000 })
        .toContain('Tự đánh giá');
      expect(await admin.getByTestId('publish-guidance').count()).toBe(0);
      expect(await admin.getByTestId('move-deadline').count()).toBe(1);

      const kickoff = admin.getByTestId('record-kickoff');
      await kickoff.locator('input[name=date]').fill(dayAfter(new Date().toISOString(), 1));
      await kickoff.locator('input[name=note]').fill('Hội nghị triển khai Chỉ số CCHC năm 2019, 300 đại biểu');
      await submitAndAwaitReload(admin, kickoff, 'Đã ghi nhận hội nghị triển khai');
      const events = await admin.request.get(`${baseUrl}/campaigns/${campaign.campaignId}/events`);
      expect(JSON.stringify(await events.json())).toContain('kickoff_recorded');
      await browsers.shot(admin, '02-admin-guidance-published');
    });
  });

  describe('during self-assessment', () => {

    it('a unit writes its self-assessment, saves a draft and finds it again, which the coordinator sees as in progress', async () => {
      const campaign = await driver.openCampaign(REAL_DAYS);
      await unit.goto(`${baseUrl}/dashboard`);
      await unit.click(`a[href="/dashboard/campaigns/${campaign.campaignId}"]`);
      await unit.click('text=Xem hồ sơ đơn vị của tôi');
      await unit.waitForURL(new RegExp(`/units/${UNIT}$`));
      const rows = sheetRows(unit);
      const total = await rows.count();
      expect(total).toBeGreaterThan(20);
      await fillRows(unit, 0, 10);
      await unit.click('[data-testid=self-assessment-form] button[value=draft]');
      await expect.poll(() => unit.locator('[data-testid=self-assessment-form] .form-message').innerText()).toMatch(/Đã lưu nháp lúc \d{2}:\d{2}/);
      await browsers.shot(unit, '03-unit-draft-saved');

      expect(await statusOf(coordinator, campaign.campaignId, 'Quận Ba Đình')).toBe('Đang làm dở');
      expect(await statusOf(coordinator, campaign.campaignId, 'Quận Hoàn Kiếm')).toBe('Chưa bắt đầu');
      await browsers.shot(coordinator, '04-coordinator-sees-draft');

      // Coming back later: the sheet is as it was left.
      await unit.reload();
      expect(await unit.getByTestId('draft-saved').innerText()).toMatch(/Bản nháp đã lưu lúc \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/);
      const first = rows.nth(0);
      const firstKind = await first.getAttribute('data-input-kind');
      expect(await first.locator('[name=value]').inputValue()).toBe(firstKind === 'boolean' ? 'true' : firstKind === 'percent' ? '100,00' : await first.locator('td.num').first().innerText());
      expect(await rows.nth(12).locator('[name=value]').inputValue()).toBe('');
    });

    it('a unit reads its deadline reminder in the browser, follows its link and marks it read', async () => {
      const campaign = await driver.openCampaign(REAL_DAYS);
      // The reminder pipeline itself (timers, SMTP, exactly once) is tested in reminders-*.test.ts; here its inbox row is the input.
      const deadline = new Date(parseDeadline(campaign.definition.timeline.self_assessment_due)!);
      await stack.database.db.insert(notifications).values({
        idempotencyKey: `${campaign.campaignId}/test-reminder/${UNIT}`,
        dispatchKey: `${campaign.campaignId}/test-reminder`,
        recipient: UNIT,
        campaignId: campaign.campaignId,
        unitCode: UNIT,
        stage: 'self_assessment',
        kind: 'reminder',
        title: 'Nhắc hạn nộp báo cáo tự đánh giá',
        body: 'Quận Ba Đình chưa nộp báo cáo tự đánh giá; hạn nộp còn 7 ngày.',
        link: unitLink(baseUrl, campaign.campaignId, UNIT),
        deadline,
      });
      await unit.goto(`${baseUrl}/dashboard`);
      await unit.click('header nav a:has-text("Thông báo")');
      await unit.waitForURL(/\/dashboard\/inbox$/);
      expect(await unit.getByTestId('unread').innerText()).toBe('1 chưa đọc');
      const row = unit.locator('[data-testid=inbox] tr.unread');
      expect(await row.innerText()).toContain('Nhắc hạn nộp báo cáo tự đánh giá');
      await browsers.shot(unit, '04b-unit-inbox');
      await row.locator('button[type=submit]').click();
      await expect.poll(async () => unit.getByTestId('unread').innerText()).toBe('0 chưa đọc');
      await unit.click('[data-testid=inbox] a:has-text("Mở hồ sơ đơn vị")');
      await unit.waitForURL(new RegExp(`/dashboard/campaigns/${campaign.campaignId}/units/${UNIT}$`));
      expect(await unit.getByTestId('self-assessment-form').count()).toBe(1);
    });

    it('a unit is told in the browser which sub-criteria are missing or wrong, then attaches a file and submits', async () => {
      const campaign = await driver.openCampaign(REAL_DAYS);
      await unit.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/${UNIT}`);
      await fillRows(unit, 0, 10);
      await unit.click('[data-testid=self-assessment-form] button[value=submit]');
      const message = unit.locator('[data-testid=self-assessment-form] .form-message');
      await expect.poll(() => message.innerText()).toMatch(/Còn \d+ tiêu chí thành phần chưa chấm/);

      const rows = sheetRows(unit);
      await fillRows(unit, 10, await rows.count());
      await unit.fill('[name=approved_by]', 'Chủ tịch UBND quận Ba Đình');

      // Points above the maximum: the unit workflow's validator refuses them and the sheet points at the row.
      const manualRow = unit.locator('[data-testid=self-assessment-form] tr[data-input-kind=points]').first();
      const manualCode = await manualRow.getAttribute('data-sub');
      const manualMax = await manualRow.locator('td.num').first().innerText();
      await manualRow.locator('input[name=value]').fill('99');
      await unit.click('[data-testid=self-assessment-form] button[value=submit]');
      await expect.poll(() => message.innerText()).toContain(`Tiêu chí thành phần ${manualCode}: 99,00 điểm vượt điểm tối đa ${manualMax}`);
      expect(await manualRow.getAttribute('class')).toContain('invalid');
      await browsers.shot(unit, '05-unit-invalid-row');
      await manualRow.locator('input[name=value]').fill(manualMax);

      // A file for the first evidence-required row, uploaded from the sheet.
      const evidenceRow = rows.filter({ has: unit.locator('td:first-child', { hasText: '*' }) }).first();
      await evidenceRow.locator('input[type=file]').setInputFiles({ name: 'kế-hoạch-cchc-2019.pdf', mimeType: 'application/pdf', buffer: PDF });
      await expect.poll(() => evidenceRow.locator('ul.evidence li').count()).toBe(1);
      expect(await evidenceRow.locator('ul.evidence').innerText()).toContain('kế-hoạch-cchc-2019.pdf');

      await unit.click('[data-testid=self-assessment-form] button[value=submit]');
      await unit.waitForLoadState('load');
      await expect
        .poll(async () => {
          await unit.reload();
          return unit.getByTestId('unit-state').innerText();
        }, { timeout: 30_000 })
        .toMatch(/Ngày nộp tự đánh giá\s+\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/);
      expect(await unit.getByTestId('self-assessment-form').count()).toBe(0);
      expect(await unit.getByTestId('scores').innerText()).toMatch(/Cộng lĩnh vực 1\s+[\d,]+\s+[\d,]+/);
      await browsers.shot(unit, '06-unit-submitted');

      // The attached file is listed with a link that downloads the same bytes, for the unit and for Sở Nội vụ.
      const link = unit.getByTestId('evidence').locator('a', { hasText: 'kế-hoạch-cchc-2019.pdf' }).first();
      const href = (await link.getAttribute('href'))!;
      expect(href).toMatch(/^\/evidence\/[0-9a-f-]{36}$/);
      const download = await unit.request.get(`${baseUrl}${href}`);
      expect(download.status()).toBe(200);
      expect(Buffer.from(await download.body()).equals(PDF)).toBe(true);
      const asAdmin = await admin.request.get(`${baseUrl}${href}`);
      expect(asAdmin.status()).toBe(200);
      // Without a login the file is not served.
      const anonymous = await (await browsers.open()).request.get(`${baseUrl}${href}`);
      expect(anonymous.status()).toBe(401);

      expect(await statusOf(coordinator, campaign.campaignId, 'Quận Ba Đình')).toBe('Đã nộp');
    });

    it('Sở Nội vụ extends one unit’s deadline in the browser, and is refused a date in the past', async () => {
      const campaign = await driver.openCampaign(REAL_DAYS);
      await admin.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/QUAN_HOAN_KIEM`);
      const form = admin.getByTestId('extension-form');
      await form.locator('select[name=key]').selectOption('self_assessment_due');
      await form.locator('input[name=reason]').fill('Đơn vị đề nghị gia hạn do sáp nhập phòng');

      await form.locator('input[name=deadline]').fill(dayAfter(new Date().toISOString(), -2));
      await form.locator('button[type=submit]').click();
      await expect.poll(() => form.locator('.form-message').innerText()).toContain('Thời hạn mới phải ở tương lai');
      expect(await form.locator('.form-message').getAttribute('class')).toContain('error');
      await browsers.shot(admin, '07-admin-extension-refused');

      const extended = dayAfter(campaign.definition.timeline.self_assessment_due, 3);
      await form.locator('input[name=deadline]').fill(extended);
      await form.locator('button[type=submit]').click();
      const shown = extended.split('-').reverse().join('/');
      await expect
        .poll(async () => {
          await admin.reload();
          return admin.getByTestId('unit-state').innerText();
        }, { timeout: 30_000 })
        .toContain(`Nộp báo cáo tự đánh giá: ${shown}`);
      await browsers.shot(admin, '08-admin-extension-granted');

      // The coordinator sees the new date in the unit table, and no form that changes anything.
      await coordinator.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
      expect(await coordinator.locator('[data-testid=unit-table] tr', { hasText: 'Quận Hoàn Kiếm' }).innerText()).toContain(shown);
      expect(await coordinator.locator('form[data-json], form[data-self-assessment], input[type=file]').count()).toBe(0);
      await coordinator.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/QUAN_HOAN_KIEM`);
      expect(await coordinator.locator('form[data-json], form[data-self-assessment], input[type=file]').count()).toBe(0);
      await browsers.shot(coordinator, '09-coordinator-read-only');
    });

    it('the institute runs the survey in the browser: plan, approval, fieldwork, an answer file with a mistake then a good one, the points', async () => {
      const campaign = await driver.openCampaign(REAL_DAYS);
      const institute = await signedIn('vien.khaosat');
      await institute.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
      await institute.click('header nav a:has-text("Điều tra XHH")');
      await institute.waitForURL(/\/survey$/);
      expect(await institute.getByTestId('survey-status').innerText()).toBe('Chờ Viện nộp kế hoạch điều tra');
      const plan = institute.getByTestId('survey-plan');
      await plan.locator('input[name="document.name"]').fill('Kế hoạch 251/KH-VNC điều tra xã hội học năm 2019');
      await plan.locator('input[name="document.ref"]').fill('https://vnc.hanoi.gov.vn/251');
      await plan.locator('button[type=submit]').click();
      await expect.poll(() => plan.locator('.form-message').innerText()).toContain('Đã nộp kế hoạch điều tra');

      await admin.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/survey`);
      const review = admin.getByTestId('survey-review');
      await review.locator('select[name=approve]').selectOption('true');
      await review.locator('input[name=reason]').fill('Đồng ý cỡ mẫu');
      await review.locator('button[type=submit]').click();
      await expect.poll(() => review.locator('.form-message').innerText()).toContain('Đã ghi nhận');

      for (const done of ['Đã mở khảo sát', 'Đã kết thúc khảo sát']) {
        await expect.poll(async () => {
          await institute.reload();
          return institute.getByTestId('survey-fieldwork').count();
        }, { timeout: 30_000 }).toBe(1);
        await institute.locator('[data-testid=survey-fieldwork] button[type=submit]').click();
        await expect.poll(() => institute.locator('[data-testid=survey-fieldwork] .form-message').innerText()).toContain(done);
      }

      const header = 'respondent_id,respondent_group,unit_code,question_code,answer';
      const rows = campaign.unitCodes.flatMap((unitCode) =>
        [1, 2, 3].flatMap((n) => ['S1', 'S2', 'S3'].map((question) => `P${n}-${unitCode},HDND,${unitCode},${question},${n === 3 ? 'B' : 'A'}`)),
      );
      const importer = () => institute.locator('[data-testid=survey-import] input[type=file]');
      await expect.poll(async () => {
        await institute.reload();
        return institute.getByTestId('survey-status').innerText();
      }, { timeout: 30_000 }).toBe('Đã kết thúc khảo sát, chờ nộp kết quả');
      expect(await institute.getByTestId('survey-submit').count()).toBe(0);
      await importer().setInputFiles({ name: 'ket-qua-loi.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows, 'P9,HDND,KHONG_CO,S1,A'].join('\n')) });
      const imported = institute.locator('[data-testid=survey-import] .form-message');
      await expect.poll(() => imported.innerText()).toContain('KHONG_CO');
      expect(await imported.innerText()).toMatch(/[Dd]òng \d+/);
      await browsers.shot(institute, '10-institute-import-error');
      await importer().setInputFiles({ name: 'ket-qua.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n')) });
      await expect.poll(() => imported.innerText()).toContain(`Đã nhập ${rows.length} dòng`);
      await expect.poll(async () => {
        await institute.reload();
        return institute.locator('[data-testid=survey-points] tr[data-unit]').count();
      }, { timeout: 30_000 }).toBe(campaign.unitCodes.length);
      await institute.locator('[data-testid=survey-submit] button[type=submit]').click();
      await expect.poll(async () => {
        await institute.reload();
        return institute.getByTestId('survey-status').innerText();
      }, { timeout: 30_000 }).toBe('Kết quả điều tra đã được tiếp nhận');
      expect(await institute.getByTestId('survey-actions').count()).toBe(0);
      await browsers.shot(institute, '11-institute-survey-accepted');

      // The coordinator follows the survey too, without any form.
      await coordinator.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/survey`);
      expect(await coordinator.getByTestId('survey-status').innerText()).toBe('Kết quả điều tra đã được tiếp nhận');
      expect(await coordinator.locator('form').count()).toBe(0);
    });

    it('Sở Nội vụ sets the reminder days, the Tết holidays and a coordinator in the browser; a wrong day is named by its line', async () => {
      const campaign = await driver.openCampaign(REAL_DAYS);
      await admin.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
      const form = admin.getByTestId('reminder-policy-form');
      await form.locator('input[name=before]').fill('7, 3, 1');
      await form.locator('textarea[name=holidays]').fill('04/02/2027\nmùng 1 Tết');
      await form.locator('textarea[name=coordinators]').fill('Trần Văn Điều Phối <DieuPhoi@snv.hanoi.gov.vn>');
      await form.locator('button[type=submit]').click();
      await expect.poll(() => form.locator('.form-message').innerText()).toContain('Ngày nghỉ lễ, dòng 2');

      await form.locator('textarea[name=holidays]').fill('04/02/2027\n5/2/2027');
      await submitAndAwaitReload(admin, form, 'Đã lưu chính sách nhắc hạn');
      const policy = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}/reminder-policy`, headers: SNV_ADMIN });
      expect(policy.json()).toMatchObject({
        before: ['P7D', 'P3D', 'P1D'],
        holidays: ['2027-02-04', '2027-02-05'],
        coordinators: [{ name: 'Trần Văn Điều Phối', email: 'dieuphoi@snv.hanoi.gov.vn' }],
      });
      // The page reads back what was saved, in the words it was typed in.
      const saved = admin.getByTestId('reminder-policy-form');
      expect(await saved.locator('input[name=before]').inputValue()).toBe('7, 3, 1');
      expect(await saved.locator('textarea[name=holidays]').inputValue()).toBe('04/02/2027\n05/02/2027');
      expect(await saved.locator('textarea[name=coordinators]').inputValue()).toBe('Trần Văn Điều Phối <dieuphoi@snv.hanoi.gov.vn>');
      await browsers.shot(admin, '11b-admin-reminder-policy');
      // The coordinator is offered no such form.
      await coordinator.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
      expect(await coordinator.getByTestId('reminder-policy').count()).toBe(0);
    });
  });

  describe('from appraisal to publication', () => {
    let appraising: DrivenCampaign;
    let returning: DrivenCampaign;
    let approving: DrivenCampaign;
    let ofAYear: DrivenCampaign;

    // A campaign for each test, built side by side.
    beforeAll(async () => {
      [appraising, returning, approving, ofAYear] = await Promise.all([
        (async () => {
          const campaign = await driver.openCampaign(REAL_DAYS);
          for (const code of campaign.unitCodes) await driver.submitSelfAssessment(campaign, code);
          for (const code of campaign.unitCodes.filter((code) => code !== UNIT)) await driver.appraise(campaign, code);
          // Every area of Quận Ba Đình but area 3, which Văn phòng UBND Thành phố (VP) owns and appraises in the browser.
          await driver.appraiseRound1(campaign, UNIT, false, ['3']);
          return campaign;
        })(),
        (async () => {
          const campaign = await driver.openCampaign(REAL_DAYS);
          await driver.reachCouncil(campaign, { explain: { [UNIT]: AREA_3_EXPLAINED } });
          return campaign;
        })(),
        (async () => {
          const campaign = await driver.openCampaign(REAL_DAYS);
          await driver.reachCouncil(campaign);
          return campaign;
        })(),
        campaignWithAYearOfEvents(),
      ]);
    });

    it('the department that owns an area appraises it and asks for an explanation; the unit answers with a file', async () => {
      const campaign = appraising;
      const contributor = await signedIn('vp.thamdinh');
      await contributor.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/${UNIT}`);
      // Only its own area is offered, with the unit's score and file beside each row.
      await expect.poll(async () => {
        await contributor.reload();
        return contributor.getByTestId('appraisal-form').count();
      }, { timeout: 30_000 }).toBe(1);
      const form = contributor.locator('[data-testid=appraisal-form][data-area="3"]');
      const first = form.locator('tr[data-sub]').first();
      const firstCode = await first.getAttribute('data-sub');
      const kind = await first.getAttribute('data-input-kind');
      if (kind === 'boolean') await first.locator('select[name=value]').selectOption('false');
      else await first.locator('input[name=value]').fill(kind === 'percent' ? '50' : '0');
      await form.locator('button[type=submit]').click();
      // A changed score without a reason is refused, with the row named and marked.
      await expect.poll(() => form.locator('.form-message').innerText()).toContain(`Tiêu chí thành phần ${firstCode}: điểm thay đổi`);
      expect(await first.getAttribute('class')).toContain('invalid');
      await browsers.shot(contributor, '12-contributor-reason-required');

      await first.locator('textarea[name=reason]').fill('Chưa có văn bản chứng minh tỷ lệ hồ sơ đúng hạn');
      await first.locator('textarea[name=question]').fill('Đề nghị bổ sung báo cáo thống kê hồ sơ giải quyết đúng hạn');
      await form.locator('button[type=submit]').click();
      await expect.poll(() => form.locator('.form-message').innerText()).toContain('Đã ghi nhận kết quả thẩm định lĩnh vực 3');

      await unit.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/${UNIT}`);
      const request = unit.locator('[data-testid=explanations] tr[data-request]').first();
      // The read model follows the workflow within moments; the answer form shows once it says "explanations".
      await expect
        .poll(async () => {
          await unit.reload();
          return request.locator('textarea[name=note]').count();
        }, { timeout: 30_000 })
        .toBe(1);
      expect(await request.innerText()).toContain('Đề nghị bổ sung báo cáo thống kê hồ sơ giải quyết đúng hạn');
      await request.locator('textarea[name=note]').fill('Đã bổ sung Quyết định số 12/QĐ-UBND ngày 20/12/2019');
      await request.locator('input[type=file]').setInputFiles({ name: 'quyet-dinh-12.pdf', mimeType: 'application/pdf', buffer: PDF });
      await expect.poll(() => request.locator('ul.evidence li').count()).toBe(1);
      await browsers.shot(unit, '13-unit-answering');
      await request.locator('button[type=submit]').click();
      await expect
        .poll(async () => {
          await unit.reload();
          return unit.getByTestId('explanations').innerText();
        }, { timeout: 30_000 })
        .toContain('Đã bổ sung Quyết định số 12/QĐ-UBND');
      expect(await unit.getByTestId('evidence').locator('a', { hasText: 'quyet-dinh-12.pdf' }).count()).toBeGreaterThan(0);

      // Round 2 of area 3, prefilled with round 1: the department accepts the explanation and restores the point.
      await expect.poll(async () => {
        await contributor.reload();
        return contributor.locator('[data-testid=appraisal-form][data-area="3"] h2').innerText().catch(() => '');
      }, { timeout: 30_000 }).toContain('Thẩm định vòng 2');
      const round2 = contributor.locator('[data-testid=appraisal-form][data-area="3"] tr[data-sub]').first();
      if (kind === 'boolean') await round2.locator('select[name=value]').selectOption('true');
      else await round2.locator('input[name=value]').fill('100');
      await round2.locator('textarea[name=reason]').fill('Giải trình hợp lý, đã có báo cáo thống kê');
      await browsers.shot(contributor, '14-contributor-round-2');
      await contributor.locator('[data-testid=appraisal-form] button[type=submit]').click();
      await expect.poll(async () => {
        await contributor.reload();
        return contributor.getByTestId('appraisal-form').count();
      }, { timeout: 30_000 }).toBe(0);
      expect(await contributor.getByTestId('scores').innerText()).toContain('Giải trình hợp lý, đã có báo cáo thống kê');
    });

    it('the council returns two units, and their areas are appraised again in the browser', async () => {
      const campaign = returning;
      const other = campaign.unitCodes.find((code) => code !== UNIT)!;

      const council = await signedIn('hoidong.thanhvien');
      await council.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
      const decision = council.getByTestId('council-form');
      await decision.locator('input[name=decision][value=return]').check();
      await decision.locator('input[name=members_present]').fill('9');
      await decision.locator('input[name=votes_for]').fill('7');
      await decision.locator('select[name="returns.0.unit_code"]').selectOption(UNIT);
      await decision.locator('input[name="returns.0.areas"]').fill('3');
      await decision.locator('input[name="returns.0.reason"]').fill('Đề nghị xem lại điểm lĩnh vực 3 sau giải trình');
      await decision.locator('[data-add-return-row]').click();
      // The second row is a fresh copy: numbered next, empty.
      expect(await decision.locator('input[name="returns.1.reason"]').inputValue()).toBe('');
      await decision.locator('select[name="returns.1.unit_code"]').selectOption(other);
      await decision.locator('input[name="returns.1.areas"]').fill('1, 9');
      await decision.locator('input[name="returns.1.reason"]').fill('Chưa thống nhất điểm lĩnh vực 1');
      await decision.locator('button[type=submit]').click();
      // An area the framework lacks is refused by name, and nothing is returned.
      await expect.poll(() => decision.locator('.form-message').innerText()).toContain('Lĩnh vực không có: 9');
      await decision.locator('input[name="returns.1.areas"]').fill('1');
      await browsers.shot(council, '15-council-returning');
      await decision.locator('button[type=submit]').click();
      await expect.poll(() => decision.locator('.form-message').innerText()).toContain('Đã ghi nhận quyết định');
      await driver.waitForStage(campaign, 'appraisal_round_2');

      // The department that owns area 3 starts from its round-2 score and the reason it gave then.
      const contributor = await signedIn('vp.thamdinh');
      const form = contributor.locator('[data-testid=appraisal-form][data-area="3"]');
      await expect.poll(async () => {
        await contributor.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/${UNIT}`);
        return form.locator('h2').innerText().catch(() => '');
      }, { timeout: 30_000 }).toContain('Thẩm định lại theo yêu cầu của Hội đồng');
      expect(await contributor.getByTestId('appraisal-form').count()).toBe(1);
      expect(await contributor.getByTestId('council-return').innerText()).toContain('Lĩnh vực cần thẩm định lại: 3. Lý do: Đề nghị xem lại điểm lĩnh vực 3 sau giải trình');
      const first = form.locator('tr[data-sub]').first();
      expect(await first.locator('textarea[name=reason]').inputValue()).toBe('Giải trình hợp lý, đã có báo cáo thống kê');
      const kind = await first.getAttribute('data-input-kind');
      if (kind === 'boolean') await first.locator('select[name=value]').selectOption('false');
      else await first.locator('input[name=value]').fill(kind === 'percent' ? '50' : '0');
      await first.locator('textarea[name=reason]').fill('Theo kết luận của Hội đồng: báo cáo thống kê chưa đủ');
      await browsers.shot(contributor, '16-contributor-council-return');
      await form.locator('button[type=submit]').click();
      await expect.poll(() => form.locator('.form-message').innerText()).toContain('Đã ghi nhận kết quả thẩm định lĩnh vực 3');
      await expect.poll(async () => {
        await contributor.reload();
        return contributor.getByTestId('appraisal-form').count();
      }, { timeout: 30_000 }).toBe(0);
      expect(await contributor.getByTestId('scores').innerText()).toContain('Theo kết luận của Hội đồng: báo cáo thống kê chưa đủ');

      // The coordinator sees what the council returned, no deadline (the return has none), and no form.
      await expect.poll(async () => {
        await coordinator.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/${other}`);
        return coordinator.getByTestId('council-return').count();
      }, { timeout: 30_000 }).toBe(1);
      expect(await coordinator.getByTestId('council-return').innerText()).toContain('Chưa thống nhất điểm lĩnh vực 1');
      expect(await coordinator.getByTestId('council-return').innerText()).toContain('Còn chờ thẩm định lại: lĩnh vực 1.');
      expect(await coordinator.getByTestId('unit-state').innerText()).toMatch(/Hạn tiếp theo\s+—/);
      expect(await coordinator.getByTestId('appraisal-form').count()).toBe(0);

      // Sở Nội vụ appraises area 1 of the other unit again and keeps its scores.
      await admin.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/${other}`);
      expect(await admin.locator('[data-testid=appraisal-form]').evaluateAll((forms) => forms.map((item) => item.getAttribute('data-area')))).toEqual(['1']);
      const keep = admin.locator('[data-testid=appraisal-form][data-area="1"]');
      await keep.locator('button[type=submit]').click();
      await expect.poll(() => keep.locator('.form-message').innerText()).toContain('Đã ghi nhận kết quả thẩm định lĩnh vực 1');

      // Both units appraised again: the results are recomputed (pass 2) and go back to the council.
      await driver.waitForStage(campaign, 'council');
      await council.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/ranking`);
      await expect.poll(async () => {
        await council.reload();
        return council.locator('p.sub').first().innerText();
      }, { timeout: 30_000 }).toContain('Lần tổng hợp 2');
    });

    it('the council approves and Sở Nội vụ publishes the results, in the browser', async () => {
      const campaign = approving;

      const council = await signedIn('hoidong.thanhvien');
      await council.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
      const decision = council.getByTestId('council-form');
      await decision.locator('input[name=members_present]').fill('9');
      await decision.locator('input[name=votes_for]').fill('8');
      await decision.locator('input[name=note]').fill('Thông qua kết quả Chỉ số CCHC năm 2019');
      await decision.locator('button[type=submit]').click();
      await expect.poll(() => decision.locator('.form-message').innerText()).toContain('Đã ghi nhận quyết định');
      await browsers.shot(council, '17-council-approved');
      await driver.waitForStage(campaign, 'publication');

      await admin.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
      const publish = admin.getByTestId('publish-results');
      await publish.locator('input[name=decision_number]').fill('1752/QĐ-UBND');
      await publish.locator('input[name=decision_date]').fill('2020-04-29');
      await browsers.shot(admin, '18-admin-publishing');
      await submitAndAwaitReload(admin, publish, 'Đã công bố kết quả');

      const visitor = await browsers.open();
      await expect
        .poll(async () => (await visitor.goto(`${baseUrl}/dashboard/public/${campaign.campaignId}`))?.status(), { timeout: 60_000 })
        .toBe(200);
      expect(await visitor.locator('body').innerText()).toMatch(/Quận Ba Đình[\s\S]*%/);
      await browsers.shot(visitor, '19-public-results');
    });

    it('the coordinator reads who changed what, when and why in the event log; a unit may not', async () => {
      const campaign = ofAYear;
      const log = coordinator.getByTestId('event-log');
      const row = (action: string) => log.locator(`tr[data-action="${action}"]`);
      // From the unit's page to its part of the log: its own changes and Sở Nội vụ's extension of its deadline.
      await coordinator.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/QUAN_HOAN_KIEM`);
      await coordinator.getByTestId('unit-event-log').click();
      await coordinator.waitForURL(/\/events\?unit=QUAN_HOAN_KIEM$/);
      const extension = await row('deadline_extension_granted').innerText();
      expect(extension).toContain('Sở Nội vụ gia hạn cho đơn vị');
      expect(extension).toContain('Đơn vị đề nghị gia hạn do sáp nhập phòng');
      expect(extension).toMatch(/Nộp báo cáo tự đánh giá: \d\d:\d\d \d\d\/\d\d\/\d{4}/);
      expect(await log.locator('tbody tr').evaluateAll((rows) => rows.every((item) => item.textContent!.includes('Quận Hoàn Kiếm')))).toBe(true);

      // Quận Ba Đình's year: submitted, appraised with a question, answered, returned by the council, published.
      await coordinator.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/events?unit=quan_ba_dinh`);
      expect(await row('self_assessment_submitted').innerText()).toContain('Thủ trưởng duyệt:');
      expect(await row('area_appraised_round_1').filter({ hasText: 'Lĩnh vực 3:' }).innerText()).toMatch(/Lĩnh vực 3: \d+ tiêu chí, 1 yêu cầu giải trình/);
      expect(await row('explanation_answered').count()).toBe(1);
      const returned = await row('returned_by_council').innerText();
      expect(returned).toContain('Đã thẩm định · Hoàn thành → Thẩm định vòng 2 · Đang chờ');
      expect(returned).toContain('Đề nghị xem lại điểm lĩnh vực 3 sau giải trình');
      expect(await row('results_published').count()).toBe(1);
      await browsers.shot(coordinator, '19b-coordinator-event-log');

      // The whole campaign, newest first, a page at a time from any event.
      await coordinator.click('header nav a:has-text("Nhật ký")');
      await coordinator.waitForURL(/\/events$/);
      expect(await row('guidance_submitted').innerText()).toContain('VP: lĩnh vực 3');
      expect(await row('council_decision').innerText()).toContain('Phiên họp 1: 7/9 thành viên tán thành');
      const ids = await log.locator('tbody tr').evaluateAll((rows) => rows.map((item) => Number(item.getAttribute('data-event'))));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      await coordinator.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/events?before=${ids[4]}`);
      const older = await log.locator('tbody tr').evaluateAll((rows) => rows.map((item) => Number(item.getAttribute('data-event'))));
      expect(older.slice(0, ids.length - 5)).toEqual(ids.slice(5));

      const refused = await unit.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/events`);
      expect(refused?.status()).toBe(403);
      expect(await unit.locator('body').innerText()).toContain('Chỉ Sở Nội vụ và điều phối viên xem nhật ký');
      await unit.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/${UNIT}`);
      expect(await unit.locator('header nav a:has-text("Nhật ký"), header nav a:has-text("Nhắc hạn"), [data-testid=unit-event-log]').count()).toBe(0);
    });
  });

  describe('the next campaign, the framework library and a unit’s contacts', () => {
    it('Sở Nội vụ starts next year’s campaign from this one, in the browser', async () => {
      const campaign = await driver.createCampaign({ ...REAL_DAYS, year: SUCCESSOR_SOURCE_YEAR });
      const next = String(SUCCESSOR_SOURCE_YEAR + 1);
      await admin.goto(`${baseUrl}/dashboard`);
      const form = admin.getByTestId('successor-form');
      expect(await form.locator('select[name=source]').inputValue()).toBe(campaign.campaignId);
      expect(await form.locator('input[name=year]').inputValue()).toBe(next);
      expect(await form.locator('input[name="timeline.self_assessment_due"]').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // The source's own year: refused at the year, in Vietnamese.
      await form.locator('input[name=year]').fill(String(SUCCESSOR_SOURCE_YEAR));
      await form.locator('button[type=submit]').click();
      await expect.poll(() => form.locator('.form-message').innerText()).toContain(`Năm của đợt mới phải sau năm ${SUCCESSOR_SOURCE_YEAR}`);

      await form.locator('input[name=year]').fill(next);
      await form.locator('input[name=name_vi]').fill(`Chỉ số CCHC năm ${next} — Hà Nội (thử nghiệm)`);
      await browsers.shot(admin, '20-admin-next-campaign');
      await form.locator('button[type=submit]').click();
      const nextId = campaign.campaignId.replace(`par-${SUCCESSOR_SOURCE_YEAR}-`, `par-${next}-`);
      await admin.waitForURL(`${baseUrl}/dashboard/campaigns/${nextId}`);
      expect(await admin.locator('h1').innerText()).toBe(`Chỉ số CCHC năm ${next} — Hà Nội (thử nghiệm)`);
      expect(await admin.locator('.timeline li.current').innerText()).toContain('Hướng dẫn chấm điểm');
      expect(await admin.getByTestId('unit-count').innerText()).toContain(`${campaign.unitCodes.length} đơn vị`);
    });

    it('Sở Nội vụ starts a campaign from the framework library with a changed list of units, in the browser', async () => {
      // The form starts from the latest campaign: this one, or one of a later year with the same units and contributors.
      const campaign = await driver.createCampaign(REAL_DAYS);
      const code = `UI-${uniqueSlug('fw')}`.toUpperCase();
      const imported = await stack.app.inject({ method: 'POST', url: '/frameworks', headers: SNV_ADMIN, payload: { ...structuredClone(sample), code } });
      expect(imported.statusCode, imported.body).toBe(201);

      await admin.goto(`${baseUrl}/dashboard`);
      const form = admin.getByTestId('library-campaign-form');
      // The latest campaign's units and contributors, one per line, ready to edit.
      const units = form.locator('textarea[name=units]');
      expect((await units.inputValue()).split('\n')).toHaveLength(campaign.unitCodes.length);
      expect(await units.inputValue()).toContain(`${UNIT}\tQuận Ba Đình\tdistrict`);
      expect(await form.locator('textarea[name=contributors]').inputValue()).toContain('VP: 3');

      const slug = uniqueSlug('moi');
      await form.locator('select[name="framework.code"]').selectOption(code);
      await form.locator('input[name=year]').fill('2021');
      await form.locator('input[name=slug]').fill(slug);
      await form.locator('input[name=name_vi]').fill('Chỉ số CCHC năm 2021 — sau khi sắp xếp đơn vị');
      await units.fill(`Mã\tTên\tNhóm\n${await units.inputValue()}\n\nHUYEN_MOI\tUBND huyện Mới\tcommune`);
      await form.locator('button[type=submit]').click();
      // The unit is named by its line in the text area (the header and the blank line counted).
      const lines = campaign.unitCodes.length + 3;
      await expect.poll(() => form.locator('.form-message').innerText()).toContain(`Đơn vị, dòng ${lines}: Nhóm commune không có trong bộ tiêu chí`);
      await browsers.shot(admin, '21-admin-library-campaign-refused');

      await units.fill((await units.inputValue()).replace('commune', 'district'));
      await form.locator('button[type=submit]').click();
      await admin.waitForURL(`${baseUrl}/dashboard/campaigns/par-2021-${slug}`);
      expect(await admin.locator('h1').innerText()).toBe('Chỉ số CCHC năm 2021 — sau khi sắp xếp đơn vị');
      expect(await admin.getByTestId('unit-count').innerText()).toContain(`${campaign.unitCodes.length + 1} đơn vị`);
    });

    it('Sở Nội vụ imports a new version of a framework from Excel on the library page, and is shown where a file is wrong', async () => {
      const code = `XL-${uniqueSlug('fw')}`.toUpperCase();
      expect((await stack.app.inject({ method: 'POST', url: '/frameworks', headers: SNV_ADMIN, payload: { ...structuredClone(sample), code } })).statusCode).toBe(201);
      const exported = await stack.app.inject({ method: 'GET', url: `/frameworks/${code}/export.xlsx`, headers: SNV_ADMIN });
      expect(exported.statusCode).toBe(200);
      /** The exported workbook with one change made to it, as a file the browser uploads. */
      const edited = async (name: string, change: (book: ExcelJS.Workbook) => void) => {
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
        change(book);
        return { name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await book.xlsx.writeBuffer()) };
      };

      await admin.goto(`${baseUrl}/dashboard`);
      await admin.click('header nav a:has-text("Bộ tiêu chí")');
      await admin.waitForURL(`${baseUrl}/dashboard/frameworks`);
      expect(await admin.locator(`[data-testid=framework-list] tr[data-framework="${code}"]`).count()).toBe(1);
      const upload = admin.locator('[data-testid=framework-import] input[type=file]');
      const said = admin.locator('[data-testid=framework-import] .form-message');

      // The same framework again adds no version. A file taken reloads the page (forms.js), which the next upload must await.
      const unchanged = admin.waitForEvent('load', { timeout: 30_000 });
      await upload.setInputFiles({ name: 'bo-tieu-chi.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: exported.rawPayload });
      await expect.poll(() => said.innerText()).toContain(`Bộ tiêu chí này đã có trong thư viện (${code}, phiên bản 1)`);
      await unchanged;

      // A cell that is not a number is named by its sheet, row and column, and nothing is stored.
      await upload.setInputFiles(await edited('bo-tieu-chi-loi.xlsx', (book) => {
        book.getWorksheet('Tiêu chí')!.getCell('F2').value = 'mười';
      }));
      await expect.poll(() => said.innerText()).toContain('Trang Tiêu chí, dòng 2, cột F');
      expect(await said.getAttribute('class')).toContain('error');
      await browsers.shot(admin, '22-admin-framework-refused');

      const retitled = await edited('bo-tieu-chi-2020.xlsx', (book) => {
        const meta = book.getWorksheet('Thông tin chung')!;
        meta.eachRow((row) => {
          if (row.getCell(1).value === 'title_vi') row.getCell(2).value = 'Bộ chỉ số CCHC năm 2020 (sửa đổi)';
        });
      });
      const reloaded = admin.waitForEvent('load', { timeout: 30_000 });
      await upload.setInputFiles(retitled);
      await expect.poll(() => said.innerText()).toContain(`Đã nhập bộ tiêu chí ${code}, phiên bản 2.`);
      await reloaded;
      const version2 = admin.locator(`[data-testid=framework-list] tr[data-framework="${code}"][data-version="2"]`);
      expect(await version2.innerText()).toContain('Bộ chỉ số CCHC năm 2020 (sửa đổi)');
      await browsers.shot(admin, '23-admin-framework-imported');

      // The version reads as the method it publishes: each group's points and its tree, every sub-criterion with its rule and appraiser.
      await version2.locator('a', { hasText: 'Bộ chỉ số CCHC năm 2020 (sửa đổi)' }).click();
      await admin.waitForURL(`${baseUrl}/dashboard/frameworks/${code}?version=2`);
      const subcriteria = (group: string) => sample.groups[group as keyof typeof sample.groups].areas.flatMap((area) => area.criteria.flatMap((criterion) => criterion.subcriteria));
      for (const group of Object.keys(sample.groups)) {
        const section = admin.locator(`section[data-group="${group}"]`);
        expect(await section.locator('tr[data-sub]').count()).toBe(subcriteria(group).length);
        expect(await section.locator('p').first().innerText()).toMatch(/^Tổng điểm tối đa \d+,\d{2}: điểm thẩm định/);
      }
      const first = subcriteria('district')[0]!;
      expect(await admin.locator(`section[data-group="district"] tr[data-sub="${first.code}"]`).innerText()).toContain(first.owner);
      await browsers.shot(admin, '24-framework-method');
    });

    it('Sở Nội vụ keeps who receives a unit’s reminders; the unit and the coordinator read it', async () => {
      const campaign = await driver.openCampaign(REAL_DAYS);
      const unitPath = `${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/${UNIT}`;
      const email = `dau-moi.${uniqueSlug('e')}@badinh.hanoi.gov.vn`;
      const row = () => admin.locator('[data-testid=contacts] tr[data-contact]', { hasText: email });
      await admin.goto(unitPath);
      const add = admin.getByTestId('contact-add');
      await add.locator('input[name=name]').fill('Nguyễn Thị Đầu Mối');
      await add.locator('select[name=role]').selectOption('staff');
      await add.locator('input[name=email]').fill(email);
      await submitAndAwaitReload(admin, add, 'Đã thêm liên hệ');
      expect(await row().innerText()).toContain('Cán bộ đầu mối (nhận nhắc hạn)');

      // The same address twice is refused, in Vietnamese.
      await admin.getByTestId('contact-add').locator('input[name=name]').fill('Người khác');
      await admin.getByTestId('contact-add').locator('input[name=email]').fill(email);
      await admin.getByTestId('contact-add').locator('button[type=submit]').click();
      await expect.poll(() => admin.getByTestId('contact-add').locator('.form-message').innerText()).toContain(`đã có liên hệ với thư điện tử ${email}`);

      await row().locator('summary').click();
      const edit = row().locator('form[data-method=PUT]');
      await edit.locator('input[name=name]').fill('Nguyễn Thị Đầu Mối (Văn phòng)');
      await edit.locator('select[name=role]').selectOption('head');
      await submitAndAwaitReload(admin, edit, 'Đã lưu liên hệ');
      expect(await row().innerText()).toMatch(/Nguyễn Thị Đầu Mối \(Văn phòng\)\s+Thủ trưởng đơn vị/);
      await browsers.shot(admin, '25-admin-contacts');

      for (const reader of [unit, coordinator]) {
        await reader.goto(unitPath);
        expect(await reader.getByTestId('contacts').innerText()).toContain(email);
        expect(await reader.locator('[data-testid=contacts] form').count()).toBe(0);
      }

      await submitAndAwaitReload(admin, row().locator('form[data-method=DELETE]'), 'Đã xoá liên hệ');
      expect(await row().count()).toBe(0);
    });
  });
});
