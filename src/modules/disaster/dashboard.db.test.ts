// 災害情報管理ダッシュボード (issue 14 point 6): each municipality sees its own shelters' figures and
// staff-only needs, the prefecture sees every municipality; the live stream (server-sent events, HTML
// Living Standard §9.2) sends an `update` event when anything behind the dashboard changes — a
// vendor's occupancy PATCH on the broker included — and nothing when nothing does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApp } from '../../../test/db.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import type { Shelter } from './shelters.ts';

let t: Awaited<ReturnType<typeof serveTestApp>>;
let http: ReturnType<typeof staffHttp>;
let aomori: Shelter;
let hirosaki: Shelter;

beforeAll(async () => {
  t = await serveTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  await http.account('admin', ['prefecture_admin']);
  const data = await t.disaster.queries.map();
  aomori = data.byMunicipality.get('02201')!.find((x) => x.kind === 'evacuation')!;
  hirosaki = data.byMunicipality.get('02202')!.find((x) => x.kind === 'evacuation')!;
  const ops = (who: string, s: Shelter, part: string, form: Record<string, string>) =>
    http.post(who, `/staff/disaster/shelters/${s.slug}/${part}`, form);
  expect((await ops('aomori', aomori, 'status', { status: 'open', capacity: '894' })).status).toBe(303);
  expect((await ops('aomori', aomori, 'needs', { supplies: '', shortages: '粉ミルク', sickCount: '2', injuredCount: '1' })).status).toBe(
    303,
  );
  expect((await ops('hirosaki', hirosaki, 'status', { status: 'open', capacity: '50' })).status).toBe(303);
}, 60_000);
afterAll(() => t.close());

const page = async (who: string) => (await http.get(who, '/staff/disaster')).text();

/** Reads the event stream while `during` runs and for `ms` after; answers the events' names and data. */
async function events(who: string, during: () => Promise<unknown>, ms = 4000) {
  const ctl = new AbortController();
  const res = await fetch(`${t.url}/staff/disaster/events`, { headers: { cookie: http.sessions[who]!.cookie }, signal: ctl.signal });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const got: { event: string; data: string }[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (n: string) => [...block.matchAll(/^(\w+): ?(.*)$/gm)].find((m) => m[1] === n)?.[2];
        got.push({ event: field('event') ?? 'message', data: field('data') ?? '' });
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 300));
  await during();
  await new Promise((r) => setTimeout(r, ms));
  ctl.abort();
  await reading;
  return got;
}

