import ExcelJS from 'exceljs';
import { z } from 'zod';
import { ROLES } from '../domain/actors';
import type { AccountRow, OnboardingIssue, OnboardingRows, OrganisationRow, Placed, UnitRow } from '../domain/onboarding';
import { ORGANISATION_KINDS } from '../domain/organisations';
import { codeText, emailText, nameText, unitCodeText, usernameText } from '../domain/text';
import { toValidationIssue } from '../domain/validation-messages';
import { asText, readCell } from './cells';
import { columnLetter, ONBOARDING_COLUMNS, ONBOARDING_SHEET, type OnboardingDataSheet } from './onboarding-layout';

/** What each column holds; blank optional cells are null. */
const CELL = {
  organisations: {
    code: unitCodeText(),
    name_vi: nameText(),
    kind: z.enum(ORGANISATION_KINDS),
  },
  units: {
    code: unitCodeText(),
    name_vi: nameText(),
    group_code: codeText(),
    group_name_vi: nameText(),
  },
  accounts: {
    username: usernameText(),
    full_name: nameText({ max: 200 }),
    email: emailText().nullable(),
    unit_code: unitCodeText().nullable(),
    organisation_code: unitCodeText().nullable(),
    role: z.enum(ROLES),
  },
} as const;

export type OnboardingRead = { ok: true; rows: OnboardingRows } | { ok: false; issues: OnboardingIssue[] };

/**
 * Larger workbooks are refused whole: a province has at most some thousands of units and accounts,
 * and each sheet is stored in one statement, whose parameters Postgres caps at 65,535 (about 10 per account).
 */
const MAX_ROWS = 5_000;

export function issueAt(sheet: string, row: number | undefined, column: string | undefined, code: string, vi: string, en: string): OnboardingIssue {
  const placeVi = [`trang "${sheet}"`, row === undefined ? '' : `dòng ${row}`, column === undefined ? '' : `cột ${column}`].filter(Boolean).join(', ');
  const placeEn = [`sheet "${sheet}"`, row === undefined ? '' : `row ${row}`, column === undefined ? '' : `column ${column}`].filter(Boolean).join(', ');
  return { sheet, row, column, code, message_vi: `${placeVi}: ${vi}`, message_en: `${placeEn}: ${en}` };
}

/**
 * Reads the three data sheets cell by cell. Every problem of form is reported
 * (missing sheet, wrong header, a cell that is not its column's kind of value)
 * with its place; rows come back only when there is none. References between
 * rows and to what is stored are checked by the import's plan (formats/onboarding-plan.ts).
 */
export async function readOnboardingWorkbook(data: Uint8Array): Promise<OnboardingRead> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
  } catch {
    return {
      ok: false,
      issues: [issueAt('(tệp)', undefined, undefined, 'unreadable_workbook', 'Không đọc được tệp Excel (.xlsx)', 'The file is not a readable Excel (.xlsx) workbook')],
    };
  }
  const issues: OnboardingIssue[] = [];
  const rows = {
    organisations: readSheet<OrganisationRow>(workbook, 'organisations', issues),
    units: readSheet<UnitRow>(workbook, 'units', issues),
    accounts: readSheet<AccountRow>(workbook, 'accounts', issues),
  };
  return issues.length > 0 ? { ok: false, issues } : { ok: true, rows };
}

/** The sheet's rows whose every cell is valid; the CELL schemas make each row a T. */
function readSheet<T>(workbook: ExcelJS.Workbook, key: OnboardingDataSheet, issues: OnboardingIssue[]): Placed<T>[] {
  const name = ONBOARDING_SHEET[key];
  const sheet = workbook.getWorksheet(name);
  if (!sheet) {
    issues.push(issueAt(name, undefined, undefined, 'missing_sheet', 'Thiếu trang tính này', 'This sheet is missing'));
    return [];
  }
  const layout = ONBOARDING_COLUMNS[key];
  const header = sheet.getRow(1);
  layout.forEach((column, index) => {
    const found = asText(readCell(header, index + 1));
    if (found !== column.header) {
      issues.push(
        issueAt(name, 1, columnLetter(index + 1), 'wrong_header', `Tiêu đề phải là "${column.header}", đang là "${found ?? ''}"`, `The header must be "${column.header}", found "${found ?? ''}"`),
      );
    }
  });
  if (sheet.rowCount > MAX_ROWS + 1) {
    issues.push(issueAt(name, undefined, undefined, 'too_many_rows', `Quá ${MAX_ROWS} dòng`, `More than ${MAX_ROWS} rows`));
    return [];
  }
  const schemas = CELL[key] as Record<string, z.ZodType>;
  const placed: Placed<T>[] = [];
  for (let number = 2; number <= sheet.rowCount; number += 1) {
    const row = sheet.getRow(number);
    const cells = layout.map((_, index) => readCell(row, index + 1));
    if (cells.every((cell) => cell === undefined)) continue;
    const value: Record<string, unknown> = {};
    let valid = true;
    layout.forEach((column, index) => {
      const raw = cells[index];
      const parsed = schemas[column.key]!.safeParse(raw === undefined ? null : typeof raw === 'string' ? raw : String(raw));
      if (parsed.success) {
        value[column.key] = parsed.data;
        return;
      }
      valid = false;
      for (const zodIssue of parsed.error.issues) {
        const { code, message } = zodIssue;
        const bilingual =
          raw === undefined
            ? { message_vi: 'Ô bắt buộc đang trống', message_en: 'This cell is required' }
            : toValidationIssue({ keyword: code, instancePath: '', message, params: { ...zodIssue } }, column.key);
        issues.push(issueAt(name, number, columnLetter(index + 1), raw === undefined ? 'required' : code, `${column.header}: ${bilingual.message_vi}`, `${column.header}: ${bilingual.message_en}`));
      }
    });
    if (valid) placed.push({ row: number, value: value as T });
  }
  return placed;
}
