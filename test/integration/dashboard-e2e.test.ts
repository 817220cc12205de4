import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowsers, serveWithDemoUsers } from './helpers/browser';
import { DEMO_PASSWORD } from '../../seed/users';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { startStack, type TestStack } from './helpers/stack';

/**
 * The dashboard end to end, as people use it: the real app listening on a free
 * port (real worker, fresh database), demo users logging in through the login
 * page (POST /auth/login → session cookie), and headless Chromium from
 * Debian's `chromium` package driven by playwright-core (no browser download).
 * Screenshots go to test/.artifacts/dashboard/ (gitignored). What each role
 * does through the dashboard's forms is in dashboard-roles-e2e.test.ts.
 */

const LOGINS = ['snv.admin', 'snv.dieuphoi', 'snv'];

let stack: TestStack;
let baseUrl: string;
const browsers = createBrowsers(() => baseUrl, 'dashboard');
const { contexts } = browsers;
const openBrowser = () => browsers.open();
const logIn = (page: Page, username: string, password?: string) => browsers.logIn(page, username, password);
const shot = (page: Page, name: string) => browsers.shot(page, name);

beforeAll(async () => {
  stack = await startStack();
  baseUrl = await serveWithDemoUsers(stack, LOGINS);
});

afterAll(async () => {
  await browsers.close();
  await stack?.stop();
});

const bodyText = (page: Page) => page.locator('body').innerText();
const unitRows = (page: Page) => page.locator('[data-testid=unit-table] tbody tr[data-unit]');

