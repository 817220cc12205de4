import ExcelJS from 'exceljs';
import {
  centiToNumber,
  GROUP_AVERAGE_LABEL_VI,
  groupAverageIndexCenti,
  SCORE_COLUMN_LABEL_VI,
  YEAR_CHANGE_HEADERS_VI,
  type RankedUnitResult,
  type UnitExplanation,
  type YearChange,
} from '../domain/scoring';
import { toBytes } from './framework-workbook';

/**
 * The results of a campaign as a workbook: one ranking sheet per unit group,
 * laid out like the annex of a results decision, and optionally one
 * explanation sheet per unit with every number behind its index.
 * Points are written as numbers with two decimals (format "0.00"), so Excel
 * shows them with the reader's decimal separator and they can be summed.
 */

export const RESULTS_HEADERS = [
  'STT',
  'Đơn vị',
  'Điểm thẩm định',
  'Điểm điều tra XHH',
  'Điểm cộng/trừ',
  'Tổng điểm',
  'Chỉ số (%)',
  'Xếp hạng',
] as const;

export type ResultsTableRow = {
  readonly unitCode: string;
  readonly unitName: string;
  readonly assessedCenti: number;
  readonly surveyCenti: number;
  /** Bonus minus penalty. */
  readonly adjustmentCenti: number;
  readonly totalCenti: number;
  readonly indexPercentCenti: number;
  readonly rank: number;
  readonly bandName: string | undefined;
  /** Against last year's published ranking; absent or null when the campaign has no published predecessor. */
  readonly change?: YearChange | null;
};

export type ResultsGroup = { readonly code: string; readonly name_vi: string; readonly rows: readonly ResultsTableRow[] };

/** The comparison columns, after the rank, when any row of the group has a change against last year. */
export const YEAR_CHANGE_HEADERS = [
  YEAR_CHANGE_HEADERS_VI.previousRank,
  YEAR_CHANGE_HEADERS_VI.rankChange,
  YEAR_CHANGE_HEADERS_VI.previousIndex,
  YEAR_CHANGE_HEADERS_VI.indexChange,
] as const;

/** Whether the group's table carries the comparison columns. */
export function comparesYears(group: ResultsGroup): boolean {
  return group.rows.some((row) => row.change);
}

/** The mean index of a group's rows, as printed under its table. */
export function groupAverageOf(group: ResultsGroup): number | undefined {
  return groupAverageIndexCenti(group.rows.map((row) => row.indexPercentCenti));
}

/** Rows of the ranking table from ranked unit results (already in rank, then name, order). */
export function resultsTableRows(ranking: readonly RankedUnitResult[]): ResultsTableRow[] {
  return ranking.map((entry) => {
    const totals = entry.result.totals;
    return {
      unitCode: entry.unitCode,
      unitName: entry.unitName,
      assessedCenti: totals.rescaledAssessedCenti ?? totals.assessedCenti,
      surveyCenti: totals.surveyCenti,
      adjustmentCenti: totals.bonusCenti - totals.penaltyCenti,
      totalCenti: totals.totalCenti,
      indexPercentCenti: totals.indexPercentCenti,
      rank: entry.rank,
      bandName: entry.band?.name_vi,
    };
  });
}

export async function exportResultsWorkbook(input: {
  readonly title_vi: string;
  readonly groups: readonly ResultsGroup[];
  readonly explanations?: readonly UnitExplanation[];
  /** Under each group's name when the tables compare with last year, e.g. "So sánh với kết quả đã công bố năm 2019: …". */
  readonly compared_with_vi?: string;
}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const usedNames = new Set<string>();
  // Sheets are named as the decision names its tables, by the group's Vietnamese name.
  for (const group of input.groups) addRankingSheet(workbook, uniqueSheetName(group.name_vi, usedNames), input.title_vi, group, input.compared_with_vi);
  for (const explanation of inRankOrder(input.explanations ?? [], input.groups)) {
    addExplanationSheet(workbook, uniqueSheetName(`Giải trình ${explanation.unit.code}`, usedNames), explanation);
  }
  return toBytes(workbook);
}

