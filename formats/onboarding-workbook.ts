import ExcelJS from 'exceljs';
import { toBytes } from './framework-workbook';
import type { AccountRow, OrganisationRow, UnitRow } from '../domain/onboarding';
import { ONBOARDING_COLUMNS, ONBOARDING_INSTRUCTIONS, ONBOARDING_SHEET } from './onboarding-layout';
import { addInstructionsSheet, addTableSheet } from './table-sheet';

export interface OnboardingContent {
  organisations: readonly OrganisationRow[];
  units: readonly UnitRow[];
  accounts: readonly AccountRow[];
}

/**
 * The onboarding workbook in the layout of ./onboarding-layout.ts: with no
 * content, the template Sở Nội vụ downloads; with content, a province's
 * workbook (seed/ builds the demo province's this way). readOnboardingWorkbook
 * reads it back unchanged.
 */
export async function writeOnboardingWorkbook(content: OnboardingContent = { organisations: [], units: [], accounts: [] }): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  addInstructionsSheet(workbook, ONBOARDING_SHEET.instructions, ONBOARDING_INSTRUCTIONS);
  addTableSheet(workbook, ONBOARDING_SHEET.organisations, ONBOARDING_COLUMNS.organisations, content.organisations.map((row) => ({ ...row })));
  addTableSheet(workbook, ONBOARDING_SHEET.units, ONBOARDING_COLUMNS.units, content.units.map((row) => ({ ...row })));
  addTableSheet(workbook, ONBOARDING_SHEET.accounts, ONBOARDING_COLUMNS.accounts, content.accounts.map((row) => ({ ...row })));
  return toBytes(workbook);
}

export interface IssuedCredentialRow {
  username: string;
  full_name: string;
  /** The unit or organisation the account belongs to. */
  belongs_to: string | null;
  one_time_password: string;
  /** As printed for people: Asia/Ho_Chi_Minh. */
  expires_at: string;
}

const CREDENTIAL_COLUMNS = [
  { key: 'username', header: 'Tên đăng nhập', width: 34 },
  { key: 'full_name', header: 'Họ và tên', width: 30 },
  { key: 'belongs_to', header: 'Đơn vị / tổ chức', width: 30 },
  { key: 'one_time_password', header: 'Mật khẩu dùng một lần', width: 24 },
  { key: 'expires_at', header: 'Hết hạn lúc', width: 28 },
] as const;

/**
 * The new accounts' one-time passwords, for Sở Nội vụ to hand out: answered
 * once by the import and never stored (only each password's hash is). Every
 * cell goes through the formula guard as all workbooks here do.
 */
export async function writeCredentialsWorkbook(rows: readonly IssuedCredentialRow[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  addInstructionsSheet(workbook, 'Hướng dẫn', [
    'Mật khẩu dùng một lần của các tài khoản mới / One-time passwords of the new accounts',
    'Tệp này chỉ được tạo một lần; hệ thống không lưu mật khẩu. Trao riêng cho từng người; lần đăng nhập đầu phải đổi mật khẩu.',
    'This file is made once; the system keeps no password. Hand each to its person; the first login must change it.',
  ]);
  addTableSheet(workbook, 'Mật khẩu', CREDENTIAL_COLUMNS, rows.map((row) => ({ ...row })));
  return toBytes(workbook);
}
