import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCentiVi } from '../../domain/scoring';
import { HANOI_2019_TIMELINE, hanoi2019Campaign, shiftTimeline } from '../../seed/hanoi-2019';
import { createBrowsers } from './helpers/browser';
import { pdfText } from './helpers/pdf-text';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { SNV_ADMIN, startStack, type TestStack } from './helpers/stack';

/**
 * A year against the last, on two real campaigns taken to publication: 2019
 * (two units per group) and 2020 (three per group, naming 2019 as its
 * predecessor). Every unit scores the same in appraisal; the survey points
 * alone set the order, chosen so that one unit climbs, one falls two places,
 * one keeps its place and two are new. The comparison is read in the API, the
 * Excel annex (exceljs), the PDF annex (pdftotext) and the public page
 * (Chromium), all without a login once 2020 is published; before that an
 * anonymous reader is refused in both languages.
 */

/** One real day per 2019 day: no deadline comes near while the test runs. */
const REAL_DAY_MS = 86_400_000;

let stack: TestStack;
let baseUrl = '';
const browsers = createBrowsers(() => baseUrl, 'year-change');

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await browsers.close();
  await stack?.stop();
});

async function get(url: string, headers: Record<string, string> = {}) {
  return stack.app.inject({ method: 'GET', url, headers });
}

interface ApiUnit {
  unit_code: string;
  name_vi: string;
  rank: number;
  index_centi: number;
  previous_rank: number | null;
  previous_index_centi: number | null;
  rank_change: number | null;
  index_change_centi: number | null;
  rank_change_vi: string | null;
  index_change_vi: string | null;
}
interface ApiResults {
  published: boolean;
  previous_campaign: { id: string; year: number; name_vi: string } | null;
  groups: { code: string; units: ApiUnit[] }[];
}

/** The index change as a province prints it, written out here rather than taken from the code under test. */
function pointsVi(changeCenti: number): string {
  const magnitude = Math.abs(changeCenti);
  const text = `${Math.floor(magnitude / 100)},${String(magnitude % 100).padStart(2, '0')} điểm`;
  return changeCenti > 0 ? `+${text}` : changeCenti < 0 ? `\u2212${text}` : text;
}

/** Self-assessment, survey, appraisal, the council's approval and publication; the survey points rise along `surveyOrder`. */
async function runToPublication(driver: ReturnType<typeof createCampaignDriver>, campaign: DrivenCampaign, surveyOrder: string[]) {
  for (const code of campaign.unitCodes) await driver.submitSelfAssessment(campaign, code);
  await driver.completeSurvey({ ...campaign, unitCodes: surveyOrder });
  for (const code of campaign.unitCodes) await driver.appraise(campaign, code);
  await driver.waitForStage(campaign, 'council');
}

const unitsOf = (results: ApiResults) => new Map(results.groups.flatMap((group) => group.units.map((unit) => [unit.unit_code, unit] as const)));

