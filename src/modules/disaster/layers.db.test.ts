// A municipality's layers through the staff screens: upload → preview (rows, count, row errors) →
// confirm → the broker's municipality tenant and open data tenant, replacing the previous layer, all
// or nothing; then the public layer API from memory with ETag/304.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCp932 } from '../../../test/cp932.ts';
import { createTestApp } from '../../../test/db.ts';
import { hiddenFields, staffHttp } from '../../../test/staff-http.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/disaster/${name}`, import.meta.url));

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  await http.account('admin', ['prefecture_admin']);
  await http.account('viewer', ['viewer']);
});
afterAll(() => t.database.close());

const upload = (...a: Parameters<typeof http.upload>) => http.upload(...a);
const confirmFields = (html: string) => hiddenFields(html, ['layer', 'municipality', 'fileName', 'content']);

async function importFile(key: string, municipality: string, layer: string, name: string, bytes: Uint8Array | string) {
  const preview = await upload(key, '/staff/disaster/layers/preview', { municipality, layer }, { name, bytes });
  if (preview.status !== 200) return preview;
  return upload(key, '/staff/disaster/layers/import', confirmFields(preview.html));
}

const open = (type: string) => t.broker.queries.entities('', { types: [type] }, true);
const own = (tenant: string, type: string) => t.broker.queries.entities(tenant, { types: [type] }, true);

