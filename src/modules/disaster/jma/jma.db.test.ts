// The JMA 防災情報XML adapter against a local HTTP server serving Atom feeds and documents written from
// 気象庁防災情報XMLフォーマット (test/fixtures/jma/README.md), changing between polls.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/db.ts';
import { outbound } from '../../../platform/outbound.ts';
import { fromEntity } from '../alert.ts';

const fixture = (name: string) => readFile(new URL(`../../../../test/fixtures/jma/${name}`, import.meta.url), 'utf8');

/** The feeds' server: each path answers what `routes` says now; requests are counted per path. */
const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
const requests: string[] = [];
const server = createServer((req, res) => {
  requests.push(req.url!);
  const route = routes.get(req.url!);
  if (route) return route(req, res);
  res.writeHead(404).end();
});
let base = '';

/** Serves an XML text with a strong ETag and a Last-Modified, answering 304 to a matching conditional request. */
const xml = (body: string, type = 'application/xml; charset=utf-8', modified = 'Tue, 01 Dec 2026 01:00:05 GMT') => {
  const text = body.replaceAll('{base}', base);
  const etag = `"${createHash('sha256').update(text).digest('hex').slice(0, 16)}"`;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers['if-none-match'] === etag) return res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': type, etag, 'last-modified': modified }).end(text);
  };
};
const serveFeed = async (path: string, name: string) => routes.set(path, xml(await fixture(name), 'application/atom+xml'));

let t: Awaited<ReturnType<typeof createTestApp>>;
const feedUrls = () => [`${base}/feed/extra.xml`, `${base}/feed/eqvol.xml`, `${base}/feed/hostile.xml`];

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const name of ['vpww53-issued', 'vpww53-downgraded', 'vpww53-cleared', 'vxww50-issued', 'vxse53-issued', 'vxse53-cancelled'])
    routes.set(`/data/${name}.xml`, xml(await fixture(`${name}.xml`)));
  t = await createTestApp('aomori', 'http://127.0.0.1:9', {
    outbound: outbound({ allow: ['127.0.0.1'], timeoutMs: 2000 }),
    jma: { feeds: feedUrls(), pollSeconds: 60, maxFeedBytes: 256 * 1024, maxDocumentBytes: 256 * 1024 },
  });
  await t.broker.loadDefaultData();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await t?.database.close();
});

const poll = async (url = `${base}/feed/extra.xml`) => (await t.disaster.commands.pollJma()).find((p) => p.url === url)!;
const alerts = async () =>
  (await t.broker.queries.entities('', { types: ['Alert'] }, true)).map((e) => fromEntity(e)!).filter((a) => a.source === 'jma');
