import type ExcelJS from 'exceljs';

type Cell = string | number | boolean | null | undefined;

/** A sheet of one column of lines, the first in bold: the instructions every import workbook starts with. */
export function addInstructionsSheet(workbook: ExcelJS.Workbook, name: string, lines: readonly string[]): void {
  const instructions = workbook.addWorksheet(name);
  instructions.getColumn(1).width = 140;
  for (const line of lines) instructions.addRow([line]);
  instructions.getRow(1).font = { bold: true };
}

/** A data sheet: a bold, frozen header row of the columns, then one row per record, cells by column key. */
export function addTableSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly { key: string; header: string; width: number }[],
  rows: readonly Readonly<Record<string, Cell>>[],
): ExcelJS.Worksheet {
  const worksheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = columns.map((column) => ({ key: column.key, width: column.width }));
  const header = worksheet.addRow(columns.map((column) => column.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  for (const values of rows) worksheet.addRow(columns.map((column) => values[column.key] ?? null));
  return worksheet;
}