describe('layer import (issue 13 point 3)', () => {
  it('previews a 医療機関一覧 CSV (UTF-8 with BOM): the rows and count, nothing written yet', async () => {
    const r = await upload(
      'aomori',
      '/staff/disaster/layers/preview',
      { municipality: '02201', layer: 'medical' },
      { name: 'medical.csv', bytes: fixture('medical.csv') },
    );
    expect(r.status).toBe(200);
    expect(r.html).toContain('確認: 青森市の医療機関（2件）');
    expect(r.html).toContain('テスト病院');
    expect(r.html).toContain('青森県青森市架空町1-1');
    expect(await open('MedicalFacility')).toEqual([]);
  });

  it("imports it to the municipality tenant and the open data tenant, with municipality, source and the layout's columns; audited", async () => {
    const r = await importFile('aomori', '02201', 'medical', 'medical.csv', fixture('medical.csv'));
    expect(r.status).toBe(303);
    expect(r.location).toBe('/staff/disaster/layers?imported=2');
    const pub = await open('MedicalFacility');
    expect(pub.map((e) => e.name).sort()).toEqual(['テスト病院', 'テスト診療所']);
    expect(pub[0]).toMatchObject({
      id: 'urn:ngsi-ld:MedicalFacility:02201-1',
      municipality: 'urn:ngsi-ld:Municipality:02201',
      source: 'CSV: medical.csv',
      category: '病院',
      departments: '内科;外科',
      location: { type: 'Point', coordinates: [140.747, 40.822] },
    });
    expect((await own('02201', 'MedicalFacility')).map((e) => e.id)).toEqual(pub.map((e) => e.id));
    const audit = await t.database.db.execute<{ action: string; entity_id: string }>(
      "select action, entity_id from audit_log where action = 'import_disaster_layer'",
    );
    expect(audit.rows).toEqual([{ action: 'import_disaster_layer', entity_id: '02201/medical' }]);
  });

  it('reads an AED設置箇所一覧 CSV saved by Excel as CP932 (Shift_JIS)', async () => {
    const bytes = encodeCp932(fixture('aed.csv').toString('utf8'));
    const r = await importFile('aomori', '02201', 'aed', 'aed.csv', bytes);
    expect(r.status).toBe(303);
    const aeds = await open('Aed');
    expect(aeds.map((e) => e.name)).toEqual(['テスト市民センター', 'テスト体育館', 'テスト図書館']);
    expect(aeds[0]).toMatchObject({ placement: '1階玄関', pediatric: '有', id: 'urn:ngsi-ld:Aed:02201-A1' });
  });

  it('imports GeoJSON hazard polygons (flood by key, 土砂災害警戒区域 by name), high ground and roads', async () => {
    for (const [layer, file] of [
      ['hazard-areas', 'hazard-areas.geojson'],
      ['high-ground', 'high-ground.geojson'],
      ['roads', 'roads.geojson'],
    ] as const)
      expect((await importFile('aomori', '02201', layer, file, fixture(file))).status).toBe(303);
    const areas = await open('HazardArea');
    expect(areas.map((a) => [a.hazard, a.name])).toEqual([
      ['flood', 'テスト川 浸水想定区域'],
      ['landslide', '土砂災害警戒区域'],
    ]);
    expect((await open('RoadSegment')).map((r) => r.name)).toEqual(['テスト通り', 'テスト坂']);
    expect((await open('HighGround'))[0]).toMatchObject({ name: 'テスト高台公園', address: '青森県青森市架空町6-6' });
  });

  it('replaces the layer: a row no longer in the file is deleted from both tenants', async () => {
    const one = fixture('aed.csv').toString('utf8').split('\n').slice(0, 2).join('\n');
    expect((await importFile('aomori', '02201', 'aed', 'aed.csv', one)).status).toBe(303);
    expect((await open('Aed')).map((e) => e.name)).toEqual(['テスト市民センター']);
    expect((await own('02201', 'Aed')).map((e) => e.name)).toEqual(['テスト市民センター']);
  });

  it('shows row errors in Japanese with row numbers and writes nothing (missing name, outside Aomori, bad number, formula, unknown hazard, bad geometry)', async () => {
    const lines = fixture('aed.csv').toString('utf8').trim().split('\n');
    const bad = [
      lines[0],
      lines[1]!.replace('テスト市民センター', ''),
      lines[2]!.replace('40.8180', '35.6800'),
      lines[3]!.replace('140.7600', '1e400'),
      lines[1]!.replace('A1', 'A9').replace('1階玄関', '=cmd|/c calc'),
    ].join('\n');
    const r = await upload(
      'aomori',
      '/staff/disaster/layers/preview',
      { municipality: '02201', layer: 'aed' },
      { name: 'aed.csv', bytes: bad },
    );
    expect(r.status).toBe(400);
    expect(r.html).toContain('誤りが4件あります');
    expect(r.html).toContain('<td>2行目</td><td>名称がありません</td>');
    expect(r.html).toContain('<td>3行目</td><td>座標が青森県の範囲外です');
    expect(r.html).toContain('<td>4行目</td><td>座標が正しくありません</td>');
    expect(r.html).toContain('<td>5行目</td><td>placement: 数式として読まれる文字');
    expect(r.html).not.toContain('この内容で取り込む');

    const geo = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { hazard: 'meteor' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [140.7, 40.8],
                [140.71, 40.8],
                [140.7, 40.81],
                [140.7, 40.8],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { hazard: 'flood' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [140.7, 40.8],
                [140.71, 40.8],
                [140.7, 40.81],
              ],
            ],
          },
        },
        { type: 'Feature', properties: { hazard: 'flood' }, geometry: { type: 'Point', coordinates: [140.7, 40.8] } },
      ],
    });
    const g = await upload(
      'aomori',
      '/staff/disaster/layers/preview',
      { municipality: '02201', layer: 'hazard-areas' },
      { name: 'a.geojson', bytes: geo },
    );
    expect(g.status).toBe(400);
    expect(g.html).toContain('<td>1行目</td><td>災害の種類が不明です');
    expect(g.html).toContain('<td>2行目</td><td>多角形の座標が正しくありません</td>');
    expect(g.html).toContain('<td>3行目</td><td>形状が正しくありません（Polygonのみ）</td>');
    expect((await open('HazardArea')).length).toBe(2);
  });

  it('all or nothing: a confirm whose content was changed to contain an error imports nothing', async () => {
    const preview = await upload(
      'aomori',
      '/staff/disaster/layers/preview',
      { municipality: '02201', layer: 'aed' },
      { name: 'aed.csv', bytes: fixture('aed.csv') },
    );
    const fields = confirmFields(preview.html);
    const r = await upload('aomori', '/staff/disaster/layers/import', {
      ...fields,
      content: `${fields.content}\n022012,A9,青森県,青森市,,,,,40.8,140.7,x`,
    });
    expect(r.status).toBe(400);
    expect(r.html).toContain('誤りが1件あります');
    expect((await open('Aed')).map((e) => e.name)).toEqual(['テスト市民センター']);
  });

  it('hostile files never 5xx: deep JSON, not JSON, a CSV for polygons, control characters', async () => {
    const deep = `{"type":"FeatureCollection","features":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const cases: [string, string, string, string][] = [
      ['hazard-areas', 'deep.geojson', deep, '入れ子が深すぎます'],
      ['roads', 'x.geojson', '{"type":', 'GeoJSONとして読めません'],
      ['roads', 'x.csv', '名称,緯度,経度\nA,40.8,140.7', 'GeoJSONで取り込んでください'],
      ['aed', 'x.csv', '名称,緯度,経度\nテスト\u0007,40.8,140.7', 'name: 制御文字が含まれています'],
    ];
    const big = upload(
      'aomori',
      '/staff/disaster/layers/preview',
      { municipality: '02201', layer: 'aed' },
      { name: 'big.csv', bytes: 'x'.repeat(5_100_000) },
    );
    expect(await big).toMatchObject({ status: 400, html: expect.stringContaining('ファイルが大きすぎます（5MBまで）') });
    for (const [layer, name, bytes, message] of cases) {
      const r = await upload('aomori', '/staff/disaster/layers/preview', { municipality: '02201', layer }, { name, bytes });
      expect(r.status, name).toBe(400);
      expect(r.html).toContain(message);
    }
  });

  it("authorization: another municipality's editor, or a viewer, gets 404 and writes nothing; the prefecture administrator may import for any", async () => {
    const hirosaki = await importFile('hirosaki', '02201', 'aed', 'aed.csv', fixture('aed.csv'));
    expect(hirosaki.status).toBe(404);
    const forged = await upload('hirosaki', '/staff/disaster/layers/import', {
      municipality: '02201',
      layer: 'aed',
      fileName: 'aed.csv',
      content: fixture('aed.csv').toString('utf8'),
    });
    expect(forged.status).toBe(404);
    expect((await http.get('viewer', '/staff/disaster/layers')).status).toBe(200);
    expect((await importFile('viewer', '02201', 'aed', 'aed.csv', fixture('aed.csv'))).status).toBe(404);
    expect((await open('Aed')).length).toBe(1);
    const page = await (await http.get('hirosaki', '/staff/disaster/layers')).text();
    expect(page).toContain('<option value="02202">弘前市</option>');
    expect(page).not.toContain('value="02201"');
    // 弘前市's file: its 全国地方公共団体コード is 022021 (青森市's 022012 would be refused for 02202).
    const hirosakiFile = fixture('aed.csv').toString('utf8').replaceAll('\n022012,', '\n022021,');
    const wrong = await upload(
      'admin',
      '/staff/disaster/layers/preview',
      { municipality: '02202', layer: 'aed' },
      { name: 'aed.csv', bytes: fixture('aed.csv') },
    );
    expect(wrong.html).toContain('全国地方公共団体コード「022012」がこの市町村（02202）のものではありません');
    expect((await importFile('admin', '02202', 'aed', 'aed.csv', hirosakiFile)).status).toBe(303);
    expect((await own('02202', 'Aed')).length).toBe(3);
  });
});

describe('layer API (GET /api/v1/disaster/layers/{layer})', () => {
  it("answers a GeoJSON FeatureCollection of one municipality's layer from the open data tenant, ETag and 304", async () => {
    const res = await t.app.request('/api/v1/disaster/layers/aed?municipality=02201');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    const body = (await res.json()) as { type: string; features: { id: string; geometry: unknown; properties: Record<string, unknown> }[] };
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toEqual([
      expect.objectContaining({
        id: 'urn:ngsi-ld:Aed:02201-A1',
        geometry: { type: 'Point', coordinates: [140.75, 40.82] },
        properties: expect.objectContaining({ name: 'テスト市民センター', municipality: '02201', source: 'CSV: aed.csv' }),
      }),
    ]);
    const etag = res.headers.get('etag')!;
    expect((await t.app.request('/api/v1/disaster/layers/aed?municipality=02201', { headers: { 'If-None-Match': etag } })).status).toBe(
      304,
    );
    const roads = (await (await t.app.request('/api/v1/disaster/layers/roads?municipality=02201')).json()) as { features: unknown[] };
    expect(roads.features).toHaveLength(2);
    const other = (await (await t.app.request('/api/v1/disaster/layers/aed?municipality=02202')).json()) as { features: unknown[] };
    expect(other.features).toHaveLength(3);
  });

  it('sees a new import at once (the watcher drops the cache): the old ETag no longer matches', async () => {
    const before = await t.app.request('/api/v1/disaster/layers/medical?municipality=02201');
    const etag = before.headers.get('etag')!;
    expect(
      (
        await importFile(
          'aomori',
          '02201',
          'medical',
          'medical.csv',
          fixture('medical.csv').toString('utf8').split('\n').slice(0, 2).join('\n'),
        )
      ).status,
    ).toBe(303);
    const after = await t.app.request('/api/v1/disaster/layers/medical?municipality=02201', { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { features: unknown[] }).features).toHaveLength(1);
  });

  it('hostile parameters: unknown layer 404, malformed municipality 400, unknown municipality 404', async () => {
    expect((await t.app.request('/api/v1/disaster/layers/bunkers')).status).toBe(404);
    expect((await t.app.request('/api/v1/disaster/layers/aed?municipality=02201%27--')).status).toBe(400);
    expect((await t.app.request('/api/v1/disaster/layers/aed?municipality=99999')).status).toBe(404);
  });
});
