import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAs } from '../helpers/auth';
import { createBrowsers, serveWithDemoUsers } from './helpers/browser';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { SNV_ADMIN, startStack, type TestStack } from './helpers/stack';

/**
 * Cross-site request forgery from the same site: a page served on another port
 * of 127.0.0.1 (same site for SameSite=Lax, so the browser sends the session
 * cookie) makes a signed-in institute post a survey answer file as a text/plain
 * form, and a signed-in unit post an evidence file as a multipart form. Both are
 * refused and change nothing; the same files sent from the dashboard itself are
 * taken.
 */

const PDF = Buffer.from('%PDF-1.4\n% Tai lieu kiem chung\n%%EOF\n');

let stack: TestStack;
let baseUrl = '';
let attacker: Server;
let attackerUrl = '';
let campaign: DrivenCampaign;
const browsers = createBrowsers(() => baseUrl, 'csrf');

/** The attacker's pages: each submits a form to the API as soon as it loads. */
function attackerPage(path: string): string {
  const target = (url: string) => `${baseUrl}/campaigns/${campaign.campaignId}${url}`;
  if (path === '/survey') {
    // enctype=text/plain turns name=value into the body: a CSV whose first line is "respondent_id,…=…".
    return `<!doctype html><form id="f" method="POST" enctype="text/plain" action="${target('/survey/answers')}">
<input type="hidden" name="respondent_id,respondent_group,unit_code,question_code,answer&#10;P1,HDND,SNV,S1,A&#10;x" value="y"></form>
<script>document.getElementById('f').submit()</script>`;
  }
  return `<!doctype html><form id="f" method="POST" enctype="multipart/form-data" action="${target('/units/SNV/evidence')}">
<input type="file" name="file" id="file"></form>
<script>
const data = new DataTransfer();
data.items.add(new File([${JSON.stringify(PDF.toString('latin1'))}], 'khong-phai-cua-toi.pdf', { type: 'application/pdf' }));
document.getElementById('file').files = data.files;
document.getElementById('f').submit();
</script>`;
}

beforeAll(async () => {
  stack = await startStack();
  baseUrl = await serveWithDemoUsers(stack, ['vien.khaosat', 'snv']);
  campaign = await createCampaignDriver(stack.app).openCampaign();
  attacker = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(attackerPage(request.url ?? '/'));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await browsers.close();
  await new Promise((resolve) => attacker?.close(resolve));
  await stack?.stop();
});

async function signedIn(username: string): Promise<Page> {
  const page = await browsers.open();
  await browsers.logIn(page, username);
  await page.waitForURL(`${baseUrl}/dashboard`);
  return page;
}

/** Opens the attacker's page and waits for the API's answer to its forged form. */
async function forged(page: Page, path: string): Promise<{ status: number; body: { error?: string; message_vi?: string } }> {
  const answered = page.waitForResponse((response) => response.url().startsWith(`${baseUrl}/campaigns/`) && response.request().method() === 'POST');
  await page.goto(`${attackerUrl}${path}`);
  const response = await answered;
  return { status: response.status(), body: (await response.json()) as { error?: string; message_vi?: string } };
}

async function evidenceOfSnv(): Promise<unknown[]> {
  const response = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}/units/SNV/evidence`, headers: SNV_ADMIN });
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function surveyImport(): Promise<unknown> {
  const response = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}/survey/points`, headers: SNV_ADMIN });
  expect(response.statusCode).toBe(200);
  return response.json().import;
}

describe('cross-site request forgery from another port of the same host', () => {
  it('refuses a text/plain survey answer import posted by a page on another port, and stores nothing; the dashboard’s own import is taken', async () => {
    const institute = await signedIn('vien.khaosat');
    const answer = await forged(institute, '/survey');
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'cross_origin_write', message_vi: expect.stringContaining('phải đến từ chính trang này') });
    expect(await surveyImport()).toBeNull();

    await institute.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/survey`);
    const header = 'respondent_id,respondent_group,unit_code,question_code,answer';
    const rows = campaign.unitCodes.map((unitCode, n) => `P${n},HDND,${unitCode},S1,A`);
    await institute.locator('[data-testid=survey-import] input[type=file]').setInputFiles({ name: 'ket-qua.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n')) });
    await expect.poll(() => institute.locator('[data-testid=survey-import] .form-message').innerText(), { timeout: 30_000 }).toContain(`Đã nhập ${rows.length} dòng`);
    expect(await surveyImport()).toMatchObject({ answers: rows.length, imported_by: 'institute/vien.khaosat' });
  });

  it('refuses a multipart evidence upload posted by a page on another port, and stores nothing; the dashboard’s own upload is taken', async () => {
    const unit = await signedIn('snv');
    const answer = await forged(unit, '/evidence');
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'cross_origin_write' });
    expect(await evidenceOfSnv()).toEqual([]);

    await unit.goto(`${baseUrl}/dashboard/campaigns/${campaign.campaignId}/units/SNV`);
    await unit.locator('input[type=file][data-upload-url]').first().setInputFiles({ name: 'ke-hoach-cchc.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect.poll(async () => (await evidenceOfSnv()).length, { timeout: 30_000 }).toBe(1);
    expect(await evidenceOfSnv()).toEqual([expect.objectContaining({ name: 'ke-hoach-cchc.pdf', uploaded_by: 'snv' })]);
  });

  it('lets a bearer-token client post without an Origin, as API clients do', async () => {
    const response = await stack.app.inject({
      method: 'POST',
      url: `/campaigns/${campaign.campaignId}/units/VP/evidence`,
      headers: { ...(await bearerAs('unit', 'VP', 'vp')), 'content-type': 'multipart/form-data; boundary=x' },
      payload: `--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n${PDF.toString('latin1')}\r\n--x--\r\n`,
    });
    expect(response.statusCode).toBe(201);
  });
});
