import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitWorkflowId } from '../../domain/units';
import { fullSelfAssessment } from '../../seed/scores';
import { scoresToWire } from '../../api/wire/unit';
import { submitGuidanceUpdate, submitSelfAssessmentUpdate } from '../../contracts/messages';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { bearerAs, SNV_ADMIN, startStack, type TestStack } from './helpers/stack';
import { eventually } from './helpers/wait';

/**
 * Hostile text and keys against the real stack (API, Temporal workflows, the
 * Postgres read model): a NUL or a bidi override in a free-text field of a
 * step is a 400 naming the field, from the API and from the workflow itself
 * when a client goes around the API, and the campaign's next steps go on;
 * inherited object keys as codes, integers past 32 bits and header-breaking
 * codes answer 4xx, never 500.
 */

let stack: TestStack;
let campaign: DrivenCampaign;
const DOC = { name: 'huong-dan.pdf', ref: 'file-guidance' };
const SNV_CONTRIBUTOR = await bearerAs('contributor', 'SNV', 'snv.thamdinh');
const SNV_UNIT = await bearerAs('unit', 'SNV', 'snv');
const POISON = ['x\u0000', 'cv\u202Efdp.exe'];

beforeAll(async () => {
  stack = await startStack();
  campaign = await createCampaignDriver(stack.app).createCampaign();
});
afterAll(async () => {
  await stack?.stop();
});

