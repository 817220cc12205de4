import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDefinition } from '../../domain/campaign';
import { aggregateAnswerCounts, computeSurveyPoints, type SurveyQuestionAggregate } from '../../domain/scoring/survey';
import { rowsOf } from '../../db/raw-rows';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';
import { farTimeline } from './helpers/deadlines';
import { bearerAs, SNV_ADMIN, startStack, uniqueSlug, type TestStack } from './helpers/stack';

/**
 * Survey answers against the real API, Postgres and survey workflow.
 * Each test creates its own campaign with two units per group: departments SNV
 * and VP, districts QUAN_BA_DINH and QUAN_HOAN_KIEM. Every group's survey has
 * questions S1..S10 worth 3 points (300 hundredths) and options A = 1.0,
 * B = 0.6, C = 0.2, D = 0, X = "no opinion" (no weight).
 */

let stack: TestStack;
let INSTITUTE: Record<string, string>;
beforeAll(async () => {
  stack = await startStack();
  INSTITUTE = await bearerAs('institute', undefined, 'vien-ncpt');
});
afterAll(async () => {
  await stack?.stop();
});

type Answer = readonly [respondent: string, group: string, unit: string, question: string, answer: string];

const HDND = (n: number) => [`P0${n}`, 'HDND'] as const;
const DNDN = (n: number) => [`P0${n}`, 'DNDN'] as const;

/**
 * The hand-computed dataset. Question points = 3 × mean weight of the valid
 * answers = 300 × Σweight% / (100 × valid) hundredths, rounded half-up:
 *
 *   SNV   S1  A B B X       valid 3, Σ 100+60+60 = 220      → 300·220/300  = 220      → 2,20
 *         S2  A C D         valid 3, Σ 100+20+0  = 120      → 300·120/300  = 120      → 1,20
 *         S3  B C           valid 2, Σ 60+20     = 80       → 300·80/200   = 120      → 1,20
 *         S4  A A B B C D D valid 7, Σ 340                  → 300·340/700  = 145,71…  → 1,46
 *         S5  A D×7 X       valid 8, Σ 100                  → 300·100/800  = 37,5     → 0,38 (half-up)
 *         S6..S10 no answer                                  → 0
 *         unit: 220 + 120 + 120 + 146 + 38 = 644             → 6,44
 *   QUAN_BA_DINH  S1 X only (valid 0 → 0); S2 B B C (Σ 140, valid 3 → 140);
 *                 S10 C C C A (Σ 160, valid 4 → 300·160/400 = 120)  → 260 → 2,60
 *   VP            S1 B → 180 → 1,80        QUAN_HOAN_KIEM  S1 B → 180 → 1,80
 *
 * Valid answers per respondent group for SNV: HDND (P01–P05) 3+3+2+5+5 = 18,
 * DNDN (P06–P09) 2+3 = 5; respondents HDND 5, DNDN 4 (P09 only said "no opinion").
 */