describe('災害情報管理ダッシュボード (issue 14 point 6)', () => {
  it("shows a municipality its own open shelters with evacuees/capacity and staff-only needs, not another's", async () => {
    const html = await page('aomori');
    expect(html).toContain('青森市の状況です。');
    expect(html).toContain(`href="/staff/disaster/shelters/${aomori.slug}"`);
    expect(html).toContain('－/894人'); // no check-in yet: unknown, not 0
    expect(html).toContain('粉ミルク');
    expect(html).toContain('2人・1人');
    expect(html).not.toContain(`href="/staff/disaster/shelters/${hirosaki.slug}"`);
  });

  it('shows the prefecture every municipality, with the totals', async () => {
    const html = await page('admin');
    expect(html).toContain('青森県内すべての市町村の状況です。');
    expect(html).toContain(`href="/staff/disaster/shelters/${aomori.slug}"`);
    expect(html).toContain(`href="/staff/disaster/shelters/${hirosaki.slug}"`);
    expect(html).toContain('避難者数 0人／収容人数 944人（避難者数が未記録の避難所 2か所）');
  });

  it('exports the shelters as CSV for Excel in EEI-shaped columns, unknown evacuees an empty cell, the scope kept', async () => {
    const res = await http.get('aomori', '/staff/disaster/export/shelters.csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
    const text = new TextDecoder().decode(bytes); // (drops the BOM)
    expect(text.startsWith('報告時点,市町村コード,市町村名,避難所ID,避難所名,種別,開設状況,開設日時,避難者数,収容人数,')).toBe(true);
    const rows = text.trimEnd().split('\r\n');
    expect(rows).toHaveLength(2); // 青森市's one open shelter, not 弘前市's
    const cells = rows[1]!.split(',');
    expect(cells.slice(1, 7)).toEqual(['02201', '青森市', aomori.id, aomori.name, '指定避難所', '開設']);
    expect(cells[7]).toMatch(/^\d{4}-\d\d-\d\dT/); // 開設日時
    expect(cells.slice(8, 13)).toEqual(['', '894', '粉ミルク', '2', '1']);
    // No reception records yet: the attribute cells are unknown (empty), never 0.
    expect(rows[0]!.split(',').slice(14)).toEqual([
      '受付で数えた0〜14歳',
      '受付で数えた15〜64歳',
      '受付で数えた65〜74歳',
      '受付で数えた75歳以上',
      '受付で数えた年齢不明',
      '年齢を数えた世帯数',
      '要配慮のある世帯数',
      '市町村外からの避難者数',
    ]);
    expect(cells.slice(14)).toEqual(Array(8).fill(''));
  });

  it('exports disaster information with its source and time; a formula-looking text is guarded', async () => {
    const now = new Date().toISOString();
    await t.broker.commands.put('', {
      id: 'urn:ngsi-ld:RoadClosure:export-1',
      type: 'RoadClosure',
      name: { type: 'Property', value: '=HYPERLINK("http://127.0.0.1/")' },
      status: { type: 'Property', value: 'closed', observedAt: now },
      source: { type: 'Property', value: '青森県道路管理システム' },
      dateObserved: { type: 'Property', value: now },
      municipality: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02201' },
    });
    const text = await (await http.get('aomori', '/staff/disaster/export/damage.csv')).text();
    expect(text).toContain(`,02201,青森市,通行止め・渋滞,"'=HYPERLINK(""http://127.0.0.1/"")",`);
    expect(text).toContain(`,${now},青森県道路管理システム,いいえ,urn:ngsi-ld:RoadClosure:export-1`);
    expect(await (await http.get('hirosaki', '/staff/disaster/export/damage.csv')).text()).not.toContain('export-1');
  });

  it('sends an update when a vendor writes occupancy on the broker, and the page then shows it', async () => {
    const got = await events(
      'aomori',
      () => t.broker.commands.update('', aomori.id, { occupancy: { type: 'Property', value: 169 } }),
      2500,
    );
    expect(got.filter((e) => e.event === 'update')).toHaveLength(1);
    expect(await page('aomori')).toContain('169人/894人');
  });

  it('sends nothing while nothing changes', async () => {
    const got = await events('aomori', async () => undefined, 2500);
    expect(got.filter((e) => e.event === 'update')).toEqual([]);
  });

  it("updates on a staff-only write (another municipality's tenant) too", async () => {
    const got = await events(
      'admin',
      async () =>
        http.post('hirosaki', `/staff/disaster/shelters/${hirosaki.slug}/needs`, {
          supplies: '',
          shortages: '毛布',
          sickCount: '',
          injuredCount: '',
        }),
      2500,
    );
    expect(got.filter((e) => e.event === 'update')).toHaveLength(1);
    expect(await page('admin')).toContain('毛布');
  });

  it('counts evacuees from the receptions (never lists them), by how they were received and 要配慮, in scope only', async () => {
    const walkIn = (who: string, s: Shelter, people: string, needsCare: string, n: number) =>
      http.post(who, `/staff/disaster/shelters/${s.slug}/reception/walk-in`, {
        name: '避難 一郎',
        people,
        needsCare,
        clientId: `dash-${n}-abcdef`,
      });
    expect((await walkIn('aomori', aomori, '3', 'yes', 1)).status).toBe(303);
    expect((await walkIn('aomori', aomori, '1', 'no', 2)).status).toBe(303);
    expect((await walkIn('hirosaki', hirosaki, '2', 'yes', 3)).status).toBe(303);
    const mine = await page('aomori');
    expect(mine).toContain('2世帯・4人');
    expect(mine).toMatch(/<th scope="row">手書きで受付<\/th><td>2世帯<\/td>/);
    expect(mine).toContain('1世帯／1世帯／0世帯'); // 要配慮 あり／なし／不明
    expect(mine).not.toContain('避難 一郎'); // counted, not listed
    expect(await page('admin')).toContain('3世帯・6人');
  });

  it('is a 404 for staff without a disaster role, the stream too', async () => {
    await http.account('viewer', ['viewer']);
    expect((await http.get('viewer', '/staff/disaster')).status).toBe(404);
    expect((await http.get('viewer', '/staff/disaster/events')).status).toBe(404);
    expect((await http.get('viewer', '/staff/disaster/export/shelters.csv')).status).toBe(404);
    expect((await t.app.request('/staff/disaster/events')).status).toBe(302); // no session: to sign-in
  });
});
