// Staff alerts (issue with preview, 改めて発令, 解除) and alerts out (JSON, OASIS CAP 1.2, Atom RFC 4287,
// pages), through the HTTP routes on both databases.
import { eq } from 'drizzle-orm';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import { auditLog } from '../../platform/schema.ts';
import { toEntity, type Alert } from './alert.ts';
import { toJst } from './alert-input.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let staff: ReturnType<typeof staffHttp>;
beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  staff = staffHttp(t);
  await staff.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await staff.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  await staff.account('pref', ['prefecture_admin']);
  await staff.account('viewer', ['viewer']);
}, 60_000);
afterAll(() => t.database.close());

const inHours = (h: number) => toJst(new Date(Date.now() + h * 3600_000).toISOString());
const order = { kind: 'evacuationOrder', municipalities: '02201', hazard: 'flood', expires: inHours(6) };
const slugOf = (res: Response) => /\/staff\/disaster\/alerts\/([^/?]+)\?done=/.exec(res.headers.get('location') ?? '')?.[1];
const json = async (path: string) => (await (await t.app.request(path)).json()) as { alerts: Record<string, unknown>[] };
const xml = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (n) => ['info', 'geocode', 'polygon', 'entry', 'link'].includes(n),
});
const alertCount = async () => (await t.disaster.queries.alerts()).all.length;
/** A square around a point in 青森市 (lon, lat), closed. */
const square = (lon = 140.74, lat = 40.82, d = 0.01) =>
  JSON.stringify({
    type: 'Polygon',
    coordinates: [
      [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
      ],
    ],
  });

let slug: string;