const HAND_DATASET: Answer[] = [
  [...HDND(1), 'SNV', 'S1', 'A'], [...HDND(2), 'SNV', 'S1', 'B'], [...HDND(3), 'SNV', 'S1', 'B'], [...HDND(4), 'SNV', 'S1', 'X'],
  [...HDND(1), 'SNV', 'S2', 'A'], [...HDND(2), 'SNV', 'S2', 'C'], [...HDND(3), 'SNV', 'S2', 'D'],
  [...HDND(1), 'SNV', 'S3', 'B'], [...HDND(2), 'SNV', 'S3', 'C'],
  [...HDND(1), 'SNV', 'S4', 'A'], [...HDND(2), 'SNV', 'S4', 'A'], [...HDND(3), 'SNV', 'S4', 'B'], [...HDND(4), 'SNV', 'S4', 'B'],
  [...HDND(5), 'SNV', 'S4', 'C'], [...DNDN(6), 'SNV', 'S4', 'D'], [...DNDN(7), 'SNV', 'S4', 'D'],
  [...HDND(1), 'SNV', 'S5', 'A'], [...HDND(2), 'SNV', 'S5', 'D'], [...HDND(3), 'SNV', 'S5', 'D'], [...HDND(4), 'SNV', 'S5', 'D'],
  [...HDND(5), 'SNV', 'S5', 'D'], [...DNDN(6), 'SNV', 'S5', 'D'], [...DNDN(7), 'SNV', 'S5', 'D'], [...DNDN(8), 'SNV', 'S5', 'D'],
  [...DNDN(9), 'SNV', 'S5', 'X'],
  [...HDND(1), 'QUAN_BA_DINH', 'S1', 'X'],
  [...HDND(1), 'QUAN_BA_DINH', 'S2', 'B'], [...HDND(2), 'QUAN_BA_DINH', 'S2', 'B'], [...HDND(3), 'QUAN_BA_DINH', 'S2', 'C'],
  [...HDND(1), 'QUAN_BA_DINH', 'S10', 'C'], [...HDND(2), 'QUAN_BA_DINH', 'S10', 'C'], [...HDND(3), 'QUAN_BA_DINH', 'S10', 'C'],
  [...DNDN(6), 'QUAN_BA_DINH', 'S10', 'A'],
  [...HDND(1), 'VP', 'S1', 'B'],
  [...DNDN(6), 'QUAN_HOAN_KIEM', 'S1', 'B'],
];
const HAND_POINTS = { SNV: 644, QUAN_BA_DINH: 260, VP: 180, QUAN_HOAN_KIEM: 180 };

const QUESTIONS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10'];

function longCsv(answers: readonly Answer[], separator = ','): string {
  return ['respondent_id,respondent_group,unit_code,question_code,answer', ...answers.map((row) => row.join(separator))].join('\n').replaceAll(',', separator) + '\n';
}

/** One row per respondent × unit, a column per question, blank where not asked. */
function wideRows(answers: readonly Answer[]): string[][] {
  const rows = new Map<string, string[]>();
  for (const [respondent, group, unit, question, answer] of answers) {
    const key = `${respondent}|${unit}`;
    const row = rows.get(key) ?? [respondent, group, unit, ...QUESTIONS.map(() => '')];
    row[3 + QUESTIONS.indexOf(question)] = answer;
    rows.set(key, row);
  }
  return [['respondent_id', 'respondent_group', 'unit_code', ...QUESTIONS], ...rows.values()];
}