async function inject(method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: unknown) {
  return stack.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

function expectRefused(response: { statusCode: number; body: string; json(): unknown }, path: (string | number)[]) {
  expect(response.statusCode, response.body).toBe(400);
  const body = response.json() as { issues: { path: unknown[]; message_vi: string; message_en: string }[] };
  const found = body.issues.find((candidate) => JSON.stringify(candidate.path) === JSON.stringify(path));
  expect(found, response.body).toBeDefined();
  expect(found!.message_vi).toMatch(/^Chứa /);
  expect(found!.message_en).toMatch(/^Contains /);
}

describe('a NUL or a bidi override in a step', () => {
  it('is refused in a contributor\'s guidance summary, and the campaign then takes its guidance, publication and self-assessments', async () => {
    const guidanceUrl = `/campaigns/${campaign.campaignId}/guidance`;
    for (const summary of POISON) {
      expectRefused(await inject('POST', guidanceUrl, SNV_CONTRIBUTOR, { contributor: 'SNV', areas: ['1'], document: DOC, summary }), ['body', 'summary']);
    }
    // Around the API, straight to the workflow: its validator refuses the same characters.
    const direct = stack.client.workflow.getHandle(campaign.campaignId).executeUpdate(submitGuidanceUpdate, {
      args: [{ contributor: 'SNV', areas: ['1'], document: DOC, summary: 'x\u0000', actor: { id: 'snv.thamdinh', role: 'contributor', unitCode: 'SNV' } }],
    });
    const failure = await direct.then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((failure as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('invalid');

    const accepted = await inject('POST', guidanceUrl, SNV_CONTRIBUTOR, { contributor: 'SNV', areas: ['1'], document: DOC, summary: 'Hướng dẫn lĩnh vực 1\r\ndòng hai' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const published = await inject('POST', `${guidanceUrl}/publish`, SNV_ADMIN, { document: DOC, note: 'Hướng dẫn chấm điểm' });
    expect(published.statusCode, published.body).toBe(200);
    // The read model followed: the campaign moved on, with the summary stored as sent (CRLF as LF).
    await eventually(async () => (await inject('GET', `/campaigns/${campaign.campaignId}`, SNV_ADMIN)).json().stage === 'self_assessment', 30_000, 'the read model to reach self-assessment');
    const events = (await inject('GET', `/campaigns/${campaign.campaignId}/events`, SNV_ADMIN)).json() as { action: string; after: unknown }[];
    expect(JSON.stringify(events)).not.toContain('\\u0000');
    await createCampaignDriver(stack.app).waitForUnits(campaign);
  });

  it('is refused in a unit\'s self-assessment note, and the unit then submits and is projected', async () => {
    const group = campaign.definition.framework.groups.department!;
    const url = `/campaigns/${campaign.campaignId}/units/SNV/self-assessment`;
    for (const note of POISON) {
      const scores = scoresToWire(fullSelfAssessment(group)).map((score, index) => (index === 0 ? { ...score, note } : score));
      expectRefused(await inject('POST', url, SNV_UNIT, { approved_by: 'Thủ trưởng', scores }), ['body', 'scores', 0, 'note']);
    }
    const direct = stack.client.workflow.getHandle(unitWorkflowId(campaign.campaignId, 'SNV')).executeUpdate(submitSelfAssessmentUpdate, {
      args: [{ approvedBy: 'Thủ\u202Etrưởng', scores: fullSelfAssessment(group), actor: { id: 'snv', role: 'unit', unitCode: 'SNV' } }],
    });
    expect(((await direct.then(() => null, (error: unknown) => error)) as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'invalid' });

    const submitted = await inject('POST', url, SNV_UNIT, { approved_by: 'Thủ trưởng', scores: scoresToWire(fullSelfAssessment(group)) });
    expect(submitted.statusCode, submitted.body).toBe(200);
    await eventually(
      async () => ((await inject('GET', `/campaigns/${campaign.campaignId}/units/SNV/scores`, SNV_ADMIN)).json() as { self: unknown }[]).some((row) => row.self !== null),
      30_000,
      'the self-assessment in the read model',
    );
    // The draft of another unit still saves (nothing queued behind a stuck change).
    const draft = await inject('PUT', `/campaigns/${campaign.campaignId}/units/VP/self-assessment/draft`, await bearerAs('unit', 'VP', 'vp'), { scores: [], approved_by: 'Phó\u0000' });
    expectRefused(draft, ['body', 'approved_by']);
  });
});

describe('an evidence file named to pass for another type', () => {
  it('is stored and served without its bidi override, so "cv\u202Efdp.exe" cannot display as "cvexe.pdf"', async () => {
    const boundary = 'par-hostile-name';
    const bytes = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'utf8');
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cv\u202Efdp.exe"\r\nContent-Type: application/pdf\r\n\r\n`;
    const uploaded = await stack.app.inject({
      method: 'POST',
      url: `/campaigns/${campaign.campaignId}/units/SNV/evidence`,
      headers: { ...SNV_UNIT, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([Buffer.from(head, 'utf8'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]),
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json().name).toBe('cvfdp.exe');
    const download = await inject('GET', `/evidence/${uploaded.json().id}`, SNV_UNIT);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toBe('attachment; filename="cvfdp.exe"');
  });
});

describe('the inputs that answered 500', () => {
  it('an inherited object key as an area code is an area like any other: 403 for a contributor, 4xx for Sở Nội vụ', async () => {
    const url = `/campaigns/${campaign.campaignId}/units/VP/appraisals`;
    const body = { round: 1, area_code: 'constructor', scores: [{ code: '1.1.1', input: { kind: 'boolean', value: true } }] };
    const contributor = await inject('POST', url, SNV_CONTRIBUTOR, body);
    expect(contributor.statusCode, contributor.body).toBe(403);
    const admin = await inject('POST', url, SNV_ADMIN, body);
    expect(admin.statusCode, admin.body).toBeGreaterThanOrEqual(400);
    expect(admin.statusCode, admin.body).toBeLessThan(500);
  });

  it('numbers beyond a 32-bit integer in a query or path are a 400 naming the parameter', async () => {
    const big = '2147483648';
    for (const [url, path] of [
      [`/campaigns/${campaign.campaignId}/results?pass=${big}`, ['querystring', 'pass']],
      [`/campaigns/${campaign.campaignId}/units/SNV/explanation?pass=${big}`, ['querystring', 'pass']],
      [`/frameworks/HN-2019-SAMPLE?version=${big}`, ['querystring', 'version']],
      [`/inbox?before_id=${big}`, ['querystring', 'before_id']],
    ] as const) {
      const response = await inject('GET', url, SNV_ADMIN);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      expect((response.json() as { issues: { path: unknown[] }[] }).issues.map((found) => found.path)).toContainEqual(path);
    }
    const contact = await inject('PUT', `/contacts/${big}`, SNV_ADMIN, { name: 'A', role: 'staff', email: 'a@example.vn' });
    expect(contact.statusCode, contact.body).toBe(400);
  });

  it('a NUL answers 400 at login, in a framework code, a framework document, a contact and the reminder policy', async () => {
    expectRefused(await inject('POST', '/auth/login', {}, { username: 'snv.admin\u0000', password: 'x' }), ['body', 'username']);
    const code = await inject('GET', '/frameworks/%00', SNV_ADMIN);
    expect(code.statusCode, code.body).toBe(400);
    expect((code.json() as { issues: { path: unknown[] }[] }).issues.map((found) => found.path)).toContainEqual(['params', 'code']);
    const framework = await inject('POST', '/frameworks', SNV_ADMIN, { ...campaign.definition.framework, code: 'HN-NUL', title_vi: 'Bộ tiêu chí\u0000' });
    expectRefused(framework, ['body', 'title_vi']);
    expectRefused(await inject('POST', '/units/SNV/contacts', SNV_ADMIN, { name: 'Nguyễn\u0000', role: 'staff', email: 'a@example.vn' }), ['body', 'name']);
    expectRefused(
      await inject('PUT', `/campaigns/${campaign.campaignId}/reminder-policy`, SNV_ADMIN, { coordinators: [{ name: 'Trần\u202E', email: 'b@example.vn' }] }),
      ['body', 'coordinators', 0, 'name'],
    );
  });

  it('a framework code with a quote or a line break never reaches a Content-Disposition header', async () => {
    for (const code of ['a"b', 'a\r\nb']) {
      const response = await inject('GET', `/frameworks/${encodeURIComponent(code)}/export.xlsx`, SNV_ADMIN);
      expect(response.statusCode, response.body).toBe(400);
    }
  });
});
