import { formatCentiVi } from '../domain/scoring';
import { escapeHtml, raw, type Html } from './html';

export interface Bar {
  label: string;
  /** The index × 100 (8693 = 86,93%). */
  valueCenti: number;
  rank: number;
}

/**
 * A horizontal bar chart of the index per unit, drawn on the server as SVG (no
 * script, nothing to load): one bar per unit in rank order, scaled 0–100%.
 */
export function rankingChart(title: string, bars: readonly Bar[]): Html {
  const labelWidth = 300;
  const barArea = 520;
  const rowHeight = 24;
  const top = 30;
  const width = labelWidth + barArea + 90;
  const height = top + bars.length * rowHeight + 24;
  const ticks = [0, 25, 50, 75, 100]
    .map((tick) => {
      const x = labelWidth + (barArea * tick) / 100;
      return `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${height - 18}" stroke="#d7dde5"/><text x="${x}" y="${height - 4}" text-anchor="middle">${tick}%</text>`;
    })
    .join('');
  const rows = bars
    .map((bar, index) => {
      const y = top + index * rowHeight;
      const length = Math.max(0, Math.min(100, bar.valueCenti / 100)) * (barArea / 100);
      const label = escapeHtml(`${bar.rank}. ${bar.label}`);
      const value = escapeHtml(`${formatCentiVi(bar.valueCenti)}%`);
      return (
        `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${label}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${length.toFixed(1)}" height="${rowHeight - 8}" fill="#0b4f9c" rx="2"><title>${label}: ${value}</title></rect>` +
        `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 16}">${value}</text>`
      );
    })
    .join('');
  return raw(
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">` +
      `<text x="0" y="16" font-weight="700">${escapeHtml(title)}</text>${ticks}${rows}</svg>`,
  );
}