/** The alertStatus values the broker recorded for an alert, oldest first (NGSI-LD temporal API, 5.7.3). */
const statusHistory = async (id: string) => {
  const res = await t.app.request(`/ngsi-ld/v1/temporal/entities/${encodeURIComponent(id)}?attrs=alertStatus`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { alertStatus?: { value: string; modifiedAt?: string }[] | { value: string } };
  const list = Array.isArray(body.alertStatus) ? body.alertStatus : body.alertStatus ? [body.alertStatus] : [];
  return list.map((i) => i.value);
};

describe('JMA 防災情報XML feeds', () => {
  it('気象特別警報・警報・注意報 (VPWW53): a warning issued, downgraded and cleared for 青森市 is one alert, one update, one cancellation', async () => {
    routes.set('/feed/eqvol.xml', (_q, res) => res.writeHead(304).end());
    routes.set('/feed/hostile.xml', (_q, res) => res.writeHead(304).end());
    await serveFeed('/feed/extra.xml', 'feed-1.xml');
    const first = await poll();
    expect(first).toMatchObject({ outcome: 'read', problems: [], updated: [], cancelled: [] });
    expect(first.issued).toHaveLength(1);
    const id = first.issued[0]!;
    expect(id).toBe('urn:ngsi-ld:Alert:jma-vpww53-0220100-heavyRain-20261201T010000');
    // The feed's other report (府県天気予報) is not a kind taken: never fetched.
    expect(requests.filter((r) => r.includes('other-vpfd51'))).toEqual([]);
    expect(await alerts()).toEqual([
      expect.objectContaining({
        id,
        kind: 'weatherWarning',
        severity: 'high',
        headline: '青森市に大雨警報',
        description: '東青地域では、１日夕方まで土砂災害に警戒してください。',
        municipalities: ['02201'],
        status: 'issued',
        issued: '2026-12-01T01:00:00.000Z',
        source: 'jma',
        sourceReport: expect.stringContaining('気象特別警報・警報・注意報|青森地方気象台||2026-12-01T10:00:00+09:00'),
      }),
    ]);
    expect((await alerts())[0]!.easyJapanese).toContain('青森市に「大雨警報」が でました');

    await serveFeed('/feed/extra.xml', 'feed-2.xml');
    expect(await poll()).toMatchObject({ issued: [], updated: [id], cancelled: [] });
    expect(await alerts()).toEqual([
      expect.objectContaining({
        id,
        kind: 'weatherAdvisory',
        severity: 'medium',
        headline: '青森市に大雨注意報',
        status: 'updated',
        issued: '2026-12-01T01:00:00.000Z',
        updated: '2026-12-01T06:00:00.000Z',
      }),
    ]);

    await serveFeed('/feed/extra.xml', 'feed-3.xml');
    expect(await poll()).toMatchObject({ issued: [], updated: [], cancelled: [id] });
    const [ended] = await alerts();
    expect(ended).toMatchObject({ id, status: 'cancelled', headline: '青森市の大雨注意報は解除', updated: '2026-12-01T12:00:00.000Z' });
    expect(ended!.easyJapanese).toBe('「青森市に大雨注意報」は おわりました。');
    expect(await statusHistory(id)).toEqual(['issued', 'updated', 'cancelled']);
  });

  it('polling again changes nothing: 304 for an unchanged feed, and a 200 with the same entries fetches no document', async () => {
    const before = JSON.stringify(await alerts());
    const n = requests.length;
    expect(await poll()).toMatchObject({ outcome: 'unchanged', issued: [], updated: [], cancelled: [] });
    expect(requests.slice(n).filter((r) => r.startsWith('/data/'))).toEqual([]);
    // The same entries in a new body (another ETag): read, each entry already taken.
    const same = (await fixture('feed-3.xml')).replace('<rights>', '<rights>再送 ');
    routes.set('/feed/extra.xml', xml(same, 'application/atom+xml'));
    expect(await poll()).toMatchObject({ outcome: 'read', problems: [], issued: [], updated: [], cancelled: [] });
    expect(requests.slice(n).filter((r) => r.startsWith('/data/'))).toEqual([]);
    // Another process (or a restart) with the same database takes nothing again either.
    const second = await createTestAppOn();
    expect((await second.disaster.commands.pollJma()).flatMap((p) => [...p.issued, ...p.updated, ...p.cancelled])).toEqual([]);
    expect(JSON.stringify(await alerts())).toBe(before);
  });

  it('sends the validators it was given: If-None-Match and If-Modified-Since', async () => {
    const seen: IncomingMessage['headers'][] = [];
    const inner = routes.get('/feed/extra.xml')!;
    routes.set('/feed/extra.xml', (req, res) => (seen.push(req.headers), inner(req, res)));
    await poll();
    expect(seen[0]!['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(seen[0]!['if-modified-since']).toBe('Tue, 01 Dec 2026 01:00:05 GMT');
  });

  it('土砂災害警戒情報 (VXWW50) and 震源・震度に関する情報 (VXSE53) with its 取消: one alert each, the earthquake cancelled', async () => {
    await serveFeed('/feed/eqvol.xml', 'feed-eqvol.xml');
    const r = await poll(`${base}/feed/eqvol.xml`);
    expect(r.problems).toEqual([]);
    expect(r.issued.sort()).toEqual([
      'urn:ngsi-ld:Alert:jma-vxse-20261201123000',
      'urn:ngsi-ld:Alert:jma-vxww50-0220100-landslide-20261201T021000',
    ]);
    expect(r.cancelled).toEqual(['urn:ngsi-ld:Alert:jma-vxse-20261201123000']);
    const byId = new Map((await alerts()).map((a) => [a.id, a]));
    expect(byId.get('urn:ngsi-ld:Alert:jma-vxww50-0220100-landslide-20261201T021000')).toMatchObject({
      kind: 'landslideWarning',
      severity: 'high',
      hazard: 'landslide',
      municipalities: ['02201'],
      status: 'issued',
    });
    expect(byId.get('urn:ngsi-ld:Alert:jma-vxse-20261201123000')).toMatchObject({
      kind: 'earthquake',
      severity: 'medium',
      // 八戸市's 震度3 is below JMA_MIN_INTENSITY's default (4): only 青森市.
      headline: '地震（青森市 震度4）（取消）',
      municipalities: ['02201'],
      status: 'cancelled',
    });
    expect(await statusHistory('urn:ngsi-ld:Alert:jma-vxse-20261201123000')).toEqual(['issued', 'cancelled']);
  });
});

describe('JMA feeds: later reports', () => {
  /** vpww53-issued.xml as of another time, with 青森市's kind (Name, Code, Status) or 発表警報・注意報はなし. */
  const vpww53 = async (time: string, kind: [string, string, string] | 'none', infoType = '発表') => {
    const doc = (await fixture('vpww53-issued.xml'))
      .replaceAll('2026-12-01T10:00:00+09:00', time)
      .replace('<InfoType>発表</InfoType>', `<InfoType>${infoType}</InfoType>`);
    const replacement =
      kind === 'none'
        ? '<Status>発表警報・注意報はなし</Status></Kind><Area><Name>青森市'
        : `<Name>${kind[0]}</Name><Code>${kind[1]}</Code><Status>${kind[2]}</Status></Kind><Area><Name>青森市`;
    return doc.replace(
      /<Name>大雨警報<\/Name>\s*<Code>03<\/Code>\s*<Status>発表<\/Status>\s*<\/Kind>\s*<Area>\s*<Name>青森市/,
      replacement,
    );
  };
  /** Serves the documents and a feed listing them (the newest entry last in the file, as order does not matter). */
  const serve = async (docs: [string, string][]) => {
    for (const [name, doc] of docs) routes.set(`/data/${name}`, xml(doc));
    const entries = docs.map(
      ([name], i) =>
        `<entry><title>気象特別警報・警報・注意報</title><id>${base}/data/${name}</id><updated>2026-12-03T0${i}:00:00Z</updated><link href="${base}/data/${name}"/></entry>`,
    );
    routes.set(
      '/feed/extra.xml',
      xml(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">${entries.join('')}</feed>`, 'application/atom+xml'),
    );
    return poll();
  };

  it('a new issue after a cancellation is a new alert; 訂正 updates it; an older report changes nothing; 発表警報・注意報はなし cancels it', async () => {
    const issued = await serve([['later-1.xml', await vpww53('2026-12-03T09:00:00+09:00', ['大雨警報', '03', '発表'])]]);
    expect(issued).toMatchObject({ problems: [], updated: [], cancelled: [] });
    expect(issued.issued).toEqual(['urn:ngsi-ld:Alert:jma-vpww53-0220100-heavyRain-20261203T000000']);
    const id = issued.issued[0]!;
    // 青森市's 大雨 of 1 December (cancelled above) stays as it ended.
    expect((await alerts()).find((a) => a.id.endsWith('heavyRain-20261201T010000'))).toMatchObject({ status: 'cancelled' });
    expect((await alerts()).find((a) => a.id === id)).toMatchObject({ kind: 'weatherWarning', severity: 'high', status: 'issued' });

    const corrected = await serve([['later-2.xml', await vpww53('2026-12-03T09:00:00+09:00', ['大雨警報', '03', '発表'], '訂正')]]);
    expect(corrected).toMatchObject({ issued: [], updated: [id], cancelled: [] });

    // An older report (08:00) arriving late: nothing changes for 青森市's 大雨.
    const stale = await serve([['later-3.xml', await vpww53('2026-12-03T08:00:00+09:00', ['大雨警報', '03', '解除'])]]);
    expect(stale).toMatchObject({ issued: [], updated: [], cancelled: [] });

    const none = await serve([['later-4.xml', await vpww53('2026-12-03T12:00:00+09:00', 'none')]]);
    expect(none).toMatchObject({ issued: [], updated: [], cancelled: [id] });
    expect((await alerts()).find((a) => a.id === id)).toMatchObject({ status: 'cancelled', headline: '青森市に大雨警報（解除）' });
    expect(await statusHistory(id)).toEqual(['issued', 'updated', 'cancelled']);
  });

  it('取消 of a warnings report cancels the alerts that report changed', async () => {
    const issued = await serve([['later-5.xml', await vpww53('2026-12-03T15:00:00+09:00', ['暴風警報', '05', '発表'])]]);
    const id = issued.issued[0]!;
    expect(id).toBe('urn:ngsi-ld:Alert:jma-vpww53-0220100-storm-20261203T060000');
    const taken = await serve([['later-6.xml', await vpww53('2026-12-03T15:00:00+09:00', ['暴風警報', '05', '発表'], '取消')]]);
    expect(taken).toMatchObject({ issued: [], updated: [], cancelled: [id] });
    expect((await alerts()).find((a) => a.id === id)).toMatchObject({ status: 'cancelled', headline: '青森市に暴風警報（取消）' });
  });
});

describe('JMA feeds: hostile answers are refused without effect', () => {
  const hostile = async (route: (req: IncomingMessage, res: ServerResponse) => void) => {
    routes.set('/feed/hostile.xml', route);
    const before = JSON.stringify(await alerts());
    const r = await poll(`${base}/feed/hostile.xml`);
    expect(JSON.stringify(await alerts())).toBe(before);
    return r;
  };
  const entryTo = (link: string, title = '気象特別警報・警報・注意報') =>
    `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>${title}</title><id>${link}</id><updated>2026-12-02T00:00:00Z</updated><link href="${link}"/></entry></feed>`;

  it('a huge feed body (with and without Content-Length) is cut at the limit', async () => {
    const big = `<feed xmlns="http://www.w3.org/2005/Atom">${'<x/>'.repeat(100_000)}</feed>`;
    expect((await hostile(xml(big, 'application/atom+xml'))).problems[0]).toMatch(/body over 262144 bytes/);
    const chunked = await hostile((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/atom+xml' });
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 8; i++) res.write(chunk);
      res.end();
    });
    expect(chunked).toMatchObject({ outcome: 'failed', problems: [expect.stringMatching(/body over/)] });
  });

  it('XML entity expansion (billion laughs) and external entities are refused before parsing', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><feed xmlns="http://www.w3.org/2005/Atom"><title>&lol9;</title></feed>`;
    expect((await hostile(xml(laughs, 'application/atom+xml'))).problems[0]).toMatch(/document type declaration/);
    // The same inside a document an entry links to: refused, and never fetched again.
    routes.set('/data/laughs.xml', xml(laughs.replace('<feed', '<Report').replace('</feed>', '</Report>')));
    const r = await hostile(xml(entryTo(`${base}/data/laughs.xml`), 'application/atom+xml'));
    expect(r.problems[0]).toMatch(/laughs\.xml: a document type declaration/);
    const n = requests.length;
    routes.set(
      '/feed/hostile.xml',
      xml(entryTo(`${base}/data/laughs.xml`).replace('<feed', '<feed xml:lang="ja"'), 'application/atom+xml'),
    );
    await poll(`${base}/feed/hostile.xml`);
    expect(requests.slice(n).filter((r) => r.startsWith('/data/'))).toEqual([]);
  });

  it('malformed XML, a wrong content type and a document that is not a 防災情報XML report are refused', async () => {
    expect((await hostile(xml('<feed><entry>', 'application/atom+xml'))).problems[0]).toMatch(/not well-formed/);
    expect((await hostile(xml(await fixture('feed-1.xml'), 'text/html'))).problems[0]).toMatch(/content type text\/html/);
    routes.set('/data/html.xml', xml('<html><body>hi</body></html>', 'text/html'));
    expect((await hostile(xml(entryTo(`${base}/data/html.xml`), 'application/atom+xml'))).problems[0]).toMatch(/content type/);
    routes.set('/data/odd.xml', xml('<Report><Control><Title>気象特別警報・警報・注意報</Title><Status>通常</Status></Control></Report>'));
    expect((await hostile(xml(entryTo(`${base}/data/odd.xml`), 'application/atom+xml'))).problems[0]).toMatch(/ReportDateTime/);
  });

  it('a redirect (to an internal address) is not followed, and an entry linking to one is refused by the outbound policy', async () => {
    const n = requests.length;
    const r = await hostile((_q, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
    expect(r).toMatchObject({ outcome: 'failed', problems: [expect.stringMatching(/HTTP 302 \(redirects are not followed\)/)] });
    expect(requests.slice(n).filter((r) => !r.startsWith('/feed/'))).toEqual([]);
    const internal = await hostile(xml(entryTo('http://10.0.0.1/data/x.xml'), 'application/atom+xml'));
    expect(internal.problems[0]).toMatch(/10\.0\.0\.1.*private address/);
  });

  it('a feed that does not answer in time fails that feed only', async () => {
    routes.set('/feed/hostile.xml', () => undefined);
    const results = await t.disaster.commands.pollJma();
    expect(results.find((p) => p.url.endsWith('/hostile.xml'))).toMatchObject({ outcome: 'failed' });
    expect(results.find((p) => p.url.endsWith('/extra.xml'))!.outcome).not.toBe('failed');
  });
});

describe('JMA poller timer', () => {
  it('start polls at once (a second start adds nothing); stop waits for the poll under way and no poll follows', async () => {
    let calls = 0;
    routes.set('/feed/extra.xml', (_q, res) => (calls++, setTimeout(() => res.writeHead(304).end(), 200)));
    t.disaster.commands.startJmaPoller();
    t.disaster.commands.startJmaPoller(); // a second start is no second timer
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(1);
    await t.disaster.commands.stopJmaPoller();
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(1);
  });
});

/** A second app on the same database, as another process or a restart would be. */
async function createTestAppOn() {
  const { createApp } = await import('../../../app.ts');
  const { testResidentKeys } = await import('../../../../test/db.ts');
  return createApp({
    db: t.database.db,
    baseUrl: 'http://127.0.0.1:9',
    residentKeys: testResidentKeys,
    outbound: outbound({ allow: ['127.0.0.1'], timeoutMs: 2000 }),
    jma: { feeds: feedUrls(), pollSeconds: 60 },
  });
}
