import { formatCentiVi } from '../domain/scoring';
import { escapeHtml, raw, type Html } from './html';

export interface Bar {
  label: string;
  /** The index × 100 (8693 = 86,93%). */
  valueCenti: number;
  rank: number;
}

const LABEL_WIDTH = 300;
const BAR_AREA = 520;
const LINE_HEIGHT = 14;
const ROW_PADDING = 10;
const MIN_ROW_HEIGHT = 24;
/**
 * Characters per label line. SVG text does not wrap and the server cannot
 * measure it, so a label is broken at words to stay inside its column: at the
 * chart's 12px, wide faces (DejaVu Sans) average under 7.5px a character, and
 * 36 of them fit the 292px left of the bars.
 */
const LABEL_LINE_CHARS = 36;

/** Greedy word wrap; a single word longer than a line keeps a line of its own. */
export function wrapLabel(text: string, maxChars = LABEL_LINE_CHARS): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * A horizontal bar chart of the index per unit, drawn on the server as SVG (no
 * script, nothing to load): one bar per unit in rank order, scaled 0–100%.
 * Long unit names wrap onto several lines and the row grows with them.
 */
export function rankingChart(title: string, bars: readonly Bar[]): Html {
  const top = 30;
  const width = LABEL_WIDTH + BAR_AREA + 90;
  let y = top;
  const rows = bars
    .map((bar) => {
      const lines = wrapLabel(`${bar.rank}. ${bar.label}`);
      const rowHeight = Math.max(MIN_ROW_HEIGHT, lines.length * LINE_HEIGHT + ROW_PADDING);
      const middle = y + rowHeight / 2;
      y += rowHeight;
      const length = Math.max(0, Math.min(100, bar.valueCenti / 100)) * (BAR_AREA / 100);
      const label = escapeHtml(`${bar.rank}. ${bar.label}`);
      const value = escapeHtml(`${formatCentiVi(bar.valueCenti)}%`);
      const firstBaseline = middle - ((lines.length - 1) * LINE_HEIGHT) / 2 + 4;
      const tspans = lines
        .map((line, index) => `<tspan x="${LABEL_WIDTH - 8}" y="${(firstBaseline + index * LINE_HEIGHT).toFixed(1)}">${escapeHtml(line)}</tspan>`)
        .join('');
      return (
        `<text class="bar-label" text-anchor="end">${tspans}</text>` +
        `<rect x="${LABEL_WIDTH}" y="${(middle - 8).toFixed(1)}" width="${length.toFixed(1)}" height="16" fill="#0b4f9c" rx="2"><title>${label}: ${value}</title></rect>` +
        `<text x="${(LABEL_WIDTH + length + 6).toFixed(1)}" y="${(middle + 4).toFixed(1)}">${value}</text>`
      );
    })
    .join('');
  const height = y + 24;
  const ticks = [0, 25, 50, 75, 100]
    .map((tick) => {
      const x = LABEL_WIDTH + (BAR_AREA * tick) / 100;
      return `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${height - 18}" stroke="#d7dde5"/><text x="${x}" y="${height - 4}" text-anchor="middle">${tick}%</text>`;
    })
    .join('');
  return raw(
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">` +
      `<text x="0" y="16" font-weight="700">${escapeHtml(title)}</text>${ticks}${rows}</svg>`,
  );
}