function addRankingSheet(workbook: ExcelJS.Workbook, name: string, title: string, group: ResultsGroup, comparedWith: string | undefined): void {
  const sheet = workbook.addWorksheet(name);
  const withBands = group.rows.some((row) => row.bandName !== undefined);
  const withChange = comparesYears(group);
  const headers: string[] = [...RESULTS_HEADERS, ...(withChange ? YEAR_CHANGE_HEADERS : []), ...(withBands ? ['Xếp loại'] : [])];
  sheet.addRow([title]).font = { bold: true };
  sheet.addRow([group.name_vi]).font = { bold: true };
  if (withChange && comparedWith) sheet.addRow([comparedWith]).font = { italic: true };
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.alignment = { wrapText: true, horizontal: 'center', vertical: 'middle' };
  group.rows.forEach((row, index) => {
    const values: (string | number)[] = [
      index + 1,
      row.unitName,
      centiToNumber(row.assessedCenti),
      centiToNumber(row.surveyCenti),
      centiToNumber(row.adjustmentCenti),
      centiToNumber(row.totalCenti),
      centiToNumber(row.indexPercentCenti),
      row.rank,
    ];
    if (withChange) values.push(...yearChangeCells(row.change));
    if (withBands) values.push(row.bandName ?? '');
    const added = sheet.addRow(values);
    if (withChange) {
      added.getCell(RESULTS_HEADERS.length + 2).numFmt = RANK_CHANGE_FORMAT;
      added.getCell(RESULTS_HEADERS.length + 4).numFmt = INDEX_CHANGE_FORMAT;
    }
  });
  const average = groupAverageOf(group);
  if (average !== undefined) sheet.addRow(['', GROUP_AVERAGE_LABEL_VI, '', '', '', '', centiToNumber(average)]).font = { bold: true };
  const widths = [6, 45, 14, 14, 14, 12, 12, 10, ...(withChange ? [12, 16, 12, 16] : []), 14];
  headers.forEach((_, index) => {
    const column = sheet.getColumn(index + 1);
    column.width = widths[index] ?? 12;
    if ((index >= 2 && index <= 6) || (withChange && index === RESULTS_HEADERS.length + 2)) column.numFmt = '0.00';
  });
}

/**
 * The changes are numbers that Excel shows in words, so they still sort and sum:
 * places gained as "tăng 3 bậc" / "giảm 1 bậc" / "giữ nguyên", the index change as
 * "+2,15 điểm" / "−0,40 điểm" with the reader's decimal separator. (Text starting
 * with + or − would take the formula guard's visible apostrophe.)
 */
export const RANK_CHANGE_FORMAT = '"tăng "0" bậc";"giảm "0" bậc";"giữ nguyên";@';
export const INDEX_CHANGE_FORMAT = '"+"0.00" điểm";"−"0.00" điểm";0.00" điểm";@';

/** Last year's rank and index (blank for a unit new this year) and the changes; "mới" for a new unit, "chuyển nhóm" for no rank change. */
function yearChangeCells(change: YearChange | null | undefined): (string | number)[] {
  if (!change) return ['', '', '', ''];
  return [
    change.previousRank ?? '',
    change.rankChange ?? change.rankChangeVi,
    change.previousIndexCenti === null ? '' : centiToNumber(change.previousIndexCenti),
    change.indexChangeCenti === null ? change.indexChangeVi : centiToNumber(change.indexChangeCenti),
  ];
}

/** Explanation sheets follow the ranking: group by group as the ranking sheets, then by rank within a group. */
function inRankOrder(explanations: readonly UnitExplanation[], groups: readonly ResultsGroup[]): UnitExplanation[] {
  const position = new Map<string, number>();
  groups.forEach((group) => group.rows.forEach((row) => position.set(row.unitCode, position.size)));
  const at = (explanation: UnitExplanation) => position.get(explanation.unit.code) ?? Number.MAX_SAFE_INTEGER;
  return [...explanations].sort((left, right) => at(left) - at(right));
}

