// 写真投稿 (issue 14 point 4) through the HTTP routes: a resident posts (EXIF GPS read, then gone from
// the published file), a retry with the same clientId is one report, staff of the municipality approve
// or reject (audited), other municipalities' staff get 404, and only approved reports are public.
import { readFileSync } from 'node:fs';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAudit } from '../../platform/audit.ts';
import { createTestApp } from '../../../test/db.ts';
import { signedInResident } from '../../../test/residents.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import { photoWithGps } from '../../../test/photos.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let resident: Awaited<ReturnType<typeof signedInResident>>;
const heic = readFileSync(new URL('../../../test/fixtures/disaster/gradient-96x64.heic', import.meta.url));

let n = 0;
async function post(fields: Record<string, string>, photo?: { bytes: Uint8Array; name: string }, who = resident) {
  const form = new FormData();
  form.set('csrf', who.csrf);
  form.set('clientId', fields.clientId ?? `client-${++n}-abcdef`);
  form.set('category', 'flood');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (photo) form.set('photo', new File([photo.bytes as BlobPart], photo.name));
  const res = await t.app.request('/my/disaster/reports', { method: 'POST', headers: { cookie: who.cookie }, body: form });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}
const idOf = (location: string | null) => /sent=([0-9a-f-]{36})/.exec(location ?? '')?.[1];
const geojson = async (q = '') => (await (await t.app.request(`/api/v1/disaster/reports${q}`)).json()) as { features: { id: string }[] };

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  resident = await signedInResident(t.database.db);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  await http.account('admin', ['prefecture_admin']);
});
afterAll(() => t.database.close());