describe('staff alerts (issue 13 point 6a)', () => {
  it('issue: the preview shows what residents see, the やさしい日本語, the municipalities and the number of devices it reaches; confirm writes it, audited', async () => {
    const page = await staff.get('aomori', '/staff/disaster/alerts');
    expect(page.status).toBe(200);
    const form = await page.text();
    expect(form).toContain('value="02201"');
    expect(form).not.toContain('value="02202"'); // an editor is offered their own municipality only

    const preview = await staff.post('aomori', '/staff/disaster/alerts/preview', order);
    expect(preview.status).toBe(200);
    const shown = await preview.text();
    expect(shown).toContain('青森市に避難指示（洪水）');
    expect(shown).toContain('にげてください');
    expect(shown).toContain('<dd class="alert-places">青森市</dd>');
    expect(shown).toContain('<dd class="recipients">0台</dd>');
    expect(await alertCount()).toBe(0); // a preview writes nothing

    const sent = await staff.post('aomori', '/staff/disaster/alerts', {
      ...order,
      easyJapanese: 'すぐに にげてください。',
      confirm: 'yes',
    });
    expect(sent.status).toBe(303);
    slug = slugOf(sent)!;
    expect(slug).toMatch(/^staff-[a-z0-9]+-[0-9a-f]{8}$/);
    const [a] = (await t.disaster.queries.alerts()).all;
    expect(a).toMatchObject({
      kind: 'evacuationOrder',
      municipalities: ['02201'],
      status: 'issued',
      source: 'staff:02201',
      easyJapanese: 'すぐに にげてください。',
    });
    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, a!.id));
    expect(audit.map((r) => r.action)).toEqual(['issue_alert']);
  });

  it("a POST without the preview's confirm writes nothing", async () => {
    const res = await staff.post('aomori', '/staff/disaster/alerts', order);
    expect(res.status).toBe(303);
    expect(await alertCount()).toBe(1);
  });

  it('update (改めて発令) then cancel (解除): status, updated time and history move; both audited', async () => {
    const before = (await t.disaster.queries.alerts()).bySlug.get(slug)!;
    const up = await staff.post('aomori', `/staff/disaster/alerts/${slug}`, { ...order, kind: 'emergencySafety', confirm: 'yes' });
    expect(up.status).toBe(303);
    const updated = (await t.disaster.queries.alerts()).bySlug.get(slug)!;
    expect(updated).toMatchObject({ status: 'updated', kind: 'emergencySafety', issued: before.issued, history: [before.updated] });
    expect(updated.updated > before.updated).toBe(true);

    expect((await staff.post('aomori', `/staff/disaster/alerts/${slug}/cancel`, { confirm: 'yes' })).status).toBe(303);
    const cancelled = (await t.disaster.queries.alerts()).bySlug.get(slug)!;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.history).toEqual([before.updated, updated.updated]);
    const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, cancelled.id));
    expect(audit.map((r) => r.action)).toEqual(['issue_alert', 'update_alert', 'cancel_alert']);
    expect(await (await t.app.request(`/disaster/alerts/${slug}`)).text()).toContain('<dd>解除</dd>');
  });

  it("another municipality's editor and a viewer get 404; an editor cannot issue for another municipality", async () => {
    expect((await staff.get('hirosaki', `/staff/disaster/alerts/${slug}`)).status).toBe(404);
    expect((await staff.post('hirosaki', `/staff/disaster/alerts/${slug}/preview`, order)).status).toBe(404);
    expect((await staff.get('hirosaki', '/staff/disaster/alerts/staff-missing')).status).toBe(404);
    expect((await staff.post('hirosaki', `/staff/disaster/alerts/${slug}/cancel`, { confirm: 'yes' })).status).toBe(404);
    expect((await staff.post('hirosaki', `/staff/disaster/alerts/${slug}`, { ...order, confirm: 'yes' })).status).toBe(404);
    expect((await staff.get('viewer', '/staff/disaster/alerts')).status).toBe(404);
    const other = await staff.post('hirosaki', '/staff/disaster/alerts', { ...order, confirm: 'yes' });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('担当する市町村の範囲で発令してください。');
    expect(await alertCount()).toBe(1);
  });

  it.each([
    ['an oversized headline', { headline: 'あ'.repeat(101) }, '見出しは100文字以内です。'],
    ['an oversized text', { description: 'あ'.repeat(2001) }, '本文は2000文字以内です。'],
    ['a control character', { headline: '避難\u0007指示' }, '見出しに制御文字は使えません。'],
    ['an impossible date', { expires: '2026-02-30T10:00' }, '終了日時を「2026-12-02T18:00」の形で入力してください。'],
    ['a past date', { expires: '2020-01-01T10:00' }, '終了日時は今より後にしてください。'],
    ['a date too far ahead', { expires: inHours(24 * 15) }, '終了日時は14日以内にしてください。'],
    ['an unknown kind', { kind: 'party' }, '種類を選んでください。'],
    ['an unknown municipality', { municipalities: '99999' }, '市町村コード 99999 は県内の市町村ではありません。'],
    ['a polygon that is not JSON', { area: '{', municipalities: '' }, '範囲は GeoJSON（JSON）で入力してください。'],
    [
      'a polygon with too many vertices',
      {
        area: JSON.stringify({
          type: 'Polygon',
          coordinates: [
            [...Array.from({ length: 500 }, (_, i) => [140 + Math.cos(i / 80) / 10, 40.8 + Math.sin(i / 80) / 10]), [140.1, 40.8]],
          ],
        }),
      },
      '範囲の頂点は500個までです。',
    ],
    [
      'a self-intersecting polygon (a bow tie)',
      {
        area: JSON.stringify({
          type: 'Polygon',
          coordinates: [
            [
              [140.7, 40.8],
              [140.8, 40.9],
              [140.8, 40.8],
              [140.7, 40.9],
              [140.7, 40.8],
            ],
          ],
        }),
      },
      '範囲の輪郭が交差しています。',
    ],
    [
      'an open ring',
      {
        area: JSON.stringify({
          type: 'Polygon',
          coordinates: [
            [
              [140.7, 40.8],
              [140.8, 40.9],
              [140.8, 40.8],
              [140.7, 40.9],
            ],
          ],
        }),
      },
      '閉じていません',
    ],
  ])('hostile input: %s is refused beside its field, with what was typed, and nothing is written', async (_label, change, message) => {
    for (const path of ['/staff/disaster/alerts/preview', '/staff/disaster/alerts']) {
      const res = await staff.post('pref', path, { ...order, ...change, confirm: 'yes' });
      expect(res.status).toBe(400);
      const page = await res.text();
      expect(page).toContain(message);
      expect(page).toContain('class="field-error differs"');
    }
    expect(await alertCount()).toBe(1);
  });

  it('a drawn area adds the municipalities it touches; a prefecture admin issues for any', async () => {
    const preview = await (
      await staff.post('pref', '/staff/disaster/alerts/preview', { ...order, municipalities: '', area: square() })
    ).text();
    expect(preview).toContain('<dd class="alert-places">青森市</dd>');
    const res = await staff.post('pref', '/staff/disaster/alerts', { ...order, municipalities: '02202', area: square(), confirm: 'yes' });
    expect(res.status).toBe(303);
    const a = (await t.disaster.queries.alerts()).bySlug.get(slugOf(res)!)!;
    expect(a).toMatchObject({ municipalities: ['02201', '02202'], source: 'staff:pref', status: 'issued' });
    expect(a.area?.type).toBe('Polygon');
  });
});

