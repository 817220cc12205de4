import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connect';
import { rowsOf } from '../../db/raw-rows';
import { verifyStored } from '../../verification/load';
import { createCampaignDriver, type DrivenCampaign } from './helpers/campaign-driver';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SNV_ADMIN, startStack, type TestStack } from './helpers/stack';

/**
 * The tamper-evident verification of a published campaign, end to end: a
 * campaign driven to publication through the API verifies OK, by the library
 * and by `npm run verify`; then a score row changed in Postgres, an event
 * deleted and an event's payload edited are each caught and named; and the
 * exported bundle verifies on another database, while a hand-edited one fails
 * naming what changed.
 */

const run = promisify(execFile);
let stack: TestStack;
let campaign: DrivenCampaign;
let scratch: string;

beforeAll(async () => {
  stack = await startStack();
  scratch = mkdtempSync(join(tmpdir(), 'par-verify-'));
  const driver = createCampaignDriver(stack.app);
  campaign = await driver.openCampaign();
  for (const code of campaign.unitCodes) await driver.submitSelfAssessment(campaign, code);
  await driver.completeSurvey(campaign);
  for (const code of campaign.unitCodes) await driver.appraise(campaign, code, code === campaign.unitCodes[0]);
  await driver.waitForStage(campaign, 'council');
  await driver.approveAndPublish(campaign);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** `npm run verify -- …` as a person runs it; its exit code and both outputs. */
async function verifyCommand(args: string[], databaseUrl = stack.database.url) {
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'scripts/verify.ts', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function verdict(db: Database = stack.database.db) {
  return (await verifyStored(db, campaign.campaignId))!.verdict;
}

/** Runs a change in Postgres, checks what verification says, then puts things back as they were. */
async function tampered(change: string, undo: string) {
  const { db } = stack.database;
  await db.execute(sql.raw(change));
  try {
    return await verdict();
  } finally {
    await db.execute(sql.raw(undo));
  }
}

describe('verification of a published campaign', () => {
  it('verifies a published campaign OK and prints the chain head and the verification code', async () => {
    const checked = await verdict();
    expect(checked).toMatchObject({ ok: true });
    const cli = await verifyCommand([campaign.campaignId]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('Kiểm chứng đạt');
    // The unit workflows may still record their closing after publication: the head moves on, the code frozen at publication does not.
    expect(cli.stdout).toMatch(/đầu chuỗi [0-9a-f]{64}/);
    if (checked.ok) expect(cli.stdout).toContain(`Mã kiểm chứng / Verification code: ${checked.short_code}`);
  });

  it('answers the verdict without login and prints the verification code on the public page, the PDF and the Excel annex', async () => {
    const checked = await verdict();
    if (!checked.ok) throw new Error(checked.problem.message_en);
    const api = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}/verification` });
    expect(api.statusCode, api.body).toBe(200);
    expect(api.json()).toMatchObject({ verified: true, verification_code: checked.short_code, digest: checked.digest, problem: null });
    expect(api.json().chain_head.hash).toMatch(/^[0-9a-f]{64}$/);

    const anonymousBundle = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}/verification/bundle` });
    expect(anonymousBundle.statusCode, 'the bundle holds the event log: not public').toBe(401);
    const bundle = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}/verification/bundle`, headers: SNV_ADMIN });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.json()).toMatchObject({ campaign_id: campaign.campaignId, chain: { published_digest: checked.digest } });

    const line = `Mã kiểm chứng: ${checked.short_code}`;
    const page = await stack.app.inject({ method: 'GET', url: `/dashboard/public/${campaign.campaignId}` });
    expect(page.body).toContain(line);

    const pdf = await stack.app.inject({ method: 'GET', url: `/dashboard/public/${campaign.campaignId}/results.pdf` });
    const pdfFile = join(scratch, 'results.pdf');
    writeFileSync(pdfFile, pdf.rawPayload);
    expect(execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' })).toContain(line);

    const xlsx = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaign.campaignId}/results.xlsx`, headers: SNV_ADMIN });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells = workbook.worksheets[0]!.getSheetValues().flat().map(String);
    expect(cells.some((cell) => cell.includes(line))).toBe(true);
  });

  it('answers 404 for a campaign not yet published, changing nothing', async () => {
    const driver = createCampaignDriver(stack.app);
    const draft = await driver.createCampaign();
    const api = await stack.app.inject({ method: 'GET', url: `/campaigns/${draft.campaignId}/verification` });
    expect(api.statusCode).toBe(404);
    expect(api.json().message_vi).toContain('chưa được công bố');
    const cli = await verifyCommand([draft.campaignId]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('chưa được công bố');
    const unknown = await verifyCommand(['par-2019-khongco']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Không có đợt đánh giá par-2019-khongco');
  });

  it('names the unit and sub-criterion of a score row changed in Postgres', async () => {
    const { db } = stack.database;
    const [row] = rowsOf<{ unit_code: string; subcriterion_code: string; score_column: string }>(
      await db.execute(sql`select unit_code, subcriterion_code, score_column from score_entries
        where campaign_id = ${campaign.campaignId} and score_column = 'round1' order by unit_code, subcriterion_code limit 1`),
    );
    const where = `campaign_id = '${campaign.campaignId}' and unit_code = '${row!.unit_code}' and subcriterion_code = '${row!.subcriterion_code}' and score_column = 'round1'`;
    const checked = await tampered(`update score_entries set points_centi = points_centi + 25 where ${where}`, `update score_entries set points_centi = points_centi - 25 where ${where}`);
    expect(checked).toMatchObject({ ok: false, problem: { kind: 'score_entry', unit_code: row!.unit_code, subcriterion_code: row!.subcriterion_code, column: 'round1', field: 'points_centi' } });

    await db.execute(sql.raw(`update score_entries set points_centi = points_centi + 25 where ${where}`));
    try {
      const cli = await verifyCommand(['--campaign', campaign.campaignId]);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`đơn vị ${row!.unit_code}, tiêu chí thành phần ${row!.subcriterion_code}`);
      expect(cli.stderr).toContain(`unit ${row!.unit_code}, sub-criterion ${row!.subcriterion_code}`);
    } finally {
      await db.execute(sql.raw(`update score_entries set points_centi = points_centi - 25 where ${where}`));
    }
    expect(await verdict()).toMatchObject({ ok: true });
  });

  it('names the unit and figure of a published result changed in Postgres', async () => {
    const unit = campaign.unitCodes[2]!;
    const where = `campaign_id = '${campaign.campaignId}' and unit_code = '${unit}' and published`;
    const checked = await tampered(`update results set total_centi = total_centi + 100 where ${where}`, `update results set total_centi = total_centi - 100 where ${where}`);
    expect(checked).toMatchObject({ ok: false, problem: { kind: 'result', unit_code: unit, field: 'total_centi' } });
  });

  it('names the broken link when one event is deleted', async () => {
    const { db } = stack.database;
    const seq = 5;
    const [saved] = rowsOf<{ id: number }>(await db.execute(sql`select id from campaign_events where campaign_id = ${campaign.campaignId} and chain_seq = ${seq}`));
    // A table of its own, not a temporary one: the pool may run the undo on another connection.
    await db.execute(sql`create table kept_event as select * from campaign_events where id = ${saved!.id}`);
    const checked = await tampered(`delete from campaign_events where id = ${saved!.id}`, `insert into campaign_events select * from kept_event; drop table kept_event`);
    expect(checked).toMatchObject({ ok: false, problem: { kind: 'link_missing', seq } });
    if (!checked.ok) expect(checked.problem.message_vi).toContain(`thiếu sự kiện số ${seq}`);
    expect(await verdict()).toMatchObject({ ok: true });
  });

  it('names the event whose payload was edited', async () => {
    const { db } = stack.database;
    const [event] = rowsOf<{ id: number; chain_seq: number; unit_code: string }>(
      await db.execute(sql`select id, chain_seq, unit_code from campaign_events
        where campaign_id = ${campaign.campaignId} and action = 'self_assessment_submitted' order by chain_seq limit 1`),
    );
    const checked = await tampered(
      `update campaign_events set after = jsonb_set(after, '{approvedBy}', '"Người khác"') where id = ${event!.id}`,
      `update campaign_events set after = jsonb_set(after, '{approvedBy}', '"Thủ trưởng đơn vị"') where id = ${event!.id}`,
    );
    expect(checked).toMatchObject({ ok: false, problem: { kind: 'link_changed', seq: event!.chain_seq, unit_code: event!.unit_code } });
    expect(await verdict()).toMatchObject({ ok: true });
  });
});

describe('the offline bundle', () => {
  let other: TestDatabase;
  beforeAll(async () => {
    other = await createTestDatabase();
  });
  afterAll(async () => {
    await other?.destroy();
  });

  it('verifies the exported bundle on another database with the same command, and names what a hand edit changed', async () => {
    const file = join(scratch, 'bundle.json');
    const exported = await verifyCommand([campaign.campaignId, '--export', file]);
    expect(exported.code, exported.stderr).toBe(0);

    const elsewhere = await verifyCommand(['--bundle', file, '--database', other.url]);
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(elsewhere.stdout).toContain('Kiểm chứng đạt');
    expect(await verdict(other.db)).toMatchObject({ ok: true });

    // A hand-edited bundle: one unit's published index is raised.
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { results: { unit_code: string; index_centi: number }[] };
    const edited = bundle.results[0]!;
    edited.index_centi += 1;
    const editedFile = join(scratch, 'edited.json');
    writeFileSync(editedFile, JSON.stringify(bundle));
    const offline = await verifyCommand(['--bundle', editedFile]);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain(`unit=${edited.unit_code}`);
    expect(offline.stderr).toContain('field=index_centi');
  });
});