describe('写真投稿 (issue 14 point 4)', () => {
  let id: string;

  it('takes a JPEG with EXIF GPS: the point and time from EXIF, 青森市 from the point, pending', async () => {
    const r = await post({ note: '道路が冠水しています' }, { bytes: await photoWithGps({ orientation: 6 }), name: 'x.jpg' });
    expect(r.status).toBe(303);
    id = idOf(r.location)!;
    expect(id).toBeDefined();
    const staff = await (await http.get('aomori', '/staff/disaster/reports')).text();
    expect(staff).toContain('確認待ち（1件）');
    expect(staff).toContain('道路が冠水しています');
    expect(staff).toContain('40.82222, 140.74722（写真の位置情報）');
    expect(staff).toContain('2026/12/01 10:20'); // EXIF local time read as Japan time
  });

  it('keeps no metadata in the stored image: no GPS, EXIF, XMP or ICC (checked with exifr and sharp); upright, ≤ 1600 px', async () => {
    const res = await http.get('aomori', `/staff/disaster/reports/${id}/image`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
    expect(await exifr.parse(bytes, { xmp: true, icc: true, iptc: true })).toBeUndefined();
    const meta = await sharp(bytes).metadata();
    expect([meta.exif, meta.xmp, meta.icc, meta.iptc]).toEqual([undefined, undefined, undefined, undefined]);
    expect([meta.width, meta.height]).toEqual([1200, 1600]); // Orientation 6 turned upright, then reduced
  });

  it('is one report when the same post is sent again (the offline queue retrying)', async () => {
    const photo = { bytes: await photoWithGps(), name: 'x.jpg' };
    const a = await post({ clientId: 'retry-0001-abcdef' }, photo);
    const b = await post({ clientId: 'retry-0001-abcdef' }, photo);
    expect(idOf(b.location)).toBe(idOf(a.location));
  });

  it('is not public while pending: 404 for its image, absent from the GeoJSON', async () => {
    expect((await t.app.request(`/disaster/reports/${id}.jpg`)).status).toBe(404);
    expect((await geojson('?municipality=02201')).features).toEqual([]);
  });

  it('is a 404 for another municipality’s staff (image and decision), and changes nothing', async () => {
    expect((await http.get('hirosaki', `/staff/disaster/reports/${id}/image`)).status).toBe(404);
    expect(await (await http.get('hirosaki', '/staff/disaster/reports')).text()).toContain('確認待ち（0件）');
    expect((await http.post('hirosaki', `/staff/disaster/reports/${id}/decision`, { decision: 'approve' })).status).toBe(404);
    expect((await t.app.request(`/disaster/reports/${id}.jpg`)).status).toBe(404);
  });

  it('approved by 青森市: on the GeoJSON (point rounded, no reporter) and the image public with an ETag and no GPS', async () => {
    const r = await http.post('aomori', `/staff/disaster/reports/${id}/decision`, { decision: 'approve' });
    expect(r.status).toBe(303);
    const fc = (await geojson('?municipality=02201')) as unknown as {
      features: { id: string; geometry: { coordinates: number[] }; properties: Record<string, unknown> }[];
    };
    expect(fc.features.map((f) => f.id)).toEqual([id]);
    expect(fc.features[0]!.geometry.coordinates).toEqual([140.747, 40.822]);
    expect(JSON.stringify(fc)).not.toContain(resident.residentId);
    expect(fc.features[0]!.properties).toMatchObject({ category: 'flood', categoryLabel: '浸水', image: `/disaster/reports/${id}.jpg` });
    const img = await t.app.request(`/disaster/reports/${id}.jpg`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    expect(await exifr.gps(Buffer.from(await img.arrayBuffer())).catch(() => undefined)).toBeUndefined();
    const again = await t.app.request(`/disaster/reports/${id}.jpg`, { headers: { 'if-none-match': img.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const list = await (await t.app.request('/disaster/municipalities/02201/reports')).text();
    expect(list).toContain(`/disaster/reports/${id}.jpg`);
    const [audit] = await searchAudit(t.database.db, { action: 'approve_disaster_report', entityId: id }, { limit: 5, offset: 0 });
    expect(audit?.actorId).toBe(http.sessions.aomori!.id);
  });

  it('rejects only with a reason (audited), stays private, and a decided report cannot be decided again', async () => {
    const r = await post({ municipality: '02202', category: 'fallenTree' }, { bytes: heic, name: 'IMG_0001.HEIC' });
    expect(r.status).toBe(303); // HEIC (iPhone) accepted; no location in it: 弘前市 as chosen
    const rid = idOf(r.location)!;
    const noReason = await http.post('admin', `/staff/disaster/reports/${rid}/decision`, { decision: 'reject' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('却下の理由を入力してください。');
    expect(
      (await http.post('admin', `/staff/disaster/reports/${rid}/decision`, { decision: 'reject', reason: '人の顔が写っている' })).status,
    ).toBe(303);
    expect((await http.post('admin', `/staff/disaster/reports/${rid}/decision`, { decision: 'approve' })).status).toBe(400);
    expect((await t.app.request(`/disaster/reports/${rid}.jpg`)).status).toBe(404);
    const [audit] = await searchAudit(t.database.db, { action: 'reject_disaster_report', entityId: rid }, { limit: 5, offset: 0 });
    expect(audit?.reason).toBe('人の顔が写っている');
    const own = await (await t.app.request('/my/disaster/reports', { headers: { cookie: resident.cookie } })).text();
    expect(own).toContain('非公開（却下）（理由: 人の顔が写っている）');
  });

  it.each([
    ['not an image', { bytes: new TextEncoder().encode('<html>hello</html>'), name: 'x.jpg' }, 400, '画像として読めませんでした'],
    ['a broken HEIC', { bytes: new Uint8Array([...heic.subarray(0, 300)]), name: 'x.heic' }, 400, '画像として読めませんでした'],
    ['no photo', undefined, 400, '写真を選んでください。'],
  ])('refuses %s with a Japanese message, writing nothing', async (_l, photo, status, message) => {
    const r = await post({ municipality: '02201' }, photo);
    expect(r.status).toBe(status);
    expect(r.html).toContain(message);
  });

  it('refuses a decompression bomb (a small PNG of 100 million pixels) before decoding it: 413', async () => {
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(1_000_000);
    const r = await post({ municipality: '02201' }, { bytes: bomb, name: 'bomb.png' });
    expect(r.status).toBe(413);
    expect(r.html).toContain('画像の画素数が大きすぎます');
  });

  it('refuses a file over 15 MB (413) and hostile fields (400), never 5xx', async () => {
    const big = await post({ municipality: '02201' }, { bytes: new Uint8Array(15 * 1024 * 1024 + 10), name: 'big.jpg' });
    expect(big.status).toBe(413);
    const photo = { bytes: await photoWithGps(), name: 'x.jpg' };
    expect((await post({ category: 'volcano' }, photo)).status).toBe(400);
    expect((await post({ note: 'a\u0000b' }, photo)).status).toBe(400);
    expect((await post({ clientId: '../../x' }, photo)).status).toBe(400);
    expect((await post({ point: '0,0' }, photo)).html).toContain('青森県内ではありません');
    const huge = await post({ municipality: '02201' }, { bytes: new Uint8Array(17 * 1024 * 1024), name: 'huge.jpg' });
    expect(huge.status).toBe(413); // the /my ceiling, before the session reads the body
    expect(huge.html).toContain('送信内容が大きすぎます');
    const bad = await t.app.request('/api/v1/disaster/reports?municipality=abc');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    expect((await t.app.request('/api/v1/disaster/reports?municipality=99999')).status).toBe(404);
    expect((await t.app.request('/disaster/reports/not-an-id.jpg')).status).toBe(404);
    expect(t.errors).toEqual([]);
  });

  it('takes a published report down with a reason: off the map and its image gone, audited', async () => {
    const r = await post({ municipality: '02201' }, { bytes: await photoWithGps(), name: 'x.jpg' });
    const down = idOf(r.location)!;
    const decide = (form: Record<string, string>) => http.post('aomori', `/staff/disaster/reports/${down}/decision`, form);
    expect((await decide({ decision: 'approve' })).status).toBe(303);
    expect((await t.app.request(`/disaster/reports/${down}.jpg`)).status).toBe(200);
    expect((await decide({ decision: 'reject' })).status).toBe(400); // no reason
    expect((await decide({ decision: 'reject', reason: '表札が写っている' })).status).toBe(303);
    expect((await geojson()).features.map((f) => f.id)).not.toContain(down);
    expect((await t.app.request(`/disaster/reports/${down}.jpg`)).status).toBe(404);
    const [audit] = await searchAudit(t.database.db, { action: 'reject_disaster_report', entityId: down }, { limit: 5, offset: 0 });
    expect(audit?.before).toEqual({ status: 'approved' });
  });

  it("goes with the resident's account: deleting it removes their reports, published ones too", async () => {
    const leaving = await signedInResident(t.database.db);
    const r = await post({ municipality: '02201' }, { bytes: await photoWithGps(), name: 'x.jpg' }, leaving);
    const gone = idOf(r.location)!;
    expect((await http.post('aomori', `/staff/disaster/reports/${gone}/decision`, { decision: 'approve' })).status).toBe(303);
    expect((await geojson()).features.map((f) => f.id)).toContain(gone);
    await t.residents.commands.deleteAccount(leaving.residentId);
    expect((await geojson()).features.map((f) => f.id)).not.toContain(gone);
    expect((await t.app.request(`/disaster/reports/${gone}.jpg`)).status).toBe(404);
    expect((await geojson()).features.map((f) => f.id)).toContain(id); // another resident's report stays
  });

  it('needs a signed-in resident to post', async () => {
    const res = await t.app.request('/my/disaster/reports/new');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain('/my/sign-in');
  });
});
