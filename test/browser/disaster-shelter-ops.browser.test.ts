// Shelter operations in Chromium (issue 14 point 1): a 青森市 editor opens a shelter with a capacity on
// its staff page; the public shelter page shows 開設中 and 「－人/894人」 (no check-in yet). axe and the
// 390 px layout on the staff list, the staff shelter page and the public page.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectPhoneLayout, signInStaff } from './chromium.ts';
import { openSuite, closeSuite, phonePage, municipalityEditor, type ServedApp, type StaffAccount } from './suite.ts';

let browser: Browser;
let t: ServedApp;
let editor: StaffAccount;

beforeAll(async () => {
  ({ t, browser } = await openSuite({ defaultData: true }));
  editor = await municipalityEditor(t, 'aomori-shelter@example.jp', { name: '青森市 職員' });
}, 60_000);
afterAll(() => closeSuite(browser, t));

const phone = () => phonePage(browser, { isMobile: true });

describe('shelter operations, in Chromium', () => {
  it('staff open a shelter with capacity 894 → the public page shows 開設中 and －人/894人 (axe 0, 390 px)', async () => {
    const s = (await t.disaster.queries.map()).byMunicipality.get('02201')!.find((x) => x.kind === 'evacuation')!;
    const page = await phone();
    await signInStaff(page, t.url, editor);
    await page.goto(`${t.url}/staff`);
    await page.getByRole('link', { name: '防災・災害情報管理ダッシュボード' }).click(); // the staff home leads to the disaster screens
    await page.waitForURL(/\/staff\/disaster$/);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'disaster dashboard, empty');
    await page.getByRole('link', { name: '避難所の運営' }).click();
    await page.waitForURL(/\/staff\/disaster\/shelters$/);
    await page.goto(`${t.url}/staff/disaster/shelters?q=${encodeURIComponent(s.name)}`);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'staff shelter list');
    await page.locator(`a[href="/staff/disaster/shelters/${s.slug}"]`).click();
    await page.waitForURL(new RegExp(`/staff/disaster/shelters/${s.slug}$`));
    await expectAccessible(page);
    await expectPhoneLayout(page, 'staff shelter page');
    await page.getByLabel('開設中').check();
    await page.getByLabel('収容人数（人）').fill('894');
    await page.getByRole('button', { name: '開設状況を記録する' }).click();
    await page.waitForURL(/\?done=status$/);
    expect(await page.getByRole('status').textContent()).toBe('開設状況を記録しました。');
    await page.getByLabel(/不足している物資/).fill('粉ミルク、毛布');
    await page.getByLabel(/体調不良の人数/).fill('2');
    await page.getByRole('button', { name: '物資・傷病者を記録する' }).click();
    await page.waitForURL(/\?done=needs$/);
    await page.getByLabel(/出来事（500文字まで）/).fill('受付を開始');
    await page.getByRole('button', { name: '出来事を記録する' }).click();
    await page.waitForURL(/\?done=incident$/);
    expect(await page.locator('.incident-list').textContent()).toContain('受付を開始');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'staff shelter page after writes');
    await page.goto(`${t.url}/staff/disaster/information`);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'staff disaster information form');
    await page.locator('select[name=category]').selectOption({ label: '浸水' });
    await page.getByLabel('件名（100文字まで）').fill('駅前アンダーパス冠水');
    await page.locator('select[name=status]').selectOption({ label: '浸水' });
    await page.getByLabel('浸水深（m）').fill('0.5');
    await page.getByRole('button', { name: '登録する' }).click();
    await page.waitForURL(/\?done=posted$/);
    expect(await page.locator('.info-list').textContent()).toContain('【浸水】駅前アンダーパス冠水（浸水・浸水深 約0.5m）');
    await expectAccessible(page);

    const pub = await phone();
    await pub.goto(`${t.url}/disaster/shelters/${s.slug}`);
    const facts = (await pub.locator('.shelter-facts').textContent()) ?? '';
    expect(facts).toContain('開設中');
    expect(facts).toContain('－人/894人');
    expect(facts).not.toContain('粉ミルク');
    await expectAccessible(pub);
    await expectPhoneLayout(pub, 'public shelter page');
    await pub.goto(`${t.url}/disaster/municipalities/02201?kind=evacuation`);
    expect(await pub.locator(`.shelter-list a[href="/disaster/shelters/${s.slug}"]`).locator('..').textContent()).toContain('開設中');

    // The dashboard updates without a reload when a vendor's system writes the occupancy on the broker.
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/staff/disaster`);
    const row = page.locator('#dashboard tr', { has: page.locator(`a[href="/staff/disaster/shelters/${s.slug}"]`) });
    expect(await row.textContent()).toContain('－/894人');
    expect(await row.textContent()).toContain('粉ミルク、毛布');
    await expectAccessible(page);
    await expectPhoneLayout(page, 'disaster dashboard');
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));
    await t.broker.commands.update('', s.id, { occupancy: { type: 'Property', value: 169 } });
    await page.locator('#dashboard tr', { hasText: '169人/894人' }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('status').textContent()).toContain('自動で更新しました');
    expect(loads).toEqual([]); // no reload
    expect(errors).toEqual([]);
  });

  it('disaster information: a road closure on the municipality page under 災害情報 with legend and source, drawn on the map without errors (axe 0, 390 px)', async () => {
    const now = new Date().toISOString();
    await t.broker.commands.put('', {
      id: 'urn:ngsi-ld:RoadClosure:browser-1',
      type: 'RoadClosure',
      name: { type: 'Property', value: '県道 テスト区間' },
      status: { type: 'Property', value: 'closed', observedAt: now },
      source: { type: 'Property', value: '青森県道路管理システム' },
      dateObserved: { type: 'Property', value: now },
      municipality: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02201' },
      location: {
        type: 'GeoProperty',
        value: {
          type: 'LineString',
          coordinates: [
            [140.74, 40.82],
            [140.75, 40.83],
          ],
        },
      },
    });
    const page = await phone();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/disaster/municipalities/02201`);
    const section = page.locator('.disaster-information');
    expect(await section.locator('.info-legend li').count()).toBe(6);
    expect(await section.locator('.info-list').textContent()).toContain('【通行止め・渋滞】県道 テスト区間（通行止め）');
    expect(await section.locator('.info-list').textContent()).toContain('情報源: 青森県道路管理システム');
    await page.waitForFunction(() => document.getElementById('disaster-map')?.dataset.state, null, { timeout: 60_000 });
    expect(await page.locator('#disaster-map').getAttribute('data-state'), errors.join('\n')).toBe('ready');
    expect(errors).toEqual([]);
    await expectAccessible(page);
    await expectPhoneLayout(page, 'municipality page with disaster information');
  });
});
