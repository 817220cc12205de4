import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkSurveyRow, columnLetter, fileIssue, readSurveyHeader, surveyAnswerModel, type SurveyHeader } from '../../domain/survey-answers';
import { readCsvRows, readSurveyFile, readXlsxFile, spoolUpload, SurveyFileError, type FileRow } from '../../formats/survey-files';
import { createSurveyTemplateCsv, createSurveyTemplateWorkbook } from '../../formats/survey-template';
import { hanoi2019Campaign } from '../../seed/hanoi-2019';

const definition = hanoi2019Campaign({ slug: 'unit', unitsPerGroup: 2 });
const model = surveyAnswerModel(definition);

function header(cells: string[]): SurveyHeader {
  const read = readSurveyHeader(model, cells);
  if (!read.ok) throw new Error(JSON.stringify(read.issues));
  return read.header;
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('survey answer rows', () => {
  it('names columns as a spreadsheet does', () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });

  it('tells the long layout from the wide one by the header, in any column order, ignoring case and a BOM', () => {
    expect(header(['\uFEFFRespondent_ID', 'answer', 'unit_code', 'question_code', 'respondent_group'])).toMatchObject({
      layout: 'long',
      respondentId: 0,
      answer: 1,
      questionCode: 3,
    });
    expect(header(['respondent_id', 'respondent_group', 'unit_code', 's1', 'S10'])).toMatchObject({
      layout: 'wide',
      questionColumns: [
        [3, 'S1'],
        [4, 'S10'],
      ],
    });
  });

  it('reports a wrong header at row 1 with the column', () => {
    const read = readSurveyHeader(model, ['respondent_id', 'respondent_group', 'unit_code', 'S1', 'S11']);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.issues).toEqual([expect.objectContaining({ row: 1, column: 'E', field: 'S11', code: 'unknown_question' })]);
    const missing = readSurveyHeader(model, ['respondent_id', 'unit_code', 'question_code', 'answer']);
    expect(!missing.ok && missing.issues).toEqual([expect.objectContaining({ row: 1, column: 'E', field: 'respondent_group', code: 'bad_header' })]);
  });

  it('turns a long row into one answer with its weight in hundredths, "no opinion" with none', () => {
    const long = header(['respondent_id', 'respondent_group', 'unit_code', 'question_code', 'answer']);
    expect(checkSurveyRow(model, long, 2, [' P1 ', 'hdnd', 'snv', 's3', 'b'])).toEqual({
      answers: [{ row: 2, respondentId: 'P1', respondentGroup: 'HDND', unitCode: 'SNV', questionCode: 'S3', optionCode: 'B', weightHundredths: 60 }],
      issues: [],
    });
    expect(checkSurveyRow(model, long, 3, ['P1', 'HDND', 'SNV', 'S3', 'X']).answers[0]?.weightHundredths).toBeNull();
  });

  it('turns a wide row into one answer per filled question column', () => {
    const wide = header(['respondent_id', 'respondent_group', 'unit_code', 'S1', 'S2', 'S3']);
    const checked = checkSurveyRow(model, wide, 5, ['P1', 'LDSO', 'QUAN_BA_DINH', 'A', '', 'D']);
    expect(checked.issues).toEqual([]);
    expect(checked.answers.map((answer) => [answer.questionCode, answer.weightHundredths])).toEqual([
      ['S1', 100],
      ['S3', 0],
    ]);
  });

  it('reports every problem of a row at its column and keeps none of its answers', () => {
    const long = header(['respondent_id', 'respondent_group', 'unit_code', 'question_code', 'answer']);
    const checked = checkSurveyRow(model, long, 7, ['', 'LDSO', 'SNV', 'S1', 'F']);
    expect(checked.answers).toEqual([]);
    expect(checked.issues.map((found) => [found.column, found.code])).toEqual([
      ['A', 'missing_value'],
      ['B', 'unknown_respondent_group'],
      ['E', 'option_not_allowed'],
    ]);
    expect(checked.issues[2]!.message_vi).toBe('Dòng 7, cột E (answer): phương án "F" không được phép (A, B, C, D, X)');
    expect(checked.issues[2]!.message_en).toBe('Row 7, column E (answer): answer option "F" is not allowed (A, B, C, D, X)');
  });
});

