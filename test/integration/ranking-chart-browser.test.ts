import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { STYLESHEET } from '../../web/assets';
import { rankingChart } from '../../web/chart';
import { createBrowsers } from './helpers/browser';

/**
 * The ranking chart as Chromium draws it with the dashboard's stylesheet: every
 * unit label, however long, lies whole inside the chart and left of the bars.
 */

const browsers = createBrowsers(() => '', 'ranking-chart');
let page: Page;
beforeAll(async () => {
  page = await browsers.open();
});
afterAll(async () => {
  await browsers.close();
});

const LONG = 'Ban Quản lý các khu công nghiệp và chế xuất';

describe('the ranking chart', () => {
  it('wraps long unit names instead of clipping them', async () => {
    const names = Array.from({ length: 20 }, (_, index) => (index === 18 ? LONG : `Sở ${index + 1}`));
    const chart = rankingChart(
      'Chỉ số CCHC — Sở, ban, ngành',
      names.map((label, index) => ({ label, valueCenti: 9_500 - index * 150, rank: index + 1 })),
    );
    await page.setContent(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>${STYLESHEET}</style></head><body><main>${chart}</main></body></html>`);

    const drawn = await page.locator('svg.chart').evaluate((svg) => {
      const box = svg.getBoundingClientRect();
      const firstBar = svg.querySelector('rect')!.getBoundingClientRect();
      const labels = [...svg.querySelectorAll('text[text-anchor="end"]')].map((text) => {
        const rect = text.getBoundingClientRect();
        const parts = text.querySelectorAll('tspan');
        return {
          text: parts.length > 0 ? [...parts].map((part) => part.textContent).join(' ') : (text.textContent ?? ''),
          left: rect.left - box.left,
          right: rect.right - box.left,
          lines: Math.max(parts.length, 1),
        };
      });
      return { barsStart: firstBar.left - box.left, labels };
    });
    await browsers.shot(page, 'long-unit-name');

    expect(drawn.labels.map((label) => label.text)).toEqual(names.map((name, index) => `${index + 1}. ${name}`));
    for (const label of drawn.labels) {
      expect(label.left, label.text).toBeGreaterThanOrEqual(0);
      expect(label.right, label.text).toBeLessThanOrEqual(drawn.barsStart);
    }
    expect(drawn.labels[18]!.lines).toBeGreaterThan(1);
  });
});
