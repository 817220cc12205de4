import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRESS_SUMMARY_HEADERS, PROGRESS_UNIT_HEADERS } from '../../formats/progress-workbook';
import { bearerAs } from '../helpers/auth';
import { createCampaignDriver } from './helpers/campaign-driver';
import { startStack, type TestStack } from './helpers/stack';

/**
 * The exports on a real campaign: the progress workbook
 * (opened again with exceljs) and the results annex as a PDF, read back with
 * poppler's pdftotext and pdffonts (Debian package poppler-utils), which show
 * the text as a reader would get it and whether the font is embedded.
 */

let stack: TestStack;
let scratch: string;
beforeAll(async () => {
  stack = await startStack();
  scratch = mkdtempSync(join(tmpdir(), 'par-exports-'));
});
afterAll(async () => {
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function get(url: string, headers: Record<string, string> = {}) {
  return stack.app.inject({ method: 'GET', url, headers });
}

function pdfText(bytes: Buffer, name: string): { text: string; fonts: string } {
  const file = join(scratch, name);
  writeFileSync(file, bytes);
  return {
    text: execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
    fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }),
  };
}

describe('exports', () => {
  it('writes the progress workbook with Vietnamese headers and the results annex as a PDF with an embedded Unicode font', async () => {
    const driver = createCampaignDriver(stack.app);
    const campaign = await driver.openCampaign();
    await driver.submitSelfAssessment(campaign, 'SNV');
    const coordinator = await bearerAs('coordinator', undefined, 'snv.dieuphoi');

    // ---- The progress workbook: who may download it, and what it says.
    expect((await get(`/campaigns/${campaign.campaignId}/progress.xlsx`)).statusCode).toBe(401);
    const byUnit = await get(`/campaigns/${campaign.campaignId}/progress.xlsx`, await bearerAs('unit', 'SNV', 'snv'));
    expect(byUnit.statusCode).toBe(403);
    const download = await get(`/campaigns/${campaign.campaignId}/progress.xlsx`, coordinator);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Tổng hợp', 'Danh sách đơn vị']);
    const summary = workbook.getWorksheet('Tổng hợp')!;
    expect(String(summary.getCell('A1').value)).toContain('Tiến độ Chỉ số cải cách hành chính năm 2019');
    expect((summary.getRow(3).values as unknown[]).slice(1)).toEqual([...PROGRESS_SUMMARY_HEADERS]);
    expect((summary.getRow(4).values as unknown[]).slice(1)).toEqual(['Tự đánh giá', 3, 0, 0, 0, 0, 0, 3]);
    expect((summary.getRow(5).values as unknown[]).slice(1)).toEqual(['Thẩm định vòng 1', 0, 0, 1, 0, 0, 0, 1]);
    const units = workbook.getWorksheet('Danh sách đơn vị')!;
    expect((units.getRow(3).values as unknown[]).slice(1)).toEqual([...PROGRESS_UNIT_HEADERS]);
    const rows = [4, 5, 6, 7].map((index) => (units.getRow(index).values as unknown[]).slice(1));
    // Vietnamese order (Intl.Collator('vi')): Quận Ba Đình, Quận Hoàn Kiếm, Sở Nội vụ, Văn phòng UBND Thành phố.
    expect(rows.map((row) => row[2])).toEqual(['Quận Ba Đình', 'Quận Hoàn Kiếm', 'Sở Nội vụ', 'Văn phòng UBND Thành phố']);
    expect(rows[2]).toEqual(expect.arrayContaining(['SNV', 'Sở, cơ quan ngang sở', 'Thẩm định vòng 1', 'Đã nộp', 'Thẩm định vòng 1']));
    expect(rows[0]).toEqual(expect.arrayContaining(['QUAN_BA_DINH', 'Tự đánh giá', 'Chưa bắt đầu', 'Nộp báo cáo tự đánh giá']));
    expect(String(rows[0]![8])).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);

    const filtered = await get(`/campaigns/${campaign.campaignId}/progress.xlsx?group=district&status=not_started`, coordinator);
    const filteredBook = new ExcelJS.Workbook();
    await filteredBook.xlsx.load(filtered.rawPayload as unknown as ArrayBuffer);
    const filteredUnits = filteredBook.getWorksheet('Danh sách đơn vị')!;
    expect(String(filteredUnits.getCell('A2').value)).toContain('lọc theo nhóm UBND quận, huyện, thị xã, tình trạng Chưa bắt đầu');
    expect(filteredUnits.rowCount).toBe(5);

    // ---- Drive the campaign to the council: results exist, not yet published.
    for (const code of campaign.unitCodes.filter((code) => code !== 'SNV')) await driver.submitSelfAssessment(campaign, code);
    await driver.completeSurvey(campaign);
    for (const code of campaign.unitCodes) await driver.appraise(campaign, code);
    await driver.waitForStage(campaign, 'council');

    expect((await get(`/campaigns/${campaign.campaignId}/results.pdf`, await bearerAs('unit', 'SNV', 'snv'))).json()).toMatchObject({
      status_code: 403,
      message_vi: 'Kết quả chưa được công bố',
    });
    const draft = await get(`/campaigns/${campaign.campaignId}/results.pdf`, coordinator);
    expect(draft.statusCode).toBe(200);
    expect(draft.headers['content-type']).toBe('application/pdf');
    expect(draft.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const draftPdf = pdfText(draft.rawPayload, 'draft.pdf');
    expect(draftPdf.text).toContain('KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2019');
    expect(draftPdf.text).toContain('Dự thảo — chưa công bố; kết quả tổng hợp lần 1');
    for (const words of ['Sở, cơ quan ngang sở', 'UBND quận, huyện, thị xã', 'Sở Nội vụ', 'Quận Hoàn Kiếm', 'Tổng điểm', 'Chỉ số (%)', 'Xếp hạng']) {
      expect(draftPdf.text).toContain(words);
    }
    // Points with a decimal comma: 70,00 appraised + the survey points.
    expect(draftPdf.text).toMatch(/70,00/);
    // Both faces embedded as subsets (emb = yes) with a ToUnicode map (uni = yes), so the text can be copied as Vietnamese.
    const embedded = draftPdf.fonts.split('\n').filter((line) => /\+DejaVuSans(-Bold)?\s/.test(line));
    expect(embedded).toHaveLength(2);
    for (const line of embedded) expect(line).toMatch(/yes\s+yes\s+yes/);

    // ---- Published: the annex names the decision and anyone can download it from the public page.
    await driver.approveAndPublish(campaign);
    // Published results are public: the annex downloads without a login.
    expect((await get(`/campaigns/${campaign.campaignId}/results.pdf`)).statusCode).toBe(200);
    const published = await get(`/dashboard/public/${campaign.campaignId}/results.pdf`);
    expect(published.statusCode).toBe(200);
    const publishedPdf = pdfText(published.rawPayload, 'published.pdf');
    expect(publishedPdf.text).toContain('Kèm theo Quyết định số 1752/QĐ-UBND ngày 29/04/2020');
    expect(publishedPdf.text).not.toContain('Dự thảo');
    const asUnit = await get(`/campaigns/${campaign.campaignId}/results.pdf`, await bearerAs('unit', 'SNV', 'snv'));
    expect(asUnit.statusCode).toBe(200);
  });
});