describe('a successor campaign against last year', () => {
  it('documents the results routes as readable without a login, and no other', async () => {
    const document = (await get('/docs/json')).json() as { paths: Record<string, { get?: { security?: object[] } }> };
    for (const path of ['/campaigns/{campaignId}/results', '/campaigns/{campaignId}/results.xlsx', '/campaigns/{campaignId}/results.pdf']) {
      expect(document.paths[path]!.get!.security, path).toContainEqual({});
    }
    expect(document.paths['/campaigns/{campaignId}/units/{unitCode}/explanation']!.get!.security ?? []).not.toContainEqual({});
  });

  it('shows each unit’s previous rank and index and the change, in the API, Excel, PDF and the public page, without a login once published', async () => {
    const driver = createCampaignDriver(stack.app);

    // ---- 2019: SNV 24,00 and VP 24,75 survey points (VP first); QUAN_BA_DINH 25,50 and QUAN_HOAN_KIEM 26,25.
    const last = await driver.openCampaign({ msPerDay: REAL_DAY_MS });
    await runToPublication(driver, last, ['SNV', 'VP', 'QUAN_BA_DINH', 'QUAN_HOAN_KIEM']);
    await driver.approveAndPublish(last);
    const before = (await get(`/campaigns/${last.campaignId}/results`)).json() as ApiResults;
    expect(before.previous_campaign).toBeNull();
    expect(before.groups.flatMap((group) => group.units).every((unit) => unit.rank_change_vi === null && unit.previous_rank === null)).toBe(true);
    const lastYear = unitsOf(before);
    expect(Object.fromEntries([...lastYear].map(([code, unit]) => [code, unit.rank]))).toEqual({ SNV: 2, VP: 1, QUAN_BA_DINH: 2, QUAN_HOAN_KIEM: 1 });

    // ---- 2020 names 2019 as its predecessor and has a third unit in each group.
    const slug = last.campaignId.replace(/^par-2019-/, '');
    const definition = {
      ...hanoi2019Campaign({ slug, unitsPerGroup: 3, timeline: shiftTimeline(HANOI_2019_TIMELINE, Date.now(), REAL_DAY_MS) }),
      year: 2020,
      name_vi: 'Xác định Chỉ số cải cách hành chính năm 2020 — Hà Nội',
      previous_campaign_id: last.campaignId,
    };
    const created = await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: definition });
    expect(created.statusCode, created.body).toBe(201);
    const current = await driver.openGuidance({ campaignId: `par-2020-${slug}`, definition, unitCodes: definition.units.map((unit) => unit.code) });
    expect(current.unitCodes).toEqual(['SNV', 'VP', 'BQLKCN', 'QUAN_BA_DINH', 'QUAN_HOAN_KIEM', 'QUAN_TAY_HO']);
    const detail = (await get(`/campaigns/${current.campaignId}`, SNV_ADMIN)).json() as { previous_campaign_id: string | null };
    expect(detail.previous_campaign_id).toBe(last.campaignId);

    // 2020's survey: VP 24,00, BQLKCN 24,75, SNV 25,50; QUAN_BA_DINH 26,25, QUAN_TAY_HO 27,00, QUAN_HOAN_KIEM 27,75.
    await runToPublication(driver, current, ['VP', 'BQLKCN', 'SNV', 'QUAN_BA_DINH', 'QUAN_TAY_HO', 'QUAN_HOAN_KIEM']);

    // ---- Before publication: Sở Nội vụ sees the draft compared already; nobody without a login sees anything.
    const draft = (await get(`/campaigns/${current.campaignId}/results`, SNV_ADMIN)).json() as ApiResults;
    expect(draft.published).toBe(false);
    expect(draft.previous_campaign).toEqual({ id: last.campaignId, year: 2019, name_vi: last.definition.name_vi });
    for (const path of ['/results', '/results.xlsx', '/results.pdf']) {
      const refused = await get(`/campaigns/${current.campaignId}${path}`);
      expect(refused.statusCode, path).toBe(403);
      expect(refused.json(), path).toMatchObject({ message_vi: 'Kết quả chưa được công bố', message_en: 'The results are not published yet' });
      expect(refused.body, path).not.toMatch(/SNV|QUAN_|index|rank/);
    }
    await driver.approveAndPublish(current);

    // ---- API, without a login: every unit matched by code against 2019's published ranking.
    const response = await get(`/campaigns/${current.campaignId}/results`);
    expect(response.statusCode, response.body).toBe(200);
    const results = response.json() as ApiResults;
    expect(results.previous_campaign).toEqual({ id: last.campaignId, year: 2019, name_vi: last.definition.name_vi });
    const thisYear = unitsOf(results);
    for (const [code, unit] of thisYear) {
      const previous = lastYear.get(code);
      if (!previous) {
        expect(unit, code).toMatchObject({ previous_rank: null, previous_index_centi: null, rank_change: null, index_change_centi: null, rank_change_vi: 'mới', index_change_vi: 'mới' });
        continue;
      }
      const change = unit.index_centi - previous.index_centi;
      expect(unit, code).toMatchObject({
        previous_rank: previous.rank,
        previous_index_centi: previous.index_centi,
        rank_change: previous.rank - unit.rank,
        index_change_centi: change,
        index_change_vi: pointsVi(change),
      });
    }
    const said = Object.fromEntries([...thisYear].map(([code, unit]) => [code, [unit.rank, unit.rank_change_vi]]));
    expect(said).toEqual({
      SNV: [1, 'tăng 1 bậc'],
      VP: [3, 'giảm 2 bậc'],
      BQLKCN: [2, 'mới'],
      QUAN_HOAN_KIEM: [1, 'giữ nguyên'],
      QUAN_TAY_HO: [2, 'mới'],
      QUAN_BA_DINH: [3, 'giảm 1 bậc'],
    });
    // The same appraisal both years: the index moves with the survey points, up for SNV, down for VP.
    expect(thisYear.get('SNV')!.index_change_centi).toBeGreaterThan(0);
    expect(thisYear.get('VP')!.index_change_centi).toBeLessThan(0);
    expect(thisYear.get('VP')!.index_change_vi).toMatch(/^\u2212\d+,\d\d điểm$/);
    expect(thisYear.get('SNV')!.index_change_vi).toMatch(/^\+\d+,\d\d điểm$/);

    // ---- Excel, without a login: last year's rank and index as numbers, the changes as numbers Excel shows in words.
    const xlsx = await get(`/campaigns/${current.campaignId}/results.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    for (const group of results.groups) {
      const sheet = workbook.getWorksheet(current.definition.framework.groups[group.code]!.name_vi)!;
      expect(sheet.getRow(3).getCell(1).value).toBe(`So sánh với kết quả đã công bố năm 2019: ${last.definition.name_vi}`);
      const header = sheet.getRow(4).values as unknown[];
      expect(header.slice(9, 13)).toEqual(['Xếp hạng năm trước', 'Thay đổi thứ hạng', 'Chỉ số năm trước (%)', 'Thay đổi chỉ số']);
      group.units.forEach((unit, index) => {
        const row = sheet.getRow(5 + index);
        expect(row.getCell(2).value).toBe(unit.name_vi);
        if (unit.previous_rank === null) {
          expect([9, 10, 11, 12].map((column) => row.getCell(column).value ?? ''), unit.unit_code).toEqual(['', 'mới', '', 'mới']);
          return;
        }
        expect(row.getCell(9).value, unit.unit_code).toBe(unit.previous_rank);
        expect(row.getCell(10).value, unit.unit_code).toBe(unit.rank_change);
        expect(row.getCell(10).numFmt).toBe('"tăng "0" bậc";"giảm "0" bậc";"giữ nguyên";@');
        expect(row.getCell(11).value, unit.unit_code).toBe(unit.previous_index_centi! / 100);
        expect(row.getCell(12).value, unit.unit_code).toBe(unit.index_change_centi! / 100);
        expect(row.getCell(12).numFmt).toBe('"+"0.00" điểm";"\u2212"0.00" điểm";0.00" điểm";@');
      });
    }

    // ---- PDF, without a login: each unit's row carries last year's rank and index and the changes in words.
    const pdf = await get(`/campaigns/${current.campaignId}/results.pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text.replace(/\s+/g, ' ')).toContain(`So sánh với kết quả đã công bố năm 2019: ${last.definition.name_vi}`);
    for (const unit of thisYear.values()) {
      // A long name wraps in its cell; its first line shares the line of the numbers.
      const line = text.split('\n').find((candidate) => candidate.includes(unit.name_vi.slice(0, 12)) && /\d,\d\d/.test(candidate));
      expect(line, unit.unit_code).toBeDefined();
      const cells = line!.trim().split(/\s{2,}/);
      if (unit.previous_rank === null) {
        expect(cells.slice(-2), unit.unit_code).toEqual(['mới', 'mới']);
      } else {
        expect(cells.slice(-4), unit.unit_code).toEqual([String(unit.previous_rank), unit.rank_change_vi, formatCentiVi(unit.previous_index_centi!), unit.index_change_vi]);
      }
    }

    // ---- The public page in Chromium: the same words in each unit's row.
    await stack.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
    const page: Page = await browsers.open();
    await page.goto(`${baseUrl}/dashboard/public/${current.campaignId}`);
    await expect.poll(() => page.getByTestId('compared-with').textContent()).toContain('So sánh với kết quả đã công bố năm 2019');
    const rows = await page.locator('tr[data-unit]').evaluateAll((found) =>
      found.map((row) => ({
        code: row.getAttribute('data-unit'),
        cells: ['previous-rank', 'rank', 'previous-index', 'index'].map((name) => row.querySelector(`[data-change="${name}"]`)?.textContent ?? null),
      })),
    );
    await browsers.shot(page, 'public-page');
    expect(rows.map((row) => row.code).sort()).toEqual([...thisYear.keys()].sort());
    for (const row of rows) {
      const unit = thisYear.get(row.code!)!;
      const expected =
        unit.previous_rank === null
          ? ['', 'mới', '', 'mới']
          : [String(unit.previous_rank), unit.rank_change_vi, formatCentiVi(unit.previous_index_centi!), unit.index_change_vi];
      expect(row.cells, row.code!).toEqual(expected);
    }
    // At the browser's 1280 pixels the wider table still fits its card, with room for the unit names.
    const fit = await page.locator('section.card[data-group]').evaluateAll((cards) =>
      cards.map((card) => {
        const table = card.querySelector('table.ranking')!;
        const name = table.querySelector('td.name')!.getBoundingClientRect();
        return { overflow: table.getBoundingClientRect().right - card.getBoundingClientRect().right, nameWidth: name.width };
      }),
    );
    expect(fit.length).toBe(2);
    for (const card of fit) {
      expect(card.overflow).toBeLessThanOrEqual(0);
      expect(card.nameWidth).toBeGreaterThanOrEqual(150);
    }
    const downloads = await page.locator('a.btn').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(downloads).toContain(`/campaigns/${current.campaignId}/results.xlsx`);
    const download = await page.request.get(`${baseUrl}/campaigns/${current.campaignId}/results.xlsx`);
    expect(download.status()).toBe(200);
  }, 600_000);

  it('refuses a predecessor that does not exist or is not an earlier year, naming the field, and starts nothing', async () => {
    const timeline = shiftTimeline(HANOI_2019_TIMELINE, Date.now(), REAL_DAY_MS);
    const later = { ...hanoi2019Campaign({ slug: 'sau', unitsPerGroup: 1, timeline }), year: 2022 };
    expect((await stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: later })).statusCode).toBe(201);
    const base = { ...hanoi2019Campaign({ slug: 'truoc', unitsPerGroup: 1, timeline }), year: 2021 };
    const attempt = (previous: string) => stack.app.inject({ method: 'POST', url: '/campaigns', headers: SNV_ADMIN, payload: { ...base, previous_campaign_id: previous } });

    const unknown = await attempt('par-2020-khong-co');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues).toEqual([expect.objectContaining({ path: ['previous_campaign_id'], message_vi: 'Không có đợt đánh giá par-2020-khong-co', message_en: 'No campaign par-2020-khong-co' })]);
    const notEarlier = await attempt('par-2022-sau');
    expect(notEarlier.statusCode).toBe(400);
    expect(notEarlier.json().issues).toEqual([expect.objectContaining({ path: ['previous_campaign_id'], message_vi: 'Đợt đánh giá par-2022-sau (năm 2022) không trước năm 2021' })]);
    const malformed = await attempt('năm trước');
    expect(malformed.statusCode).toBe(400);
    expect((malformed.json().issues as { path: string[] }[]).map((issue) => issue.path.join('.'))).toEqual(['body.previous_campaign_id']);
    expect((await get('/campaigns/par-2021-truoc', SNV_ADMIN)).statusCode).toBe(404);
  });
});
