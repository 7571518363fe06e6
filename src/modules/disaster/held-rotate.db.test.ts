// rotate-key with the holders' own code: a walk-in's name sealed by the reception and a 安否確認 status
// sealed by the safety part are resealed in the places those holders bind (heldSealedColumns), so a
// server given only the new key still opens them on their pages.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, testResidentKeys } from '../../../test/db.ts';
import { signedInResident } from '../../../test/residents.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import { createApp } from '../../app.ts';
import { newKey } from '../residents/crypto.ts';
import { rotateKeys } from '../residents/index.ts';
import type { Shelter } from './shelters.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let s: Shelter;

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  s = (await t.disaster.queries.map()).byMunicipality.get('02201')!.find((x) => x.kind === 'evacuation')!;
  await http.post('aomori', `/staff/disaster/shelters/${s.slug}/status`, { status: 'open', capacity: '100' });
});
afterAll(() => t.database.close());

describe('rotate-key and the holders (reception, 安否確認)', () => {
  it('reseals what they sealed; a server with only the new key opens the walk-in’s name and the status’s place', async () => {
    const reception = `/staff/disaster/shelters/${s.slug}/reception`;
    const walk = { name: '回転 太郎', people: '1', needsCare: 'no', clientId: 'walk-rotate' };
    expect((await http.post('aomori', `${reception}/walk-in`, walk)).status).toBe(303);
    const [walkIn] = await rows<{ id: string }>(t.database, sql`select id from disaster_checkins where client_id = 'walk-rotate'`);
    const resident = await signedInResident(t.database.db);
    await t.disaster.commands.markSafety(t.database.db, resident.residentId, {
      status: 'evacuating',
      place: '回転小学校の体育館',
      note: '家族は無事',
      source: 'self',
    });

    const next = newKey();
    const rotation = await rotateKeys(t.database.db, {
      ring: { current: next.id, keys: new Map([[next.id, next], ...testResidentKeys.keys]) },
    });
    expect(rotation.failed).toEqual([]);
    expect(rotation.unused).toEqual([testResidentKeys.current]);

    // A server started after the rotation with the new key only (the old one deleted from its setting).
    const after = await createApp({
      db: t.database.db,
      baseUrl: 'http://127.0.0.1:9',
      residentKeys: { current: next.id, keys: new Map([[next.id, next]]) },
    });
    const cookie = http.sessions.aomori!.cookie;
    const detail = await after.app.request(`${reception}/checkins/${walkIn!.id}`, { headers: { cookie } });
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain('<dt>代表者の氏名</dt><dd>回転 太郎</dd>');
    const mine = await after.app.request('/my/disaster/safety', { headers: { cookie: resident.cookie } });
    expect(mine.status).toBe(200);
    const html = await mine.text();
    expect(html).toContain('回転小学校の体育館');
    expect(html).toContain('家族は無事');
  });
});
