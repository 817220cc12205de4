import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { formatCentiVi, formatPercentVi, GROUP_AVERAGE_LABEL_VI, yearChangeTextsVi } from '../domain/scoring';
import { comparesYears, groupAverageOf, RESULTS_HEADERS, YEAR_CHANGE_HEADERS, type ResultsGroup } from './results-workbook';

/**
 * The results annex as a PDF: the same table as the results
 * workbook, one section per unit group, points with a decimal comma. The
 * standard PDF fonts have no Vietnamese letters (ệ, ơ, ư, ạ…), so the text is
 * set in DejaVu Sans, embedded (subset) from the `dejavu-fonts-ttf` npm package:
 * a fresh `npm install` has it, no system font needed.
 */

const require = createRequire(import.meta.url);
export const RESULTS_PDF_FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

type Align = 'left' | 'center' | 'right';
const LAYOUT: { widths: number[]; align: Align[] } = {
  widths: [34, 236, 90, 90, 80, 70, 70, 58],
  align: ['center', 'left', 'right', 'right', 'right', 'right', 'right', 'center'],
};
/** With last year's rank, rank change, index and index change after the rank: the same page width, narrower points. */
const LAYOUT_WITH_CHANGE: { widths: number[]; align: Align[] } = {
  widths: [28, 160, 60, 60, 56, 52, 52, 46, 48, 72, 54, 72],
  align: [...LAYOUT.align, 'center', 'center', 'right', 'right'],
};
const PADDING = 4;

export interface ResultsPdfInput {
  readonly year: number;
  readonly title_vi: string;
  /** Under the title, e.g. "(Kèm theo Quyết định số 1752/QĐ-UBND ngày 29/04/2020)" or a draft notice. */
  readonly subtitle_vi: string;
  readonly groups: readonly ResultsGroup[];
  /** Printed in the footer of every page, e.g. "Xuất ngày 05/03/2020". */
  readonly footer_vi: string;
  /** Under the subtitle when the tables compare with last year's published ranking. */
  readonly compared_with_vi?: string;
}

/** Last year's rank, the rank change, last year's index and the index change, as printed. */
function changeCells(change: ResultsGroup['rows'][number]['change']): string[] {
  if (!change) return ['', '', '', ''];
  const texts = yearChangeTextsVi(change);
  return [texts.previousRank, texts.rankChange, texts.previousIndex, texts.indexChange];
}

export function exportResultsPdf(input: ResultsPdfInput): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    bufferPages: true,
    info: { Title: `Kết quả Chỉ số cải cách hành chính năm ${input.year}`, Subject: input.title_vi, Creator: 'par-index' },
  });
  doc.registerFont('body', RESULTS_PDF_FONTS.regular);
  doc.registerFont('bold', RESULTS_PDF_FONTS.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom - 14;

  doc.font('bold').fontSize(13).text('PHỤ LỤC', left, doc.page.margins.top, { width, align: 'center' });
  doc.text(`KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM ${input.year}`, { width, align: 'center' });
  doc.font('body').fontSize(10).text(input.title_vi, { width, align: 'center' });
  doc.font('body').fontSize(9).text(input.subtitle_vi, { width, align: 'center' });
  if (input.compared_with_vi) doc.font('body').fontSize(9).text(input.compared_with_vi, { width, align: 'center' });

  const tableRow = (cells: string[], font: 'body' | 'bold', { widths, align }: typeof LAYOUT) => {
    doc.font(font).fontSize(8.5);
    const heights = cells.map((cell, index) => doc.heightOfString(cell, { width: widths[index]! - 2 * PADDING }));
    const height = Math.max(...heights) + 2 * PADDING;
    if (doc.y + height > bottom()) doc.addPage();
    const top = doc.y;
    let x = left;
    cells.forEach((cell, index) => {
      const cellWidth = widths[index]!;
      doc.rect(x, top, cellWidth, height).lineWidth(0.5).stroke('#555555');
      doc.fillColor('#000000').text(cell, x + PADDING, top + PADDING, { width: cellWidth - 2 * PADDING, align: align[index] ?? 'left' });
      x += cellWidth;
    });
    doc.x = left;
    doc.y = top + height;
  };

  for (const group of input.groups) {
    doc.moveDown(1);
    if (doc.y + 60 > bottom()) doc.addPage();
    doc.font('bold').fontSize(11).text(group.name_vi, left, doc.y, { width });
    doc.moveDown(0.3);
    const withChange = comparesYears(group);
    const layout = withChange ? LAYOUT_WITH_CHANGE : LAYOUT;
    tableRow([...RESULTS_HEADERS, ...(withChange ? YEAR_CHANGE_HEADERS : [])], 'bold', layout);
    group.rows.forEach((row, index) =>
      tableRow(
        [
          String(index + 1),
          row.unitName,
          formatCentiVi(row.assessedCenti),
          formatCentiVi(row.surveyCenti),
          formatCentiVi(row.adjustmentCenti),
          formatCentiVi(row.totalCenti),
          formatCentiVi(row.indexPercentCenti),
          String(row.rank),
          ...(withChange ? changeCells(row.change) : []),
        ],
        'body',
        layout,
      ),
    );
    const average = groupAverageOf(group);
    if (average !== undefined) {
      doc.moveDown(0.3);
      doc.font('bold').fontSize(9).text(`${GROUP_AVERAGE_LABEL_VI}: ${formatPercentVi(average)}`, left, doc.y, { width });
    }
  }

  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    // Writing inside the bottom margin would make pdfkit start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('body')
      .fontSize(8)
      .text(`${input.footer_vi} · Trang ${page + 1}/${range.count}`, left, doc.page.height - margin + 8, {
        width,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}
