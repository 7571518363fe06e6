// Public history in Chromium: the publication picker on a phone (390 px), as a plain GET form.
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApp } from '../db.ts';
import { expectAccessible, launchChromium } from './chromium.ts';
import { phonePage } from './suite.ts';

let browser: Browser;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const t = await serveTestApp();
  await t.database.db.execute(sql`
    insert into observations (indicator_id, value, period_label, period_end, provenance)
    select node_id, 135000, 'R7年7月末時点', '2025-07-31', 'test' from indicators i join plan_nodes n on n.id = i.node_id
    where n.code = 'industry-2-3'`);
  await t.plans.commands.publish({ planId: 'aomori-dx', asOf: '2025-07-31', label: '2025年7月末時点', provenance: 'test' });
  base = t.url;
  browser = await launchChromium();
  close = async () => {
    await browser.close();
    await t.close();
  };
});
afterAll(() => close());

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the publication picker in Chromium at 390 px', () => {
  it('picks an older publication: the URL names it, the figures change, the latest is one link away', async () => {
    const page = await phonePage(browser, { isMobile: true });
    await page.goto(`${base}/plans/aomori-dx/kpis/industry-2`);
    const table = page.locator('#main table.indicators');
    expect(await table.innerText()).toContain('135,000人');
    expect(await page.locator('.as-of').innerText()).toBe('2025年7月末時点');
    await expectAccessible(page);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // On a phone the trend chart's phone drawing shows: not scaled down, so no label is under 12 px on screen.
    const smallest = await page.locator('#trend-chart-caption ~ .chart-svg .chart-narrow svg').evaluate((svg) => {
      const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('width'));
      return Math.min(...[...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale));
    });
    expect(smallest).toBeGreaterThanOrEqual(12);
    await page.locator('#trend-chart-caption ~ details summary').click();
    expect(await page.locator('table.trend tbody tr').count()).toBe(2);
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    await page.getByLabel('公表版', { exact: true }).selectOption({ label: '2025年1月末時点（2025-01-31）' });
    await page.getByRole('button', { name: '表示する' }).click();
    await page.waitForURL(/\/plans\/aomori-dx\/kpis\/industry-2\?asOf=2025-01-31$/);
    expect(await page.locator('.as-of').innerText()).toBe('2025年1月末時点');
    expect(await table.innerText()).not.toContain('135,000人');
    expect(await table.innerText()).toContain('99,658人');
    expect(await page.getByLabel('公表版', { exact: true }).inputValue()).toBe('2025-01-31');
    expect(await page.locator('.older-publication').innerText()).toContain('これは過去の公表版です。');
    await expectAccessible(page);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/kpi-older-phone.png', fullPage: true });

    await page.locator('.older-publication a').click();
    await page.waitForURL(/\/plans\/aomori-dx\/kpis\/industry-2$/);
    expect(await page.locator('.as-of').innerText()).toBe('2025年7月末時点');

    // The dashboard's top page: an older publication keeps ?asOf= through its links.
    await page.goto(`${base}/plans/aomori-dx?asOf=2025-01-31`);
    await expectAccessible(page);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: '産業・しごと分野' }).click();
    await page.waitForURL(/\/fields\/industry\?asOf=2025-01-31$/);
    expect(await page.locator('.as-of').innerText()).toBe('2025年1月末時点');
    await expectAccessible(page);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