async function xlsx(rows: readonly (readonly string[])[], sheets: { before?: string } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  if (sheets.before) workbook.addWorksheet(sheets.before).addRow(['Hướng dẫn: nhập ở trang Dữ liệu']);
  const sheet = workbook.addWorksheet('Dữ liệu');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function createCampaign(): Promise<{ campaignId: string; definition: CampaignDefinition }> {
  const slug = uniqueSlug();
  const definition = hanoi2019Campaign({ slug, unitsPerGroup: 2, timeline: farTimeline() });
  const created = await stack.app.inject({ method: 'POST', url: '/campaigns', payload: definition, headers: SNV_ADMIN });
  expect(created.statusCode).toBe(201);
  return { campaignId: `par-2019-${slug}`, definition };
}

function upload(campaignId: string, body: string | Buffer, headers: Record<string, string> = INSTITUTE, contentType = 'text/csv') {
  return stack.app.inject({
    method: 'POST',
    url: `/campaigns/${campaignId}/survey/answers`,
    payload: body,
    headers: { ...headers, 'content-type': contentType },
  });
}

async function points(campaignId: string, query = '') {
  const response = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/survey/points${query}`, headers: INSTITUTE });
  expect(response.statusCode).toBe(200);
  return response.json() as {
    import: { checksum: string; answers: number; import_id: string } | null;
    units: {
      unit_code: string;
      points_centi: number;
      valid_answers: number;
      respondents: number;
      flags: string[];
      questions_below_minimum: string[];
      questions: { code: string; valid_count: number; sum_weight_hundredths: number; points_centi: number }[];
      respondent_groups: { code: string; valid_answers: number; respondents: number }[];
    }[];
  };
}

const pointsByUnit = (report: Awaited<ReturnType<typeof points>>) => Object.fromEntries(report.units.map((unit) => [unit.unit_code, unit.points_centi]));

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('survey answer import and points', () => {
  it('reproduces the hand-computed points to the hundredth, with counts per respondent group and flags', async () => {
    const { campaignId } = await createCampaign();
    const imported = await upload(campaignId, longCsv(HAND_DATASET));
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({
      created: true,
      summary: { campaign_id: campaignId, format: 'csv', layout: 'long', file_rows: HAND_DATASET.length, answers: HAND_DATASET.length, valid_answers: HAND_DATASET.length - 3 /* three X */, units: 4 },
    });

    const report = await points(campaignId, '?min_valid_answers=3');
    expect(pointsByUnit(report)).toEqual(HAND_POINTS);
    const snv = report.units.find((unit) => unit.unit_code === 'SNV')!;
    expect(snv.questions.slice(0, 5).map((question) => [question.code, question.valid_count, question.sum_weight_hundredths, question.points_centi])).toEqual([
      ['S1', 3, 220, 220],
      ['S2', 3, 120, 120],
      ['S3', 2, 80, 120],
      ['S4', 7, 340, 146],
      ['S5', 8, 100, 38],
    ]);
    expect(snv.respondent_groups).toEqual([
      { code: 'HDND', valid_answers: 18, respondents: 5 },
      { code: 'LDHUYEN', valid_answers: 0, respondents: 0 },
      { code: 'DNDN', valid_answers: 5, respondents: 4 },
    ]);
    expect(snv).toMatchObject({ valid_answers: 23, respondents: 9, flags: ['few_answers'] });
    // minimum 3 valid answers per question: S3 has 2, S6..S10 none.
    expect(snv.questions_below_minimum).toEqual(['S3', 'S6', 'S7', 'S8', 'S9', 'S10']);
  });

  it("scores the import's tallies exactly as domain/scoring computeSurveyPoints scores the same answers counted one by one", async () => {
    const { campaignId, definition } = await createCampaign();
    // A pseudo-random dataset (fixed seed): 60 respondents rate every unit on every question, ~15 % skipped.
    let seed = 20191209;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const answers: Answer[] = [];
    for (let respondent = 1; respondent <= 60; respondent++) {
      const group = respondent % 2 === 0 ? 'HDND' : 'DNDN';
      for (const unit of definition.units) {
        for (const question of QUESTIONS) {
          if (next() < 0.15) continue;
          answers.push([`R${respondent}`, group, unit.code, question, 'ABCDX'[Math.floor(next() * 5)]!]);
        }
      }
    }
    expect((await upload(campaignId, longCsv(answers))).statusCode).toBe(201);
    const report = await points(campaignId);

    for (const unit of definition.units) {
      const survey = definition.framework.groups[unit.group]!.survey;
      const aggregates: SurveyQuestionAggregate[] = QUESTIONS.map((question) => {
        const counts: Record<string, number> = {};
        for (const [, , code, q, option] of answers) if (code === unit.code && q === question) counts[option] = (counts[option] ?? 0) + 1;
        const aggregate = aggregateAnswerCounts(survey, question, counts);
        if (!aggregate.ok) throw new Error(aggregate.error.message_en);
        return aggregate.value;
      });
      const domain = computeSurveyPoints(survey, { kind: 'aggregates', questions: aggregates });
      if (!domain.ok) throw new Error('domain refused the aggregates');
      const sql = report.units.find((line) => line.unit_code === unit.code)!;
      expect(sql.points_centi).toBe(domain.value.pointsCenti);
      expect(sql.questions.map((question) => question.points_centi)).toEqual(domain.value.questions!.map((line) => line.pointsCenti));
      expect(sql.questions.map((question) => [question.valid_count, question.sum_weight_hundredths])).toEqual(
        aggregates.map((aggregate) => [aggregate.validCount, aggregate.sumWeightHundredths]),
      );
    }
  });

  it('tallies each import once, drops a replaced import with its tallies, and backfills the tallies of imports stored before them', async () => {
    const { campaignId } = await createCampaign();
    const tallies = async (importId: string) => ({
      questions: rowsOf(
        await stack.database.db.execute(sql`
          select unit_code, question_code, answers, valid_count, sum_weight_hundredths from survey_question_tallies
          where import_id = ${importId} order by 1, 2`),
      ),
      groups: rowsOf(
        await stack.database.db.execute(sql`
          select unit_code, respondent_group, valid_answers, respondents from survey_group_tallies where import_id = ${importId} order by 1, 2`),
      ),
    });
    const first = await upload(campaignId, longCsv(HAND_DATASET));
    expect(first.statusCode).toBe(201);
    const firstId = first.json().summary.import_id as string;
    // SNV's S4 (A A B B C D D) and its respondents' groups, as the hand-computed dataset has them.
    const stored = await tallies(firstId);
    expect(stored.questions).toContainEqual({ unit_code: 'SNV', question_code: 'S4', answers: 7, valid_count: 7, sum_weight_hundredths: 340 });
    expect(stored.groups).toContainEqual({ unit_code: 'SNV', respondent_group: 'DNDN', valid_answers: 5, respondents: 4 });

    // A database migrated before the tallies (every import of this test file's database, without them): the
    // migration's own backfill statements rebuild them the same.
    await stack.database.db.execute(sql`delete from survey_question_tallies`);
    await stack.database.db.execute(sql`delete from survey_group_tallies`);
    const migration = readFileSync(new URL('../../db/migrations/0013_survey_tallies.sql', import.meta.url), 'utf8');
    const backfill = migration.split('--> statement-breakpoint').filter((statement) => /^\s*(--[^\n]*\n\s*)*INSERT/.test(statement));
    expect(backfill).toHaveLength(2);
    for (const statement of backfill) await stack.database.db.execute(sql.raw(statement));
    expect(await tallies(firstId)).toEqual(stored);
    expect(pointsByUnit(await points(campaignId))).toEqual(HAND_POINTS);

    const second = await upload(campaignId, longCsv(HAND_DATASET.slice(0, -1)));
    expect(second.statusCode).toBe(201);
    expect(await tallies(firstId)).toEqual({ questions: [], groups: [] });
    expect((await tallies(second.json().summary.import_id as string)).questions.length).toBeGreaterThan(0);
  });

  it('gives the same points from the long and the wide layout, and from CSV and XLSX', async () => {
    const { campaignId } = await createCampaign();
    const wide = wideRows(HAND_DATASET);
    const variants: [string, string | Buffer, string][] = [
      ['long csv (semicolons)', longCsv(HAND_DATASET, ';'), 'text/csv'],
      ['wide csv', wide.map((row) => row.join(',')).join('\r\n'), 'text/csv'],
      ['long xlsx', await xlsx([['respondent_id', 'respondent_group', 'unit_code', 'question_code', 'answer'], ...HAND_DATASET]), 'application/octet-stream'],
      ['wide xlsx after an instructions sheet', await xlsx(wide, { before: 'Hướng dẫn' }), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ];
    for (const [name, body, type] of variants) {
      const response = await upload(campaignId, body, INSTITUTE, type);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(201);
      expect(response.json().summary.answers, name).toBe(HAND_DATASET.length);
      expect(pointsByUnit(await points(campaignId)), name).toEqual(HAND_POINTS);
    }
    const last = await points(campaignId);
    expect(last.import).toMatchObject({ answers: HAND_DATASET.length });
  });

  it('changes nothing when the same file is imported again and answers with the earlier summary', async () => {
    const { campaignId } = await createCampaign();
    const file = longCsv(HAND_DATASET);
    const first = await upload(campaignId, file);
    expect(first.statusCode).toBe(201);
    const again = await upload(campaignId, file);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), created: false });
    const report = await points(campaignId);
    expect(report.import).toMatchObject({ import_id: first.json().summary.import_id, answers: HAND_DATASET.length });
    const events = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/events`, headers: SNV_ADMIN });
    expect((events.json() as { action: string }[]).filter((event) => event.action === 'survey_answers_imported')).toHaveLength(1);
  });

  it('rejects malformed files with the row and column of every problem and stores nothing', async () => {
    const { campaignId } = await createCampaign();
    const good = await upload(campaignId, longCsv(HAND_DATASET.slice(0, 3)));
    expect(good.statusCode).toBe(201);
    const before = await points(campaignId);

    const header = 'respondent_id,respondent_group,unit_code,question_code,answer';
    const bad = [
      header,
      'P01,HDND,SNV,S1,A', // row 2 fine
      'P02,HDND,STP_KHONG_CO,S1,A', // row 3: unknown unit (column C)
      'P03,HDND,SNV,S99,A', // row 4: unknown question (D)
      'P04,HDND,SNV,S1,E', // row 5: option not allowed (E)
      'P05,,SNV,S1,A', // row 6: missing respondent group (B)
      'P06,LDSO,SNV,S1,A', // row 7: LDSO is a district respondent group, not a department one (B)
      'P01,HDND,SNV,S1,B', // row 8: P01 already answered S1 about SNV on row 2
      'P01,DNDN,SNV,S2,B', // row 9: P01 is HDND on row 2
    ].join('\n');
    const refused = await upload(campaignId, bad);
    expect(refused.statusCode).toBe(400);
    const body = refused.json();
    expect(body.error).toBe('validation_failed');
    expect(body.message_vi).toContain('7 lỗi');
    expect(body.issues.map((found: { path: unknown[]; code: string }) => [found.path, found.code])).toEqual([
      [[3, 'C', 'unit_code'], 'unknown_unit'],
      [[4, 'D', 'question_code'], 'unknown_question'],
      [[5, 'E', 'answer'], 'option_not_allowed'],
      [[6, 'B', 'respondent_group'], 'missing_respondent_group'],
      [[7, 'B', 'respondent_group'], 'unknown_respondent_group'],
      [[8], 'duplicate_answer'],
      [[9, 'B', 'respondent_group'], 'respondent_group_conflict'],
    ]);
    expect(body.issues[0].message_vi).toMatch(/^Dòng 3, cột C \(unit_code\): đơn vị "STP_KHONG_CO" không thuộc đợt đánh giá/);
    expect(body.issues[5].message_en).toContain('on row 2');

    const badHeader = await upload(campaignId, 'respondent_id,nhom,unit_code,question_code,answer\nP01,HDND,SNV,S1,A\n');
    expect(badHeader.statusCode).toBe(400);
    expect(badHeader.json().issues.map((found: { path: unknown[]; code: string }) => [found.path, found.code])).toEqual([
      [[1, 'B', 'nhom'], 'bad_header'],
      [[1, 'F', 'respondent_group'], 'bad_header'],
    ]);

    const wideBad = await upload(campaignId, 'respondent_id,respondent_group,unit_code,S1,S2\nP01,HDND,SNV,A,Z\n');
    expect(wideBad.json().issues).toEqual([expect.objectContaining({ path: [2, 'E', 'S2'], code: 'option_not_allowed' })]);

    // Nothing of the refused files was stored: the earlier import is still the current one, unchanged.
    const after = await points(campaignId);
    expect(after.import).toEqual(before.import);
    expect(pointsByUnit(after)).toEqual(pointsByUnit(before));
  });

  it('lists at most 1000 problems and says how many more there are', async () => {
    const { campaignId } = await createCampaign();
    const rows = ['respondent_id,respondent_group,unit_code,question_code,answer'];
    for (let i = 0; i < 1500; i++) rows.push(`R${i},HDND,SNV,S1,Q`);
    const refused = await upload(campaignId, rows.join('\n'));
    expect(refused.statusCode).toBe(400);
    const issues = refused.json().issues as { code: string; message_en: string }[];
    expect(issues).toHaveLength(1001);
    expect(issues.at(-1)).toMatchObject({ code: 'more_issues', message_en: '500 more problems not listed' });
    expect((await points(campaignId)).import).toBeNull();
  });

  it('lets only the institute and Sở Nội vụ import answers', async () => {
    const { campaignId } = await createCampaign();
    for (const role of ['unit', 'coordinator', 'council'] as const) {
      const refused = await upload(campaignId, longCsv(HAND_DATASET), await bearerAs(role, role === 'unit' ? 'SNV' : undefined));
      expect(refused.statusCode, role).toBe(403);
    }
    expect((await upload(campaignId, longCsv(HAND_DATASET), {})).statusCode).toBe(401);
    expect((await upload(campaignId, longCsv(HAND_DATASET), SNV_ADMIN)).statusCode).toBe(201);
  });

  it('serves the template as xlsx with Vietnamese instructions and as csv, and imports the xlsx template once filled in', async () => {
    const { campaignId } = await createCampaign();
    const workbook = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/survey/answers/template?layout=wide`, headers: INSTITUTE });
    expect(workbook.statusCode).toBe(200);
    expect(workbook.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['Hướng dẫn', 'Dữ liệu', 'Đơn vị', 'Câu hỏi', 'Phương án trả lời', 'Đối tượng khảo sát']);
    expect(String(book.getWorksheet('Hướng dẫn')!.getCell('A1').value)).toContain('ĐIỀU TRA XÃ HỘI HỌC');
    expect(book.getWorksheet('Dữ liệu')!.getRow(1).values).toEqual([undefined, 'respondent_id', 'respondent_group', 'unit_code', ...QUESTIONS]);

    const csv = await stack.app.inject({ method: 'GET', url: `/campaigns/${campaignId}/survey/answers/template?layout=long&format=csv`, headers: INSTITUTE });
    expect(csv.body).toBe('\uFEFF"respondent_id","respondent_group","unit_code","question_code","answer"\r\n');

    // The template filled in: the reader skips the instruction and reference sheets.
    const data = book.getWorksheet('Dữ liệu')!;
    for (const row of wideRows(HAND_DATASET).slice(1)) data.addRow(row);
    const filled = await upload(campaignId, Buffer.from(await book.xlsx.writeBuffer()), INSTITUTE, 'application/octet-stream');
    expect(filled.statusCode, filled.body).toBe(201);
    expect(pointsByUnit(await points(campaignId))).toEqual(HAND_POINTS);
  });

  it('submits the computed points to the survey track, after which the answers are frozen (409)', async () => {
    const { campaignId } = await createCampaign();
    const base = `/campaigns/${campaignId}/survey`;
    const post = (url: string, payload: object, headers: Record<string, string>) => stack.app.inject({ method: 'POST', url, payload, headers });
    await eventually(() => stack.app.inject({ method: 'GET', url: base, headers: INSTITUTE }), (response) => response.statusCode === 200, 'the survey workflow');

    const noAnswers = await post(`${base}/points/submit`, {}, INSTITUTE);
    expect(noAnswers.statusCode).toBe(409);
    expect(noAnswers.json().error).toBe('no_survey_answers');

    expect((await upload(campaignId, longCsv(HAND_DATASET))).statusCode).toBe(201);
    expect((await post(`${base}/plan`, { document: { name: 'ke-hoach.pdf', ref: 'plan' } }, INSTITUTE)).statusCode).toBe(200);
    expect((await post(`${base}/plan/review`, { approve: true }, SNV_ADMIN)).statusCode).toBe(200);
    expect((await post(`${base}/fieldwork/open`, {}, INSTITUTE)).statusCode).toBe(200);
    expect((await post(`${base}/fieldwork/close`, {}, INSTITUTE)).statusCode).toBe(200);

    const byAdmin = await post(`${base}/points/submit`, {}, SNV_ADMIN);
    expect(byAdmin.statusCode).toBe(403);
    const submitted = await post(`${base}/points/submit`, {}, INSTITUTE);
    expect(submitted.statusCode, submitted.body).toBe(200);
    const checksum = (await points(campaignId)).import!.checksum;
    expect(submitted.json()).toMatchObject({ source: `import:${checksum}`, progress: { status: 'accepted', units_covered: 4 } });
    expect(Object.fromEntries(submitted.json().points.map((point: { unit_code: string; points_centi: number }) => [point.unit_code, point.points_centi]))).toEqual(HAND_POINTS);

    // The survey workflow projects 'accepted' into the read model before the update returns.
    const frozen = await upload(campaignId, longCsv(HAND_DATASET.slice(1)));
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json()).toMatchObject({ error: 'survey_answers_frozen' });
    expect(pointsByUnit(await points(campaignId))).toEqual(HAND_POINTS);
  });

  it('documents the survey answer routes in the OpenAPI document', async () => {
    const document = (await stack.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/campaigns/{campaignId}/survey/answers',
        '/campaigns/{campaignId}/survey/answers/template',
        '/campaigns/{campaignId}/survey/points',
        '/campaigns/{campaignId}/survey/points/submit',
      ]),
    );
  });
});
