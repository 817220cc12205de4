import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { fileIssue, type FileIssue } from '../domain/survey-answers';
import { readCell } from './cells';

/**
 * Survey answer files as streams of rows of text cells, in bounded
 * memory: an upload is spooled to a temporary file while its sha256 is
 * computed (so a file seen before is recognised before it is read), then read
 * row by row — CSV with csv-parse, XLSX with exceljs's streaming reader.
 */

export type SurveyFileFormat = 'csv' | 'xlsx';

/** One row of the file: its number as a spreadsheet shows it (1 = header) and its cells as text. */
export interface FileRow {
  readonly row: number;
  readonly cells: string[];
}

/** A file that cannot be read at all (broken quoting, not a workbook, too large). */
export class SurveyFileError extends Error {
  constructor(readonly issue: FileIssue) {
    super(issue.message_en);
    this.name = 'SurveyFileError';
  }
}

export interface SpooledFile {
  readonly path: string;
  readonly checksum: string;
  readonly bytes: number;
  readonly format: SurveyFileFormat;
  /** Deletes the temporary file. */
  remove(): Promise<void>;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * Writes the stream to a temporary file, hashing it on the way. Stops with a
 * SurveyFileError past maxBytes. The format is read from the bytes: an XLSX
 * workbook is a zip (PK\3\4); anything else is taken as CSV.
 */
export async function spoolUpload(source: Readable, options: { maxBytes: number; dir?: string }): Promise<SpooledFile> {
  const path = join(options.dir ?? tmpdir(), `par-survey-${randomBytes(8).toString('hex')}.upload`);
  const hash = createHash('sha256');
  let bytes = 0;
  const head: number[] = [];
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        done(
          new SurveyFileError(
            fileIssue(0, -1, '', 'unreadable_file', `tệp lớn quá ${Math.round(options.maxBytes / 1024 / 1024)} MiB`, `the file is larger than ${Math.round(options.maxBytes / 1024 / 1024)} MiB`),
          ),
        );
        return;
      }
      for (let i = 0; head.length < 4 && i < chunk.length; i++) head.push(chunk[i]!);
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const remove = () => rm(path, { force: true });
  try {
    await pipeline(source, meter, createWriteStream(path));
  } catch (error) {
    await remove();
    throw error;
  }
  const format: SurveyFileFormat = ZIP_MAGIC.every((byte, i) => head[i] === byte) ? 'xlsx' : 'csv';
  return { path, checksum: hash.digest('hex'), bytes, format, remove };
}

export function readSurveyFile(path: string, format: SurveyFileFormat): AsyncIterable<FileRow> {
  return format === 'xlsx' ? readXlsxFile(path) : readCsvRows(createReadStream(path));
}

/** Reads of one XLSX file before it is called headerless; under load about one read in a hundred loses entries. */
const XLSX_READS = 3;

/**
 * exceljs's streaming reader now and then loses zip entries as it iterates the
 * archive (exceljs/exceljs#3064, #683; 8 of 900 reads of a filled-in template
 * under CPU load here): a sheet, or the shared strings its header row refers to. The data
 * sheet then goes unrecognised and not one of its rows has been read, so the
 * file on disk is read again before it is refused as having no header.
 */
export async function* readXlsxFile(path: string, readRows: (source: Readable) => AsyncIterable<FileRow> = readXlsxRows): AsyncGenerator<FileRow> {
  for (let read = 1; ; read++) {
    try {
      yield* readRows(createReadStream(path));
      return;
    } catch (error) {
      const headerless = error instanceof SurveyFileError && error.issue.code === 'bad_header';
      if (!headerless || read === XLSX_READS) throw error;
    }
  }
}

/**
 * CSV rows. UTF-8 (a BOM, as Excel's "CSV UTF-8" writes, is skipped); comma,
 * semicolon (Excel in Vietnamese locale) or tab as delimiter; quoted fields may
 * hold delimiters and line breaks; empty lines are skipped. The row number is
 * the line on which the record ends.
 */
export async function* readCsvRows(source: Readable): AsyncGenerator<FileRow> {
  const parser = parse({ bom: true, delimiter: [',', ';', '\t'], relax_column_count: true, skip_empty_lines: true, info: true });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { row: info.lines, cells: record };
    }
  } catch (error) {
    if (error instanceof SurveyFileError) throw error;
    const line = typeof (error as { lines?: unknown }).lines === 'number' ? (error as { lines: number }).lines : 0;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SurveyFileError(fileIssue(line, -1, '', 'unreadable_file', `không đọc được tệp CSV (${reason})`, `the CSV file cannot be read (${reason})`));
  } finally {
    source.unpipe(parser);
    source.destroy();
  }
}

/**
 * XLSX rows of the data sheet: the first worksheet whose first row has a
 * respondent_id column, so the template's instruction and reference sheets
 * (and any sheet the institute adds) are skipped whatever their order or name.
 * Read with exceljs's streaming reader; shared strings are cached (Excel
 * stores each distinct text once).
 */
async function* readXlsxRows(source: Readable): AsyncGenerator<FileRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  // exceljs 4 reads sheet names from xl/workbook.xml; in a zip where a worksheet comes first
  // (as exceljs itself writes a loaded workbook) it would dereference the missing model.
  const withModel = reader as unknown as { model?: { sheets: unknown[] } };
  withModel.model ??= { sheets: [] };
  let found = false;
  try {
    for await (const worksheet of reader) {
      let isData: boolean | undefined;
      for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
        if (isData === false) continue;
        const cells: string[] = [];
        for (let column = 1; column <= row.cellCount; column++) {
          const value = readCell(row, column);
          cells.push(value === undefined ? '' : String(value));
        }
        if (isData === undefined) {
          isData = !found && cells.some((cell) => cell.trim().toLowerCase() === 'respondent_id');
          if (!isData) continue;
          found = true;
        }
        yield { row: row.number, cells };
      }
    }
  } catch (error) {
    if (error instanceof SurveyFileError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SurveyFileError(fileIssue(0, -1, '', 'unreadable_file', `không đọc được tệp Excel (${reason})`, `the Excel file cannot be read (${reason})`));
  } finally {
    source.destroy();
  }
  if (!found) {
    throw new SurveyFileError(
      fileIssue(1, 0, 'respondent_id', 'bad_header', 'không có trang nào có dòng tiêu đề với cột respondent_id', 'no worksheet has a header row with a respondent_id column'),
    );
  }
}