function addExplanationSheet(workbook: ExcelJS.Workbook, name: string, explanation: UnitExplanation): void {
  const sheet = workbook.addWorksheet(name);
  sheet.addRow([`Giải trình Chỉ số CCHC: ${explanation.unit.name_vi} (${explanation.group.name_vi})`]).font = { bold: true };
  const header = sheet.addRow([
    'Mã',
    'Nội dung',
    'Điểm tối đa',
    'Quy tắc chấm',
    SCORE_COLUMN_LABEL_VI.self,
    SCORE_COLUMN_LABEL_VI.round1,
    SCORE_COLUMN_LABEL_VI.round2,
    SCORE_COLUMN_LABEL_VI.final,
    'Dữ liệu nhập, người chấm, thời gian, ghi chú',
  ]);
  header.font = { bold: true };
  for (const area of explanation.areas) {
    sheet.addRow(nodeRow(area, 'Lĩnh vực', marked(area.criteria.flatMap((criterion) => criterion.subcriteria)))).font = { bold: true };
    for (const criterion of area.criteria) {
      sheet.addRow(nodeRow(criterion, 'Tiêu chí', marked(criterion.subcriteria))).font = { italic: true };
      for (const sub of criterion.subcriteria) {
        const trail = sub.marks
          .map((mark) => `${SCORE_COLUMN_LABEL_VI[mark.column]}: ${mark.input_vi}; ${mark.setBy}; ${mark.setAt}${mark.note ? `; ${mark.note}` : ''}`)
          .join(' | ');
        sheet.addRow([
          sub.code,
          sub.name_vi,
          centiToNumber(sub.maxCenti),
          sub.rule_vi,
          markCell(sub, 'self'),
          markCell(sub, 'round1'),
          markCell(sub, 'round2'),
          centiToNumber(sub.points.final),
          trail,
        ]);
      }
    }
  }
  const allSubcriteria = explanation.areas.flatMap((area) => area.criteria.flatMap((criterion) => criterion.subcriteria));
  sheet.addRow(['', 'Điểm thẩm định', centiToNumber(explanation.assessed.maxCenti), '', ...pointsCells(explanation.assessed.points, marked(allSubcriteria))]).font = {
    bold: true,
  };
  sheet.addRow([]);
  for (const question of explanation.survey.questions ?? []) {
    const aggregate = question.aggregate;
    sheet.addRow([
      question.code,
      question.text_vi,
      centiToNumber(question.maxCenti),
      aggregate === undefined ? 'Không có phiếu' : `Tổng trọng số ${aggregate.sumWeightHundredths / 100} / ${aggregate.validCount} phiếu hợp lệ`,
      '',
      '',
      '',
      centiToNumber(question.pointsCenti),
    ]);
  }
  const summary: [string, number | string][] = [
    ['Điểm điều tra XHH', explanation.survey.held ? centiToNumber(explanation.survey.pointsCenti) : 'Không có kết quả'],
    ...(explanation.rescaledAssessedCenti === undefined
      ? []
      : [['Điểm thẩm định quy đổi (không có điều tra XHH)', centiToNumber(explanation.rescaledAssessedCenti)] as [string, number]]),
    ['Điểm cộng', centiToNumber(explanation.bonusCenti)],
    ['Điểm trừ', centiToNumber(explanation.penaltyCenti)],
    ['Tổng điểm', centiToNumber(explanation.totalCenti)],
    ['Chỉ số (%)', centiToNumber(explanation.indexPercentCenti)],
    ['Xếp hạng', explanation.rank ?? ''],
    ...(explanation.band === undefined ? [] : [['Xếp loại', explanation.band.name_vi] as [string, string]]),
  ];
  for (const [label, value] of summary) sheet.addRow(['', label, '', '', '', '', '', value]).font = { bold: true };
  sheet.addRow([]);
  for (const line of explanation.lines_vi) sheet.addRow(['', line]);

  const widths = [10, 60, 10, 50, 12, 12, 12, 12, 80];
  widths.forEach((width, index) => {
    const column = sheet.getColumn(index + 1);
    column.width = width;
    if (index === 2 || (index >= 4 && index <= 7)) column.numFmt = '0.00';
  });
}

type SubcriterionRow = UnitExplanation['areas'][number]['criteria'][number]['subcriteria'][number];
type MarkColumn = 'self' | 'round1' | 'round2';

/** The columns in which at least one of these sub-criteria has a mark. */
function marked(subcriteria: readonly SubcriterionRow[]): ReadonlySet<MarkColumn> {
  return new Set(subcriteria.flatMap((sub) => sub.marks.map((mark) => mark.column)));
}

function nodeRow(
  node: { readonly code: string; readonly name_vi: string; readonly maxCenti: number; readonly points: UnitExplanation['assessed']['points'] },
  label: string,
  columns: ReadonlySet<MarkColumn>,
): (string | number)[] {
  return [node.code, `${label}: ${node.name_vi}`, centiToNumber(node.maxCenti), '', ...pointsCells(node.points, columns)];
}

/**
 * A sum row's points per column. A column nobody marked under this row (no
 * round 2 for a unit that was not sent back) stays blank: a 0 would read as a
 * score of zero.
 */
function pointsCells(points: UnitExplanation['assessed']['points'], columns: ReadonlySet<MarkColumn>): (number | string)[] {
  const cell = (column: MarkColumn) => (columns.has(column) ? centiToNumber(points[column]) : '');
  return [cell('self'), cell('round1'), cell('round2'), centiToNumber(points.final)];
}

function markCell(sub: SubcriterionRow, column: MarkColumn): number | string {
  const mark = sub.marks.find((candidate) => candidate.column === column);
  return mark === undefined ? '' : centiToNumber(mark.pointsCenti);
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
function uniqueSheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[:\\/?*[\]]/g, '-').slice(0, 31);
  let name = base;
  for (let suffix = 2; used.has(name.toLowerCase()); suffix += 1) name = `${base.slice(0, 31 - `-${suffix}`.length)}-${suffix}`;
  used.add(name.toLowerCase());
  return name;
}
