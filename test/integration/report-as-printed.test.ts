import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPercentVi } from '../../domain/scoring';
import { bearerAs } from '../helpers/auth';
import { pdfText } from './helpers/pdf-text';
import { createCampaignDriver } from './helpers/campaign-driver';
import { startStack, type TestStack } from './helpers/stack';
import { eventually } from './helpers/wait';

/**
 * The published report as a province prints it, on a real campaign taken to
 * publication: the group average index in the API, the Excel annex (read back
 * with exceljs), the PDF annex (read back with poppler's pdftotext) and the
 * public page; sheets named and ordered as the decision's tables; blank
 * round-2 cells for units never sent to round 2; the same flags in the
 * ranking and the explanation; no internal state name.
 */

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function get(url: string, headers: Record<string, string> = {}) {
  return stack.app.inject({ method: 'GET', url, headers });
}

type ApiGroup = { code: string; average_index_centi: number | null; units: { unit_code: string; index_centi: number; rank: number }[] };

describe('the results report as provinces print it', () => {
  it('prints group averages everywhere, names and orders the sheets like the decision, leaves round 2 blank, agrees on flags and cites the decision', async () => {
    const driver = createCampaignDriver(stack.app);
    const campaign = await driver.openCampaign();
    const { campaignId } = campaign;

    // Opening fieldwork before any plan is refused in words, not with the survey's internal status.
    const surveyBase = `/campaigns/${campaignId}/survey`;
    const admin = await bearerAs('admin', 'SNV', 'snv.admin');
    await eventually(async () => (await get(surveyBase, admin)).statusCode === 200, 30_000, 'the survey workflow');
    const early = await stack.app.inject({ method: 'POST', url: `${surveyBase}/fieldwork/open`, payload: {}, headers: await bearerAs('institute', undefined, 'vien.khaosat') });
    expect(early.statusCode).toBe(409);
    expect(early.json().message_vi).toContain('Chờ Viện nộp kế hoạch điều tra');
    expect(early.body).not.toContain('awaiting_plan');

    for (const code of campaign.unitCodes) await driver.submitSelfAssessment(campaign, code);
    await driver.completeSurvey(campaign);
    for (const code of campaign.unitCodes) await driver.appraise(campaign, code);
    await driver.waitForStage(campaign, 'council');

    // The council returns one unit; its round 2 gives a second aggregation, which is published.
    const returned = campaign.unitCodes[1]!;
    const firstArea = campaign.definition.framework.groups[campaign.definition.units.find((unit) => unit.code === returned)!.group]!.areas[0]!.code;
    const decision = await stack.app.inject({
      method: 'POST',
      url: `/campaigns/${campaignId}/council-decisions`,
      headers: await bearerAs('council', undefined, 'hoidong.thanhvien'),
      payload: { decision: 'return', members_present: 9, votes_for: 7, note: '', returns: [{ unit_code: returned, areas: [firstArea], reason: 'Điểm chưa khớp báo cáo' }] },
    });
    expect(decision.statusCode, decision.body).toBeLessThan(300);
    await driver.closeRound2(campaign, returned);
    await eventually(async () => (await get(`/campaigns/${campaignId}/results`, admin)).json().pass === 2, 90_000, 'the second aggregation');
    await driver.waitForStage(campaign, 'council');
    await driver.approveAndPublish(campaign);

    // ---- API: each group's average index is the half-up mean of its units' indexes.
    const results = await get(`/campaigns/${campaignId}/results`, await bearerAs('public'));
    expect(results.statusCode).toBe(200);
    const groups = results.json().groups as ApiGroup[];
    expect(groups.length).toBe(2);
    const groupName = (code: string) => campaign.definition.framework.groups[code]!.name_vi;
    for (const group of groups) {
      const indexes = group.units.map((unit) => unit.index_centi);
      expect(group.average_index_centi).toBe(Math.round(indexes.reduce((sum, index) => sum + index, 0) / indexes.length));
    }

    // ---- The ranking and each unit's explanation carry the same flags, the council's return included.
    const flagged = groups.flatMap((group) => group.units) as unknown as { unit_code: string; flags: string[] }[];
    expect(flagged.find((unit) => unit.unit_code === returned)!.flags).toContain('returned_by_council');
    for (const unit of flagged) {
      const explanation = await get(`/campaigns/${campaignId}/units/${unit.unit_code}/explanation`, await bearerAs('public'));
      expect(explanation.statusCode).toBe(200);
      expect([...(explanation.json().explanation.flags as string[])].sort(), unit.unit_code).toEqual([...unit.flags].sort());
    }

    // ---- Excel: one ranking sheet per group under its Vietnamese name, the average under the table,
    // explanation sheets in ranking order, and blank round-2 sums (only the returned unit had one).
    const xlsx = await get(`/campaigns/${campaignId}/results.xlsx`, await bearerAs('public'));
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rankedCodes = groups.flatMap((group) => group.units.map((unit) => unit.unit_code));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([...groups.map((group) => groupName(group.code)), ...rankedCodes.map((code) => `Giải trình ${code}`)]);
    for (const group of groups) {
      const sheet = workbook.getWorksheet(groupName(group.code))!;
      const last = sheet.getRow(sheet.rowCount);
      expect(last.getCell(2).value).toBe('Chỉ số trung bình của nhóm');
      expect(last.getCell(7).value).toBe(group.average_index_centi! / 100);
    }
    for (const code of rankedCodes.filter((code) => code !== returned)) {
      const sheet = workbook.getWorksheet(`Giải trình ${code}`)!;
      const sums: ExcelJS.Row[] = [];
      sheet.eachRow((row) => {
        if (/^(Lĩnh vực|Tiêu chí|Điểm thẩm định$)/.test(String(row.getCell(2).value ?? ''))) sums.push(row);
      });
      expect(sums.length).toBeGreaterThan(2);
      for (const row of sums) expect(row.getCell(7).value ?? '', `${code}: round 2 of ${String(row.getCell(2).value)}`).toBe('');
      const total = sums.find((row) => row.getCell(2).value === 'Điểm thẩm định')!;
      expect(typeof total.getCell(6).value).toBe('number');
    }

    // The returned unit's round 2 is a number on its total row.
    const returnedSheet = workbook.getWorksheet(`Giải trình ${returned}`)!;
    const returnedTotal = returnedSheet.getRows(1, returnedSheet.rowCount)!.find((row) => row.getCell(2).value === 'Điểm thẩm định')!;
    expect(typeof returnedTotal.getCell(7).value).toBe('number');

    // ---- PDF: the average printed under each group's table, the decision cited.
    const pdf = await get(`/dashboard/public/${campaignId}/results.pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('Kèm theo Quyết định số 1752/QĐ-UBND ngày 29/04/2020');
    for (const group of groups) expect(text).toContain(`Chỉ số trung bình của nhóm: ${formatPercentVi(group.average_index_centi!)}`);

    // ---- Public page: the average row in each group's table; the decision instead of the aggregation pass.
    const page = await get(`/dashboard/public/${campaignId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Công bố kèm theo Quyết định số 1752/QĐ-UBND ngày 29/04/2020');
    expect(page.body).not.toContain('Lần tổng hợp');
    for (const group of groups) {
      const section = page.body.slice(page.body.indexOf(`data-group="${group.code}"`));
      const row = section.slice(section.indexOf('data-testid="group-average"'), section.indexOf('</tr>', section.indexOf('data-testid="group-average"')));
      expect(row).toContain('Chỉ số trung bình của nhóm');
      expect(row).toContain(formatPercentVi(group.average_index_centi!));
    }
  }, 300_000);
});
