// マイエリア and Web Push in Chromium (issue 13, point 5): a resident adds an area on the page and allows
// notifications; an Alert entity written to the broker for that area reaches the local push service,
// which checks VAPID and decrypts the RFC 8291 message; an alert elsewhere sends nothing.
//
// Headless Chromium cannot reach a real push service (and has none to talk to here), so the page's
// PushManager.prototype.subscribe is replaced (addInitScript) with one that answers a subscription whose
// endpoint is the test's push service and whose keys the test holds: everything else (the page, the
// service worker registration, the API, the fan-out, encryption, VAPID) is the real thing.
// /disaster/sw.js belongs to the offline part; until it is merged, the test's server answers it with the
// one line it contains for push: importScripts('/assets/disaster-push-sw.js').
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbound } from '../../src/platform/outbound.ts';
import { toEntity, type Alert } from '../../src/modules/disaster/alert.ts';
import { reservePort, serveTestApp } from '../db.ts';
import { pushService } from '../push-service.ts';
import { expectAccessible, expectPhoneLayout, launchChromium, phoneViewport } from './chromium.ts';
import { type ServedApp } from './suite.ts';

let browser: Browser;
let ps: Awaited<ReturnType<typeof pushService>>;
let t: ServedApp;
beforeAll(async () => {
  ps = await pushService();
  const port = await reservePort();
  t = await serveTestApp('aomori', port, { outbound: outbound({ allow: ['127.0.0.1'] }) });
  port.attach((req, res) => {
    if (req.url === '/disaster/sw.js')
      return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end("importScripts('/assets/disaster-push-sw.js');");
    t.nodeHandler(req, res);
  });
  await t.broker.loadDefaultData();
  ps.expectKey(((await (await fetch(`${t.url}/api/v1/disaster/push/key`)).json()) as { publicKey: string }).publicKey);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser.close();
  await t.close();
  await ps.close();
});

const alert = (id: string, municipality: string, headline: string): Alert => ({
  id: `urn:ngsi-ld:Alert:staff-${id}`,
  kind: 'evacuationOrder',
  headline,
  description: `${headline}を発令しました。`,
  easyJapanese: 'すぐに にげて ください。',
  severity: 'critical',
  municipalities: [municipality],
  status: 'issued',
  issued: '2026-12-02T01:00:00Z',
  updated: '2026-12-02T01:00:00Z',
  source: `staff:${municipality}`,
});

describe('my area and push in the browser', () => {
  it('RFC 8030 §5 / RFC 8291 §4 / RFC 8292 §2: an area registered on the page receives one push for an alert there, none for one elsewhere; axe 0 at 390 px', async () => {
    const device = ps.subscribe();
    const context = await browser.newContext({ viewport: phoneViewport, isMobile: true });
    try {
      await context.grantPermissions(['notifications'], { origin: t.url });
      await context.addInitScript((sub) => {
        const fake = { ...sub, toJSON: () => sub, unsubscribe: async () => true };
        PushManager.prototype.subscribe = async () => fake as unknown as PushSubscription;
        PushManager.prototype.getSubscription = async () => null;
      }, device.json);
      const page = await context.newPage();
      await page.goto(`${t.url}/disaster/my-area`);
      await expect.poll(() => page.locator('#my-area').isVisible()).toBe(true);
      await expectPhoneLayout(page, 'マイエリア');
      await expectAccessible(page);
      await page.selectOption('#my-area-municipality', '02201');
      await page.click('text=市町村を追加');
      await expect.poll(() => page.locator('#my-area-list').textContent()).toContain('青森市');
      await page.click('#my-area-subscribe');
      await expect.poll(() => page.locator('#my-area-status').textContent(), { timeout: 10_000 }).toBe('通知を受け取る設定にしました。');
      await expectAccessible(page);
      expect(await t.disaster.queries.countRecipients(alert('x', '02201', 'x'))).toBe(1);

      await t.broker.commands.put('', toEntity(alert('b1', '02203', '八戸市に避難指示')));
      await t.broker.commands.put('', toEntity(alert('b2', '02201', '青森市に避難指示')));
      await t.disaster.commands.pushRound();
      expect(ps.refused).toEqual([]);
      expect(ps.to(device.id).map((m) => m.message)).toEqual([
        {
          title: '青森市に避難指示',
          body: '青森市に避難指示を発令しました。\nすぐに にげて ください。',
          url: '/disaster/alerts/staff-b2',
          tag: 'staff-b2',
        },
      ]);
      expect(ps.to(device.id)[0]!.headers.urgency).toBe('high');
    } finally {
      await context.close();
    }
  });
});
