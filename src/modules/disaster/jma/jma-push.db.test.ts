// Issue 13's JMA line end to end: a warning issued, downgraded and cleared for 青森市 in the JMA feeds
// (a local server serving test/fixtures/jma, written from 気象庁防災情報XMLフォーマット) reaches a device
// registered for 青森市 as three pushes (issued, updated, cancelled) through the local push service (it
// checks VAPID and decrypts RFC 8291), and a device registered for 八戸市 gets none.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/db.ts';
import { pushService } from '../../../../test/push-service.ts';
import { outbound } from '../../../platform/outbound.ts';

const fixture = (name: string) => readFile(new URL(`../../../../test/fixtures/jma/${name}`, import.meta.url), 'utf8');
const served = new Map<string, { type: string; body: string }>();
const server = createServer((req, res) => {
  const doc = served.get(req.url!);
  if (!doc) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': doc.type }).end(doc.body);
});
let base = '';
let t: Awaited<ReturnType<typeof createTestApp>>;
let ps: Awaited<ReturnType<typeof pushService>>;

const serve = async (path: string, name: string, type = 'application/xml; charset=utf-8') =>
  served.set(path, { type, body: (await fixture(name)).replaceAll('{base}', base) });

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const name of ['vpww53-issued', 'vpww53-downgraded', 'vpww53-cleared']) await serve(`/data/${name}.xml`, `${name}.xml`);
  ps = await pushService();
  t = await createTestApp('aomori', 'https://bousai.example.jp', {
    outbound: outbound({ allow: ['127.0.0.1'], timeoutMs: 2000 }),
    jma: { feeds: [`${base}/feed/extra.xml`], pollSeconds: 60 },
    disasterPush: { backoffMs: 20, maxBackoffMs: 20 },
  });
  await t.broker.loadDefaultData();
  ps.expectKey(((await (await t.app.request('/api/v1/disaster/push/key')).json()) as { publicKey: string }).publicKey);
}, 60_000);
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await t?.database.close();
  await ps?.close();
});

const register = (subscription: unknown, municipality: string) =>
  t.app.request('/api/v1/disaster/push-subscriptions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ subscription, areas: [{ municipality }] }),
  });

describe('JMA feed to Web Push', () => {
  it('VPWW53 issued, downgraded and cleared for 青森市: three pushes to 青森市 (RFC 8291 decrypted), none to 八戸市, none twice', async () => {
    const aomori = ps.subscribe();
    const hachinohe = ps.subscribe();
    expect((await register(aomori.json, '02201')).status).toBe(201);
    expect((await register(hachinohe.json, '02203')).status).toBe(201);
    for (const feed of ['feed-1.xml', 'feed-2.xml', 'feed-3.xml']) {
      await serve('/feed/extra.xml', feed, 'application/atom+xml');
      await t.disaster.commands.pollJma();
      await t.disaster.commands.pushRound();
      await t.disaster.commands.pollJma(); // the same feed again: no new alert version, so no push
      await t.disaster.commands.pushRound();
    }
    expect(ps.refused).toEqual([]);
    const got = ps.to(aomori.id).map((m) => m.message as { title: string; url: string });
    expect(got).toHaveLength(3);
    expect(new Set(got.map((m) => m.url)).size).toBe(1); // one alert
    expect(got[0]!.url).toMatch(/^\/disaster\/alerts\/jma-vpww53-0220100-/);
    expect(got[2]!.title).toMatch(/^【解除】/);
    expect(ps.to(hachinohe.id)).toEqual([]);
  });
});