describe('the dashboard in a browser', () => {
  let campaign: DrivenCampaign;

  beforeAll(async () => {
    campaign = await createCampaignDriver(stack.app).openCampaign();
    await createCampaignDriver(stack.app).submitSelfAssessment(campaign, 'SNV');
  });

  it('lets Sở Nội vụ log in, follow progress by stage, filter the unit table and open a unit’s scores', async () => {
    const page = await openBrowser();
    await logIn(page, 'snv.admin', 'sai-mat-khau');
    await expect.poll(async () => page.locator('#login-message').innerText()).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
    await shot(page, '01-login-wrong-password');

    await page.fill('#password', DEMO_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForURL(`${baseUrl}/dashboard`);
    expect(await bodyText(page)).toContain('Các đợt đánh giá Chỉ số CCHC');
    expect(await page.getByTestId('who').innerText()).toContain('Sở Nội vụ');
    await shot(page, '02-admin-campaigns');

    await page.click(`a[href="/dashboard/campaigns/${campaign.campaignId}"]`);
    await page.waitForURL(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline).toContain('Tự đánh giá, chấm điểm');
    expect(timeline).toContain('Nộp báo cáo tự đánh giá');
    expect(timeline).toMatch(/\d{2}\/\d{2}\/\d{4}/);
    const counts = page.getByTestId('counts');
    expect(await counts.innerText()).toContain('Tiến độ theo giai đoạn');
    // Self-assessment: three units not started; round 1: SNV submitted.
    expect(await counts.locator('tr', { hasText: 'Tự đánh giá' }).locator('td').nth(1).innerText()).toBe('3');
    expect(await counts.locator('tr', { hasText: 'Thẩm định vòng 1' }).locator('td').nth(3).innerText()).toBe('1');
    expect(await unitRows(page).count()).toBe(4);
    await shot(page, '03-admin-progress');

    await page.selectOption('select[name=status]', 'submitted');
    await page.click('[data-testid=filters] button[type=submit]');
    await page.waitForURL(/status=submitted/);
    expect(await unitRows(page).count()).toBe(1);
    expect(await unitRows(page).first().innerText()).toContain('Sở Nội vụ');
    expect(await unitRows(page).first().innerText()).toContain('Đã nộp');
    await shot(page, '04-admin-filter-submitted');

    await page.click('[data-testid=unit-table] a:has-text("Sở Nội vụ")');
    await page.waitForURL(/\/units\/SNV$/);
    expect(await page.getByTestId('unit-name').innerText()).toBe('Sở Nội vụ');
    const scores = await page.getByTestId('scores').innerText();
    expect(scores).toContain('Điểm theo lĩnh vực');
    expect(scores).toContain('Tự chấm');
    expect(scores).toContain('Thẩm định vòng 1');
    expect(scores).toContain('Thẩm định vòng 2');
    expect(scores).toMatch(/\d+,\d{2}/);
    expect(await page.getByTestId('evidence').innerText()).toContain('kiem-chung-');
    await shot(page, '05-admin-unit-page');

    const noResults = await page.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/ranking`);
    expect(noResults?.status()).toBe(404);
    expect(await page.getByTestId('error').innerText()).toContain('Chưa có kết quả tổng hợp');
  });

  it('lets a coordinator follow every unit read-only, filtered by group and status', async () => {
    const page = await openBrowser();
    await logIn(page, 'snv.dieuphoi');
    await page.waitForURL(`${baseUrl}/dashboard`);
    expect(await page.getByTestId('who').innerText()).toContain('Điều phối viên');
    await page.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}`);
    await page.selectOption('select[name=group]', 'district');
    await page.selectOption('select[name=status]', 'not_started');
    await page.click('[data-testid=filters] button[type=submit]');
    await page.waitForURL(/group=district/);
    const rows = await unitRows(page).allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Quận Ba Đình');
    expect(rows[1]).toContain('Quận Hoàn Kiếm');
    for (const row of rows) expect(row).toMatch(/Chưa bắt đầu[\s\S]*Nộp báo cáo tự đánh giá: \d{2}\/\d{2}\/\d{4}[\s\S]*(còn \d+ ngày|hôm nay)/);
    await shot(page, '06-coordinator-filter-district');

    await page.click('[data-testid=unit-table] a:has-text("Quận Ba Đình")');
    await page.waitForURL(/\/units\/QUAN_BA_DINH$/);
    expect(await page.getByTestId('unit-state').innerText()).toContain('Chưa nộp');
    // Read-only: the coordinator's pages offer no form that changes anything.
    expect(await page.locator('main form').count()).toBe(0);
    await shot(page, '07-coordinator-unit-page');
  });

  it('shows a unit only its own page before publication and refuses another unit’s', async () => {
    const page = await openBrowser();
    await logIn(page, 'snv');
    await page.waitForURL(`${baseUrl}/dashboard`);
    await page.click(`a[href="/dashboard/campaigns/${campaign.campaignId}"]`);
    expect(await page.getByTestId('progress-refused').innerText()).toContain('Bạn không xem được tiến độ chung của đợt đánh giá');
    expect(await page.getByTestId('unit-table').count()).toBe(0);
    await shot(page, '08-unit-campaign-page');

    await page.click('text=Xem hồ sơ đơn vị của tôi');
    await page.waitForURL(/\/units\/SNV$/);
    expect(await page.getByTestId('unit-name').innerText()).toBe('Sở Nội vụ');
    expect(await page.getByTestId('scores').innerText()).toContain('Tự chấm');
    await shot(page, '09-unit-own-page');

    const refused = await page.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/VP`);
    expect(refused?.status()).toBe(403);
    expect(await page.getByTestId('error').innerText()).toContain('Đơn vị chỉ xem dữ liệu của mình cho đến khi công bố kết quả');
    expect(await bodyText(page)).not.toContain('Văn phòng UBND Thành phố');
    await shot(page, '10-unit-refused-other-unit');

    const api = await page.goto(`${baseUrl}/campaigns/${campaign.campaignId}/progress/units`);
    expect(api?.status()).toBe(403);
  });

  it('publishes: the ranking per group with its chart for everyone, without login on the public page', async () => {
    const driver = createCampaignDriver(stack.app);
    for (const code of campaign.unitCodes.filter((code) => code !== 'SNV')) await driver.submitSelfAssessment(campaign, code);
    await driver.completeSurvey(campaign);
    for (const code of campaign.unitCodes) await driver.appraise(campaign, code, code === 'QUAN_BA_DINH');
    await driver.waitForStage(campaign, 'council');

    // Before publication Sở Nội vụ sees the draft ranking with its chart.
    const admin = contexts[0]!.pages()[0]!;
    await admin.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/ranking`);
    expect(await admin.getByTestId('draft-notice').innerText()).toContain('đang chờ Hội đồng thẩm định');
    expect(await admin.locator('svg.chart').count()).toBe(2);
    await shot(admin, '11-admin-ranking-draft');
    await admin.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/QUAN_BA_DINH`);
    const explanations = await admin.getByTestId('explanations').innerText();
    expect(explanations).toContain('Đề nghị bổ sung văn bản ban hành kế hoạch cải cách hành chính');
    expect(explanations).toContain('Đã bổ sung Quyết định số 12/QĐ-UBND ngày 20/12/2019');
    expect(await admin.getByTestId('evidence').innerText()).toContain('quyet-dinh-12.pdf');
    await shot(admin, '12-admin-unit-with-explanation');

    // …and a unit does not, until publication.
    const unit = contexts[2]!.pages()[0]!;
    const refused = await unit.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/ranking`);
    expect(refused?.status()).toBe(403);
    expect(await unit.getByTestId('error').innerText()).toContain('Kết quả chưa được công bố');
    expect(await unit.locator('svg.chart').count()).toBe(0);

    const visitor = await openBrowser();
    const before = await visitor.goto(`${baseUrl}/dashboard/public/${campaign.campaignId}`);
    expect(before?.status()).toBe(404);
    expect(await bodyText(visitor)).toContain('Kết quả của đợt đánh giá này chưa được công bố');

    await driver.approveAndPublish(campaign);
    const after = await visitor.goto(`${baseUrl}/dashboard/public/${campaign.campaignId}`);
    expect(after?.status()).toBe(200);
    const text = await bodyText(visitor);
    expect(text).toContain('Kết quả xếp hạng Chỉ số CCHC');
    expect(text).toContain('UBND quận, huyện, thị xã');
    expect(text).toMatch(/Quận Ba Đình[\s\S]*%/);
    expect(await visitor.locator('svg.chart').count()).toBe(2);
    expect(await visitor.locator('svg.chart rect').count()).toBe(4);
    expect(await visitor.locator('#logout').count()).toBe(0);
    await shot(visitor, '13-public-results');

    // After publication a unit reads the ranking too.
    const ranking = await unit.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/ranking`);
    expect(ranking?.status()).toBe(200);
    expect(await unit.locator('svg.chart').count()).toBe(2);
    await shot(unit, '14-unit-ranking-published');
  });
});
