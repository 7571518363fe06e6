// 指定河川洪水予報 (岩木川: issued, raised, cleared) and earthquakes (震度 per municipality against
// JMA_MIN_INTENSITY, here 5弱) through the JMA adapter, from a local server serving documents written from
// 気象庁防災情報XMLフォーマット (test/fixtures/jma/README.md).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/db.ts';
import { outbound } from '../../../platform/outbound.ts';
import { fromEntity } from '../alert.ts';

const fixture = (name: string) => readFile(new URL(`../../../../test/fixtures/jma/${name}`, import.meta.url), 'utf8');
/** Path → body; feeds (under /feed/) are Atom, the rest 防災情報XML. */
const docs = new Map<string, string>();
const server = createServer((req, res) => {
  const body = docs.get(req.url!);
  if (body === undefined) return res.writeHead(404).end();
  const type = req.url!.startsWith('/feed/') ? 'application/atom+xml' : 'application/xml; charset=utf-8';
  res.writeHead(200, { 'content-type': type }).end(body.replaceAll('{base}', base));
});
let base = '';
let t: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const name of ['vxko-issued', 'vxko-raised', 'vxko-cleared']) docs.set(`/data/${name}.xml`, await fixture(`${name}.xml`));
  t = await createTestApp('aomori', 'http://127.0.0.1:9', {
    outbound: outbound({ allow: ['127.0.0.1'], timeoutMs: 2000 }),
    jma: { feeds: [`${base}/feed/extra.xml`, `${base}/feed/eqvol.xml`], pollSeconds: 60, minIntensity: '5-' },
  });
  await t.broker.loadDefaultData();
}, 60_000);
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await t?.database.close();
});

const poll = async (feed: 'extra' | 'eqvol') => {
  const r = (await t.disaster.commands.pollJma()).find((p) => p.url === `${base}/feed/${feed}.xml`)!;
  expect(r.problems).toEqual([]);
  return r;
};
const jmaAlerts = async () =>
  new Map(
    (await t.broker.queries.entities('', { types: ['Alert'] }, true))
      .map((e) => fromEntity(e)!)
      .filter((a) => a.source === 'jma')
      .map((a) => [a.id, a]),
  );
const riverId = (area: string, time: string) => `urn:ngsi-ld:Alert:jma-vxko-${area}-riverFlood-${time}`;

