import type ExcelJS from 'exceljs';

/**
 * Spreadsheet formula injection (OWASP "CSV injection"): a text cell that
 * starts with = + - @ (or a tab or carriage return, which some programs strip
 * before looking) is run as a formula when the file is opened or re-saved as
 * CSV, e.g. `=HYPERLINK("http://…")` typed as a name. Every exported text cell
 * goes through `neutralizeFormula`, which puts an apostrophe in front, so no
 * program reading the file or a CSV saved from it runs the text. The apostrophe
 * stays visible in the cell (exceljs cannot write the quotePrefix style that
 * would hide it); the import side removes it (`restoreFormulaText`), so an
 * export re-imports unchanged.
 */
const TRIGGER = /^[=+\-@\t\r]/;

export function neutralizeFormula(text: string): string {
  return TRIGGER.test(text) ? `'${text}` : text;
}

/** The text as typed, from a cell this module neutralised. */
export function restoreFormulaText(text: string): string {
  return text.startsWith("'") && TRIGGER.test(text.slice(1)) ? text.slice(1) : text;
}

/** Neutralises every text cell of every sheet (rich text included), just before the workbook is written. */
export function neutralizeWorkbook(workbook: ExcelJS.Workbook): void {
  workbook.eachSheet((sheet) => {
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const value = cell.value;
        if (typeof value === 'string') {
          cell.value = neutralizeFormula(value);
        } else if (value !== null && typeof value === 'object' && 'richText' in value && value.richText.length > 0) {
          const [first, ...rest] = value.richText;
          cell.value = { richText: [{ ...first!, text: neutralizeFormula(first!.text) }, ...rest] };
        }
      });
    });
  });
}
