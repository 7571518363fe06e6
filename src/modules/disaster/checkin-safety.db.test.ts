// The parts of issue 14 working together: a card holder checked in at a shelter's reception is
// 「避難中」 「○○に避難」 for the family they linked with (安否確認, point 3), and a person on the
// 避難行動要支援者名簿 linked to that account leaves the not-yet-confirmed list at once (point 7), and
// the 罹災証明書 application is pre-filled from the check-in (point 8).
import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { signedInResident } from '../../../test/residents.ts';
import { hiddenFields, staffHttp } from '../../../test/staff-http.ts';
import { disasterRosterEntries } from './schema-roster.ts';
import type { Shelter } from './shelters.ts';

type Who = Awaited<ReturnType<typeof signedInResident>>;
let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;
let s: Shelter;
let taro: Who;
let hanako: Who;
const fixture = readFileSync(new URL('../../../test/fixtures/disaster/roster.csv', import.meta.url));

async function post(who: Who, path: string, form: Record<string, string> = {}) {
  const res = await t.app.request(path, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: who.csrf, ...form }).toString(),
  });
  return { status: res.status, html: await res.text() };
}
const view = async (who: Who, path: string) => (await t.app.request(path, { headers: { cookie: who.cookie } })).text();
const rosterPage = async () => (await http.get('aomori', '/staff/disaster/roster')).text();
const unconfirmed = (html: string) => html.slice(html.indexOf('id="roster-unconfirmed"'), html.indexOf('<h2>名簿の取り込み</h2>'));

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  s = (await t.disaster.queries.map()).byMunicipality.get('02201')!.find((x) => x.kind === 'evacuation')!;
  expect((await http.post('aomori', `/staff/disaster/shelters/${s.slug}/status`, { status: 'open', capacity: '894' })).status).toBe(303);
  [taro, hanako] = [await signedInResident(t.database.db), await signedInResident(t.database.db)];
  await post(taro, '/my/disaster/safety/name', { displayName: '青森 太郎' });
  await post(hanako, '/my/disaster/safety/name', { displayName: '青森 花子' });
  const code = /<p class="code"><code>([0-9A-Z-]+)<\/code>/.exec(
    (await post(taro, '/my/disaster/safety/codes', { kind: 'link' })).html,
  )![1]!;
  expect((await post(hanako, '/my/disaster/safety/links', { code })).status).toBe(303);
  expect((await post(taro, '/my/disaster/card')).status).toBe(303);
  // The roster: the fixture imported through preview and confirm; its first person linked to 太郎's account
  // (the link route, tested in roster.db.test.ts, does this after matching 氏名・生年月日 through the gate).
  const p = await http.upload('aomori', '/staff/disaster/roster/preview', {}, { name: 'roster.csv', bytes: fixture });
  expect((await http.upload('aomori', '/staff/disaster/roster/import', hiddenFields(p.html, ['fileName', 'content']))).status).toBe(303);
  await t.database.db
    .update(disasterRosterEntries)
    .set({ residentId: taro.residentId })
    .where(eq(disasterRosterEntries.municipality, '02201'));
  await t.database.db.execute(
    sql`update disaster_roster_entries set resident_id = null where municipality = '02201' and id <> (select min(id) from disaster_roster_entries where municipality = '02201')`,
  );
}, 60_000);
afterAll(() => t.database.close());

describe('check-in → 安否確認 and the 要支援者名簿 (issue 14 points 2, 3, 7)', () => {
  it('checks 太郎 in by the short code: 花子 sees 「避難中」 at the shelter, and the roster person leaves the list at once', async () => {
    const short = /id="card-short-code">([0-9A-Z]{5}-[0-9A-Z]{5})</.exec(await view(taro, '/my/disaster/card'))![1]!;
    const [linked] = await t.database.db.select().from(disasterRosterEntries).where(eq(disasterRosterEntries.residentId, taro.residentId));
    const before = unconfirmed(await rosterPage());
    expect(before).toContain(`/staff/disaster/roster/${linked!.id}`);
    const people = (html: string) => html.slice(html.indexOf('class="safety-people"'));
    expect(people(await view(hanako, '/my/disaster/safety'))).not.toContain('class="safety-evacuating"');
    const r = await http.post('aomori', `/staff/disaster/shelters/${s.slug}/reception/checkin`, {
      card: short,
      people: '2',
      clientId: 'client-integration-1',
    });
    expect(r.status).toBe(303);
    const family = people(await view(hanako, '/my/disaster/safety'));
    expect(family).toContain('<strong class="safety-evacuating">避難中</strong>');
    expect(family).toContain(`${s.name}に避難`);
    const after = unconfirmed(await rosterPage());
    expect(after).not.toContain(`/staff/disaster/roster/${linked!.id}`);
    expect(after.length).toBeLessThan(before.length); // the others stay
  });

  it("pre-fills 太郎's 罹災証明書 application from the check-in (no photo reports): municipality, date and the shelter named", async () => {
    const html = await view(taro, '/my/disaster/certificates/new');
    const [row] = await t.database.db
      .execute<{ d: string }>(
        sql`select to_char(checked_in_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as d from disaster_checkins where resident_id = ${taro.residentId}`,
      )
      .then((r) => r.rows);
    expect(html).toContain(`避難所での受付（${s.name}、`);
    expect(html).toMatch(/<option value="02201" selected="">/);
    expect(html).toContain(`name="damagedOn" value="${row!.d}"`);
    // 花子 has no check-in: nothing pre-filled, no note.
    const hers = await view(hanako, '/my/disaster/certificates/new');
    expect(hers).not.toContain('避難所での受付（');
    expect(hers).not.toMatch(/<option value="02201" selected/);
  });
});