describe('指定河川洪水予報 (VXKO)', () => {
  const ids = ['0220200', '0220500', '0238100'].map((a) => riverId(a, '20261201T040000'));

  it('岩木川: レベル２氾濫注意報 issued for the 浸水想定地区, raised to レベル３氾濫警報, then 解除 — one alert, one update, one cancellation each', async () => {
    docs.set('/feed/extra.xml', await fixture('feed-vxko-1.xml'));
    const issued = await poll('extra');
    expect(issued).toMatchObject({ outcome: 'read', updated: [], cancelled: [] });
    expect(issued.issued).toEqual(ids);
    expect((await jmaAlerts()).get(ids[0]!)).toMatchObject({
      kind: 'floodForecast',
      hazard: 'flood',
      severity: 'medium',
      status: 'issued',
      headline: '岩木川にレベル２氾濫注意報（弘前市）',
      municipalities: ['02202'],
      description: '岩木川では、氾濫注意水位に到達し、さらに水位の上昇が見込まれます。',
    });

    docs.set('/feed/extra.xml', await fixture('feed-vxko-2.xml'));
    const raised = await poll('extra');
    expect(raised).toMatchObject({ issued: [], updated: ids, cancelled: [] });
    expect((await jmaAlerts()).get(ids[1]!)).toMatchObject({
      severity: 'high',
      status: 'updated',
      headline: '岩木川にレベル３氾濫警報（五所川原市）',
      municipalities: ['02205'],
    });

    // The 解除 lists no 浸水想定地区: every alert of the river's series ends.
    docs.set('/feed/extra.xml', await fixture('feed-vxko-3.xml'));
    const cleared = await poll('extra');
    expect(cleared).toMatchObject({ issued: [], updated: [], cancelled: ids });
    const after = await jmaAlerts();
    expect(ids.map((id) => after.get(id)!.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(after.get(ids[2]!)!.headline).toBe('岩木川にレベル３氾濫警報（板柳町）（解除）');

    // The same feed again: nothing is fetched or alerted twice.
    docs.set('/feed/extra.xml', (await fixture('feed-vxko-3.xml')).replace('<title>高頻度（定時）</title>', '<title>again</title>'));
    expect(await poll('extra')).toMatchObject({ issued: [], updated: [], cancelled: [] });
  });
});

describe('earthquakes: 震度 per municipality, JMA_MIN_INTENSITY 5弱', () => {
  /** vxse53-issued.xml as a report of event `event` at `time` (JST hh:mm), with 青森市's and 八戸市's 震度. */
  const vxse53 = async (event: string, time: string, aomori: string, hachinohe: string, title = '震源・震度に関する情報') =>
    (await fixture('vxse53-issued.xml'))
      .replace('<EventID>20261201123000</EventID>', `<EventID>${event}</EventID>`)
      .replace('<ReportDateTime>2026-12-01T12:35:00+09:00', `<ReportDateTime>2026-12-04T${time}:00+09:00`)
      .replace(/(<Name>青森市<\/Name>\s*<Code>0220100<\/Code>\s*<MaxInt>)4/, `$1${aomori}`)
      .replace(/(<Name>八戸市<\/Name>\s*<Code>0220300<\/Code>\s*<MaxInt>)3/, `$1${hachinohe}`)
      .replaceAll('震源・震度に関する情報', title);
  /** Serves the documents and an eqvol feed listing them. */
  const serve = async (list: [string, string, string][]) => {
    for (const [name, , doc] of list) docs.set(`/data/${name}`, doc);
    const entries = list.map(
      ([name, title], i) =>
        `<entry><title>${title}</title><id>${base}/data/${name}</id><updated>2026-12-04T0${i}:00:00Z</updated><link href="${base}/data/${name}"/></entry>`,
    );
    docs.set('/feed/eqvol.xml', `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">${entries.join('')}</feed>`);
    return poll('eqvol');
  };
  const id = 'urn:ngsi-ld:Alert:jma-vxse-20261204090000';

  it('only municipalities at 震度5弱 or more are alerted; a later report that raises one updates the alert; its 取消 ends it', async () => {
    // Below the threshold everywhere (4 and 3), and a 震度速報 (no City): no alert.
    const below = await serve([
      ['q-0.xml', '震源・震度に関する情報', await vxse53('20261204080000', '08:05', '4', '3')],
      ['q-1.xml', '震度速報', (await vxse53('20261204080000', '08:02', '5-', '5-', '震度速報')).replace(/<City>[\s\S]*?<\/City>/g, '')],
    ]);
    expect(below).toMatchObject({ issued: [], updated: [], cancelled: [] });

    const first = await serve([['q-2.xml', '震源・震度に関する情報', await vxse53('20261204090000', '09:05', '5-', '4')]]);
    expect(first.issued).toEqual([id]);
    expect((await jmaAlerts()).get(id)).toMatchObject({
      kind: 'earthquake',
      hazard: 'earthquake',
      severity: 'high',
      headline: '地震（青森市 震度5弱）',
      municipalities: ['02201'],
      status: 'issued',
    });

    const raised = await serve([['q-3.xml', '震源・震度に関する情報', await vxse53('20261204090000', '09:20', '5-', '6-')]]);
    expect(raised).toMatchObject({ issued: [], updated: [id], cancelled: [] });
    expect((await jmaAlerts()).get(id)).toMatchObject({
      severity: 'critical',
      headline: '地震（八戸市 震度6弱、青森市 震度5弱）',
      municipalities: ['02203', '02201'],
    });

    // A later report with the same 震度s changes nothing; an older one arriving late neither.
    const same = await serve([
      ['q-4.xml', '震源・震度に関する情報', await vxse53('20261204090000', '09:30', '5-', '6-')],
      ['q-5.xml', '震源・震度に関する情報', await vxse53('20261204090000', '09:10', '7', '7')],
    ]);
    expect(same).toMatchObject({ issued: [], updated: [], cancelled: [] });

    const taken = await serve([
      [
        'q-6.xml',
        '震源・震度に関する情報',
        (await vxse53('20261204090000', '09:40', '5-', '6-')).replace('<InfoType>発表</InfoType>', '<InfoType>取消</InfoType>'),
      ],
    ]);
    expect(taken).toMatchObject({ issued: [], updated: [], cancelled: [id] });
    expect((await jmaAlerts()).get(id)).toMatchObject({ status: 'cancelled', headline: '地震（八戸市 震度6弱、青森市 震度5弱）（取消）' });
  });
});