describe('survey answer files', () => {
  it('reads CSV rows with their line numbers, semicolons, quotes, a BOM and blank lines', async () => {
    const text = '\uFEFFrespondent_id;respondent_group;unit_code;question_code;answer\r\n"P;1";HDND;SNV;S1;A\r\n\r\nP2;HDND;SNV;S1;B\r\n';
    expect(await collect(readCsvRows(Readable.from([Buffer.from(text)])))).toEqual([
      { row: 1, cells: ['respondent_id', 'respondent_group', 'unit_code', 'question_code', 'answer'] },
      { row: 2, cells: ['P;1', 'HDND', 'SNV', 'S1', 'A'] },
      { row: 4, cells: ['P2', 'HDND', 'SNV', 'S1', 'B'] },
    ]);
  });

  it('reports a CSV it cannot parse as unreadable, with its line', async () => {
    const error = await collect(readCsvRows(Readable.from([Buffer.from('a,b\n"unclosed,x\n')]))).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(SurveyFileError);
    expect((error as SurveyFileError).issue.code).toBe('unreadable_file');
  });

  it('reads the XLSX data sheet of a filled-in template and skips the instruction and reference sheets', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await createSurveyTemplateWorkbook(definition, 'long')).buffer as ArrayBuffer);
    book.getWorksheet('Dữ liệu')!.addRow(['P1', 'HDND', 'SNV', 'S1', 'A']);
    book.getWorksheet('Dữ liệu')!.addRow([1002, 'HDND', 'SNV', 'S2', 'X']);
    const path = join(mkdtempSync(join(tmpdir(), 'par-xlsx-')), 'filled.xlsx');
    writeFileSync(path, Buffer.from(await book.xlsx.writeBuffer()));
    expect(await collect(readSurveyFile(path, 'xlsx'))).toEqual([
      { row: 1, cells: ['respondent_id', 'respondent_group', 'unit_code', 'question_code', 'answer'] },
      { row: 2, cells: ['P1', 'HDND', 'SNV', 'S1', 'A'] },
      { row: 3, cells: ['1002', 'HDND', 'SNV', 'S2', 'X'] },
    ]);
  });

  it('reads an XLSX file again when a read finds no data sheet, and refuses it after the third', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'par-xlsx-')), 'any.xlsx');
    writeFileSync(path, 'bytes the fake readers never look at');
    const headerless = () => new SurveyFileError(fileIssue(1, 0, 'respondent_id', 'bad_header', 'không có tiêu đề', 'no header'));
    let reads = 0;
    // exceljs lost the shared strings once, then read the file whole.
    const lostOnce = async function* () {
      reads += 1;
      if (reads === 1) throw headerless();
      yield { row: 1, cells: ['respondent_id'] };
    };
    expect(await collect(readXlsxFile(path, lostOnce))).toEqual([{ row: 1, cells: ['respondent_id'] }]);
    expect(reads).toBe(2);

    // A reader whose every read fails with the given problem.
    const alwaysFailing = (problem: () => SurveyFileError) => (): AsyncIterable<FileRow> => ({
      [Symbol.asyncIterator]: () => ({
        next: () => {
          reads += 1;
          return Promise.reject(problem());
        },
      }),
    });
    reads = 0;
    const refused = await collect(readXlsxFile(path, alwaysFailing(headerless))).catch((failure: unknown) => failure);
    expect((refused as SurveyFileError).issue.code).toBe('bad_header');
    expect(reads).toBe(3);

    // Any other problem is the file's own: it is not read again.
    reads = 0;
    const unreadable = alwaysFailing(() => new SurveyFileError(fileIssue(0, -1, '', 'unreadable_file', 'hỏng', 'broken')));
    const broken = await collect(readXlsxFile(path, unreadable)).catch((failure: unknown) => failure);
    expect((broken as SurveyFileError).issue.code).toBe('unreadable_file');
    expect(reads).toBe(1);
  });

  it('writes the CSV template as a header row with a BOM, and the XLSX template with Vietnamese instructions first', async () => {
    expect(createSurveyTemplateCsv(definition, 'wide')).toBe('\uFEFF"respondent_id","respondent_group","unit_code","S1","S2","S3","S4","S5","S6","S7","S8","S9","S10"\r\n');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await createSurveyTemplateWorkbook(definition, 'wide')).buffer as ArrayBuffer);
    expect(book.worksheets[0]!.name).toBe('Hướng dẫn');
    const lines = book.worksheets[0]!.getColumn(1).values.map(String).join('\n');
    expect(lines).toContain('Không có ý kiến');
    expect(lines).toContain('làm tròn 2 chữ số thập phân');
  });

  it('spools an upload to a file with its sha256 and tells XLSX from CSV by its bytes', async () => {
    const csv = await spoolUpload(Readable.from([Buffer.from('abc')]), { maxBytes: 100 });
    expect(csv).toMatchObject({ format: 'csv', bytes: 3, checksum: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' });
    await csv.remove();
    const xlsx = await spoolUpload(Readable.from([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0])]), { maxBytes: 100 });
    expect(xlsx.format).toBe('xlsx');
    await xlsx.remove();
    await expect(spoolUpload(Readable.from([Buffer.alloc(200)]), { maxBytes: 100 })).rejects.toBeInstanceOf(SurveyFileError);
  });
});
