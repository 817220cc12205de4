import type ExcelJS from 'exceljs';
import { restoreFormulaText } from './formula-guard';
import { NO, YES } from './framework-layout';

/** A cell's value as plain data: text trimmed, rich text and formulas resolved, blank as undefined. */
export type PlainCell = string | number | boolean | undefined;

export function readCell(row: ExcelJS.Row, columnNumber: number): PlainCell {
  return plain(row.getCell(columnNumber).value);
}

function plain(value: ExcelJS.CellValue): PlainCell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim() === '' ? undefined : restoreFormulaText(value.trim());
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return plain(value.richText.map((part) => part.text).join(''));
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    return result === undefined || typeof result === 'object' ? undefined : plain(result);
  }
  if ('text' in value) return plain(value.text);
  return undefined;
}

/**
 * A number cell, or a text cell holding a decimal written with a comma or a
 * dot ("2,5"). Anything else is returned as it is, so that validation reports
 * it at its cell with a wrong-type message.
 */
export function asNumber(value: PlainCell): PlainCell {
  if (typeof value !== 'string') return value;
  const normalized = value.replace(',', '.');
  return /^[+-]?\d+(\.\d+)?$/.test(normalized) ? Number(normalized) : value;
}

/** A boolean cell, or Có/Không (also x, true/false, 1/0). */
export function asBoolean(value: PlainCell): PlainCell {
  if (typeof value === 'boolean' || value === undefined) return value;
  const text = String(value).trim().toLowerCase();
  if ([YES.toLowerCase(), 'x', 'true', '1', 'yes'].includes(text)) return true;
  if ([NO.toLowerCase(), 'false', '0', 'no'].includes(text)) return false;
  return value;
}

export function asText(value: PlainCell): string | undefined {
  return value === undefined ? undefined : String(value);
}
