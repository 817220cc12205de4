import ExcelJS from 'exceljs';
import { toBytes } from './framework-workbook';

/**
 * The coordinators' progress report as a workbook, laid out like the annexes
 * of a results decision (title, subtitle, a bold header row, STT first): a
 * sheet `Tổng hợp` with the count of units per stage and status, and a sheet
 * `Danh sách đơn vị` with one row per unit. Text arrives already in Vietnamese;
 * dates as dd/mm/yyyy strings (Asia/Ho_Chi_Minh), so no reader's locale shifts them.
 */

export const PROGRESS_SUMMARY_HEADERS = ['Giai đoạn', 'Chưa bắt đầu', 'Đang làm dở', 'Đã nộp', 'Nộp muộn', 'Quá hạn', 'Hoàn thành', 'Tổng số'] as const;

export const PROGRESS_UNIT_HEADERS = [
  'STT',
  'Mã đơn vị',
  'Đơn vị',
  'Nhóm',
  'Giai đoạn',
  'Tình trạng',
  'Hoạt động gần nhất',
  'Hạn tiếp theo',
  'Ngày hết hạn',
  'Số ngày còn lại',
  'Ghi chú',
] as const;

export interface ProgressSummaryRow {
  readonly stageVi: string;
  /** In the order of PROGRESS_SUMMARY_HEADERS: not started, draft, submitted, late, overdue, done. */
  readonly counts: readonly [number, number, number, number, number, number];
  readonly total: number;
}

export interface ProgressUnitRow {
  readonly unitCode: string;
  readonly nameVi: string;
  readonly groupVi: string;
  readonly stageVi: string;
  readonly statusVi: string;
  readonly lastActivity: string;
  readonly nextDeadlineVi: string;
  readonly nextDeadlineDate: string;
  readonly daysLeft: number | null;
  readonly notesVi: string;
}

export async function exportProgressWorkbook(input: {
  readonly titleVi: string;
  readonly subtitleVi: string;
  readonly summary: readonly ProgressSummaryRow[];
  readonly units: readonly ProgressUnitRow[];
}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();

  const summary = workbook.addWorksheet('Tổng hợp');
  summary.addRow([input.titleVi]).font = { bold: true, size: 13 };
  summary.addRow([input.subtitleVi]).font = { italic: true };
  header(summary.addRow([...PROGRESS_SUMMARY_HEADERS]));
  for (const row of input.summary) summary.addRow([row.stageVi, ...row.counts, row.total]);
  const totals = input.summary.reduce((sum, row) => sum.map((value, index) => value + (row.counts[index] ?? 0)), [0, 0, 0, 0, 0, 0]);
  summary.addRow(['Tổng cộng', ...totals, input.summary.reduce((sum, row) => sum + row.total, 0)]).font = { bold: true };
  summary.getColumn(1).width = 26;
  for (let column = 2; column <= PROGRESS_SUMMARY_HEADERS.length; column++) summary.getColumn(column).width = 13;

  const units = workbook.addWorksheet('Danh sách đơn vị');
  units.addRow([input.titleVi]).font = { bold: true, size: 13 };
  units.addRow([input.subtitleVi]).font = { italic: true };
  header(units.addRow([...PROGRESS_UNIT_HEADERS]));
  input.units.forEach((row, index) => {
    units.addRow([
      index + 1,
      row.unitCode,
      row.nameVi,
      row.groupVi,
      row.stageVi,
      row.statusVi,
      row.lastActivity,
      row.nextDeadlineVi,
      row.nextDeadlineDate,
      row.daysLeft ?? '',
      row.notesVi,
    ]);
  });
  [6, 16, 45, 30, 20, 14, 18, 26, 13, 10, 40].forEach((width, index) => (units.getColumn(index + 1).width = width));
  units.views = [{ state: 'frozen', ySplit: 3 }];
  return toBytes(workbook);
}

function header(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { wrapText: true, horizontal: 'center', vertical: 'middle' };
}
