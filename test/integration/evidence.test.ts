import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeApi } from '../../server/compose';
import { createCampaignRepository } from '../../db/repositories/campaigns';
import { campaigns } from '../../db/schema';
import type { CampaignStage } from '../../domain/stages';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { TEST_API_SETTINGS } from '../helpers/auth';
import { bearerAs, startStack, uniqueSlug, type TestStack } from './helpers/stack';
import { multipart } from '../helpers/multipart';

/** A tiny limit so the over-limit case needs only a few kilobytes. */
const MAX_BYTES = 16 * 1024;

let stack: TestStack;
let app: FastifyInstance;
let dir: string;
let campaignId: string;
let unitA: string;
let unitB: string;

beforeAll(async () => {
  stack = await startStack();
  dir = await mkdtemp(join(tmpdir(), 'par-evidence-test-'));
  // The stack's own app uses the default settings; this one stores in a directory of its own, with the tiny limit.
  app = await composeApi({
    db: stack.database.db,
    temporal: stack.client,
    taskQueue: stack.taskQueue,
    logger: false,
    settings: { ...TEST_API_SETTINGS, EVIDENCE_DIR: dir, EVIDENCE_MAX_BYTES: MAX_BYTES },
  });
  [unitA, unitB] = hanoi2019Campaign({ unitsPerGroup: 1 }).units.map((unit) => unit.code) as [string, string];
  campaignId = await insertCampaign('self_assessment');
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'utf8');
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function upload(asUnit: string | 'admin' | 'coordinator', unitCode: string, fileName: string, mimetype: string, bytes: Buffer, campaign = campaignId) {
  const headers = asUnit === 'admin' || asUnit === 'coordinator' ? await bearerAs(asUnit) : await bearerAs('unit', asUnit);
  const body = multipart(fileName, mimetype, bytes);
  return app.inject({ method: 'POST', url: `/campaigns/${campaign}/units/${unitCode}/evidence`, headers: { ...headers, ...body.headers }, payload: body.payload });
}

/** A campaign of the read model alone (evidence needs its units and stage, not its workflow). */
async function insertCampaign(stage: CampaignStage): Promise<string> {
  const slug = uniqueSlug('evidence');
  const id = `par-2019-${slug}`;
  await createCampaignRepository(stack.database.db).insertCampaign({ campaignId: id, definition: hanoi2019Campaign({ slug, unitsPerGroup: 1 }), stage, at: new Date() });
  return id;
}

async function storedFiles(): Promise<string[]> {
  return (await readdir(dir)).sort();
}

async function rowsOf(unitCode: string): Promise<{ id: string; sha256: string }[]> {
  const response = await app.inject({ method: 'GET', url: `/campaigns/${campaignId}/units/${unitCode}/evidence`, headers: await bearerAs('coordinator') });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('evidence files', () => {
  it('stores a PDF uploaded by its unit under its sha256 and answers a ref to cite in a step', async () => {
    const bytes = pdf('báo cáo tự đánh giá');
    const response = await upload(unitA, unitA, 'Báo cáo tự đánh giá 2019.pdf', 'application/pdf', bytes);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toEqual({
      id: expect.any(String),
      ref: `evidence:${body.id}`,
      name: 'Báo cáo tự đánh giá 2019.pdf',
      size_bytes: bytes.length,
      sha256: sha256(bytes),
      mime_type: 'application/pdf',
    });
    expect(await storedFiles()).toContain(sha256(bytes));

    const list = await app.inject({ method: 'GET', url: `/campaigns/${campaignId}/units/${unitA}/evidence`, headers: await bearerAs('unit', unitA) });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toContainEqual(expect.objectContaining({ id: body.id, uploaded_by: `unit.${unitA.toLowerCase()}` }));
  });

  it('keeps one file on disk for the same bytes uploaded twice, with a row for each upload', async () => {
    const bytes = pdf(`quyết định ${randomBytes(4).toString('hex')}`);
    const first = await upload(unitA, unitA, 'quyet-dinh.pdf', 'application/pdf', bytes);
    const second = await upload('admin', unitA, 'bản sao/../quyết định.pdf', 'application/pdf', bytes);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().id).not.toBe(first.json().id);
    expect(second.json().sha256).toBe(first.json().sha256);
    expect(second.json().name).toBe('quyết định.pdf'); // the path part of the name is dropped

    const files = await storedFiles();
    expect(files.filter((name) => name === sha256(bytes))).toHaveLength(1);
    expect(files.filter((name) => name.startsWith('.upload-'))).toEqual([]);
    expect((await rowsOf(unitA)).filter((row) => row.sha256 === sha256(bytes))).toHaveLength(2);
  });

  it('refuses an executable renamed .pdf by its first bytes, and an undeclared type, in both languages, keeping nothing', async () => {
    const before = await storedFiles();
    const rows = (await rowsOf(unitA)).length;
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), randomBytes(512)]);
    const disguised = await upload(unitA, unitA, 'bao-cao.pdf', 'application/pdf', exe);
    expect(disguised.statusCode).toBe(415);
    expect(disguised.json()).toMatchObject({
      error: 'file_content_mismatch',
      message_vi: expect.stringContaining('Nội dung tệp không đúng loại'),
      message_en: expect.stringContaining('not the declared type'),
    });

    const script = await upload(unitA, unitA, 'cai-dat.exe', 'application/x-msdownload', exe);
    expect(script.statusCode).toBe(415);
    expect(script.json()).toMatchObject({ error: 'unsupported_file_type', message_vi: expect.stringContaining('không được chấp nhận') });

    expect(await storedFiles()).toEqual(before);
    expect(await rowsOf(unitA)).toHaveLength(rows);
  });

  it('answers 413 in both languages for a file over the limit and leaves no partial file behind', async () => {
    const before = await storedFiles();
    const rows = (await rowsOf(unitA)).length;
    const big = Buffer.concat([pdf('lớn'), randomBytes(MAX_BYTES * 3)]);
    const response = await upload(unitA, unitA, 'ho-so-lon.pdf', 'application/pdf', big);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({
      error: 'file_too_large',
      message_vi: expect.stringContaining('vượt quá dung lượng'),
      message_en: expect.stringContaining(`${MAX_BYTES} bytes`),
    });
    expect(await storedFiles()).toEqual(before);
    expect(await rowsOf(unitA)).toHaveLength(rows);

    // Exactly at the limit is accepted.
    const atLimit = Buffer.concat([pdf('vừa đủ'), Buffer.alloc(MAX_BYTES - pdf('vừa đủ').length, 0x20)]);
    expect((await upload(unitA, unitA, 'vua-du.pdf', 'application/pdf', atLimit)).statusCode).toBe(201);
  });

  it('lets only the unit itself and Sở Nội vụ upload, and only for a unit of the campaign', async () => {
    const bytes = pdf('đơn vị khác');
    const other = await upload(unitB, unitA, 'x.pdf', 'application/pdf', bytes);
    expect(other.statusCode).toBe(403);
    expect(other.json().message_en).toBe(`Only ${unitA} may take this step for itself`);
    expect((await upload('coordinator', unitA, 'x.pdf', 'application/pdf', bytes)).statusCode).toBe(403);
    expect((await upload('admin', 'KHONG_CO', 'x.pdf', 'application/pdf', bytes)).statusCode).toBe(404);
    expect((await upload('admin', unitB, 'ảnh.png', 'image/png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).statusCode).toBe(201);
  });

  it('downloads the same bytes with the Vietnamese name, for the owner and staff; another unit only after publication', async () => {
    // A campaign of its own, since this test publishes it.
    const own = await insertCampaign('self_assessment');
    const bytes = pdf(`kế hoạch ${randomBytes(4).toString('hex')}`);
    const { id } = (await upload(unitA, unitA, 'Kế hoạch CCHC.pdf', 'application/pdf', bytes, own)).json();
    const url = `/evidence/${id}`;

    const owner = await app.inject({ method: 'GET', url, headers: await bearerAs('unit', unitA) });
    expect(owner.statusCode).toBe(200);
    expect(owner.rawPayload.equals(bytes)).toBe(true);
    expect(owner.headers['content-type']).toBe('application/pdf');
    expect(owner.headers['content-disposition']).toBe(`attachment; filename="Ke hoach CCHC.pdf"; filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20CCHC.pdf`);

    const otherUnit = await app.inject({ method: 'GET', url, headers: await bearerAs('unit', unitB) });
    expect(otherUnit.statusCode).toBe(403);
    expect(otherUnit.json().message_en).toContain('its own data until the results are published');
    expect((await app.inject({ method: 'GET', url, headers: await bearerAs('public') })).statusCode).toBe(403);

    const coordinator = await app.inject({ method: 'GET', url, headers: await bearerAs('coordinator') });
    expect(coordinator.statusCode).toBe(200);
    expect(coordinator.rawPayload.equals(bytes)).toBe(true);

    await stack.database.db.update(campaigns).set({ stage: 'published' }).where(eq(campaigns.id, own));
    expect((await app.inject({ method: 'GET', url, headers: await bearerAs('unit', unitB) })).statusCode).toBe(200);

    expect((await app.inject({ method: 'GET', url: `/evidence/${crypto.randomUUID()}`, headers: await bearerAs('coordinator') })).statusCode).toBe(404);
  });

  it('documents the upload as multipart/form-data in the OpenAPI document', async () => {
    const docs = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(docs.statusCode).toBe(200);
    const upload = docs.json().paths['/campaigns/{campaignId}/units/{unitCode}/evidence'].post;
    expect(Object.keys(upload.requestBody?.content ?? {})).toContain('multipart/form-data');
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['201', '413', '415']));
  });
});