describe('alerts out (issue 13 point 7)', () => {
  it('GET /api/v1/disaster/alerts: current alerts only (cancelled ones with ?all=1), stable members, ETag and 304', async () => {
    const res = await t.app.request('/api/v1/disaster/alerts');
    expect(res.status).toBe(200);
    const { alerts } = (await res.json()) as { alerts: Record<string, unknown>[] };
    expect(alerts).toHaveLength(1);
    expect(Object.keys(alerts[0]!).sort()).toEqual(
      [
        'areas',
        'easyJapanese',
        'expires',
        'hazard',
        'headline',
        'id',
        'issued',
        'kind',
        'kindLabel',
        'severity',
        'source',
        'status',
        'updated',
        'url',
      ].sort(),
    );
    expect(alerts[0]).toMatchObject({ kind: 'evacuationOrder', areas: ['02201', '02202'], status: 'issued', severity: 'high' });
    const etag = res.headers.get('etag')!;
    expect((await t.app.request('/api/v1/disaster/alerts', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const all = (await json('/api/v1/disaster/alerts?all=1')).alerts;
    expect(all.map((a) => a.status)).toEqual(['issued', 'cancelled']);
  });

  it('sees an Alert written by another system straight away (the watcher drops the cache); expired ones are not current', async () => {
    const now = new Date().toISOString();
    const base: Omit<Alert, 'id'> = {
      kind: 'weatherWarning',
      headline: '青森市に大雨警報',
      description: '',
      easyJapanese: '',
      severity: 'high',
      municipalities: ['02201'],
      status: 'issued',
      issued: now,
      updated: now,
      source: 'jma',
    };
    await t.broker.commands.put('', toEntity({ ...base, id: 'urn:ngsi-ld:Alert:other-1' }));
    await t.broker.commands.put(
      '',
      toEntity({ ...base, id: 'urn:ngsi-ld:Alert:other-2', expires: new Date(Date.now() - 1000).toISOString() }),
    );
    const ids = (await json('/api/v1/disaster/alerts')).alerts.map((a) => a.id);
    expect(ids).toContain('urn:ngsi-ld:Alert:other-1');
    expect(ids).not.toContain('urn:ngsi-ld:Alert:other-2');
    await t.broker.commands.remove('', 'urn:ngsi-ld:Alert:other-1');
    await t.broker.commands.remove('', 'urn:ngsi-ld:Alert:other-2');
  });

  it('OASIS CAP 1.2 §3.2.1–§3.2.4: required elements, msgType Cancel with references to both earlier messages, geocode JIS X 0402', async () => {
    const res = await t.app.request(`/disaster/alerts/${slug}.cap`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/cap+xml');
    const { alert } = xml.parse(await res.text());
    expect(alert['@xmlns']).toBe('urn:oasis:names:tc:emergency:cap:1.2');
    for (const k of ['identifier', 'sender', 'sent', 'status', 'msgType', 'scope']) expect(alert[k], k).toBeTruthy();
    expect(alert).toMatchObject({
      identifier: `renkei-alert-${slug}-v2`,
      sender: '127.0.0.1',
      status: 'Actual',
      msgType: 'Cancel',
      scope: 'Public',
    });
    expect(alert.sent).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/); // §3.3.2: no "Z"
    const refs = String(alert.references).split(' ');
    expect(refs.map((r) => r.split(',')[1])).toEqual([`renkei-alert-${slug}-v0`, `renkei-alert-${slug}-v1`]);
    const [ja, easy] = alert.info;
    expect(ja).toMatchObject({
      language: 'ja-JP',
      category: 'Met',
      event: '緊急安全確保',
      urgency: 'Immediate',
      severity: 'Extreme',
      certainty: 'Observed',
    });
    expect(easy.language).toBe('ja-JP-x-easy');
    expect(easy.description).toContain('命（いのち）を 守って ください。'); // the template for 緊急安全確保
    expect(ja.area.areaDesc).toBe('青森市');
    expect(ja.area.geocode).toEqual([{ valueName: 'JIS X 0402', value: '02201' }]);
  });

  it('OASIS CAP 1.2 §3.2.4 polygon: "lat,lon" pairs, first = last; text is escaped and parses back as written', async () => {
    const res = await staff.post('pref', '/staff/disaster/alerts', {
      ...order,
      kind: 'advisory',
      headline: 'A&B <test> "q"',
      area: square(),
      confirm: 'yes',
    });
    const cap = await (await t.app.request(`/disaster/alerts/${slugOf(res)}.cap`)).text();
    const { alert } = xml.parse(cap);
    expect(alert.msgType).toBe('Alert');
    expect(alert.references).toBeUndefined();
    expect(alert.info[0].headline).toBe('A&B <test> "q"');
    const pairs = String(alert.info[0].area.polygon[0]).split(' ');
    expect(pairs).toHaveLength(5);
    expect(pairs[0]).toBe(pairs[4]);
    const [lat, lon] = pairs[0]!.split(',').map(Number);
    expect(lat).toBeCloseTo(40.81, 9);
    expect(lon).toBeCloseTo(140.73, 9);
  });

  it('Atom RFC 4287 §4.1: feed id/title/updated, entries with id, title, updated, alternate and CAP related links', async () => {
    const res = await t.app.request('/disaster/alerts.atom');
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const { feed } = xml.parse(await res.text());
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    for (const k of ['id', 'title', 'updated', 'author']) expect(feed[k], k).toBeTruthy();
    expect(feed.entry.length).toBe((await json('/api/v1/disaster/alerts')).alerts.length);
    for (const e of feed.entry) {
      expect(e.id).toMatch(/^urn:ngsi-ld:Alert:/);
      expect(e.title && e.updated).toBeTruthy();
      const links = Object.fromEntries(e.link.map((l: Record<string, string>) => [l['@rel'], l]));
      expect(links.alternate['@href']).toMatch(/^http:\/\/127\.0\.0\.1:9\/disaster\/alerts\/[^/]+$/);
      expect(links.related).toMatchObject({ '@type': 'application/cap+xml' });
      expect(links.related['@href']).toBe(`${links.alternate['@href']}.cap`);
    }
  });

  it('the public list (newest first, kind badges, やさしい日本語) and pages; an unknown slug is 404', async () => {
    const list = await (await t.app.request('/disaster/alerts')).text();
    expect(list).toContain('<span class="alert-badge">注意喚起</span>');
    expect(list).toContain('<p class="alert-easy">青森市の 人は 気を つけてください。');
    expect(list.indexOf('A&amp;B')).toBeLessThan(list.indexOf('青森市、弘前市に避難指示（洪水）'));
    expect((await t.app.request('/disaster/alerts/nope')).status).toBe(404);
    expect((await t.app.request('/disaster/alerts/nope.cap')).status).toBe(404);
  });
});
