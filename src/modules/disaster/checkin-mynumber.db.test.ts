// マイナンバーカードで受付 (issue 14 point 2) over HTTP, against the stand-in for デジタル認証アプリ (a real
// OpenID Connect provider on 127.0.0.1 with both of the RP's redirect URIs registered): the reception's
// form starts an authorization-code flow (PKCE, state, nonce) with its own redirect URI, the callback
// checks in the account the card is linked to, and nothing else: a card with no account, a cancelled
// sign-in, a lost flow, another acr, another municipality's staff and a closed shelter change nothing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservePort, rows, serveTestApp } from '../../../test/db.ts';
import { CARD_ACR, CookieClient, mynumberStandIn, OTHER_ACR } from '../../../test/mynumber-provider.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import { giveConsent } from '../residents/consents.ts';
import type { Shelter } from './shelters.ts';

const CALLBACK = '/staff/disaster/reception/mynumber/callback';
let t: Awaited<ReturnType<typeof serveTestApp>>;
let standIn: Awaited<ReturnType<typeof mynumberStandIn>>;
let http: ReturnType<typeof staffHttp>;
let s: Shelter;
let closed: Shelter;
let holder: string;
let n = 0;
const clientId = () => `mynumber-${++n}-${Date.now()}`;
const reception = (sh: Shelter = s) => `${t.url}/staff/disaster/shelters/${sh.slug}/reception`;

/** A staff member's browser: the session cookie of `staffHttp`'s account. */
function staffBrowser(key: string) {
  const b = new CookieClient();
  const [name, value] = http.sessions[key]!.cookie.split('=') as [string, string];
  b.cookies.set(name, value);
  return b;
}
/** Reception's form → デジタル認証アプリ → the callback → where the staff browser lands. */
async function checkInByCard(key = 'aomori', fields: Record<string, string> = {}) {
  const form = { csrf: http.sessions[key]!.csrf, people: '2', clientId: clientId(), ...fields };
  return staffBrowser(key).follow(`${reception()}/mynumber`, /\/reception\?/, form);
}
const checkinsOf = (residentId: string) =>
  rows<{ method: string; people: number; home_municipality: string | null; age_65_74: number | null; shelter_id: string }>(
    t.database,
    sql`select method, people, home_municipality, age_65_74, shelter_id from disaster_checkins where resident_id = ${residentId} and checked_out_at is null`,
  );
const count = async () => (await rows<{ n: number }>(t.database, sql`select count(*)::int as n from disaster_checkins`))[0]!.n;

beforeAll(async () => {
  const port = await reservePort();
  standIn = await mynumberStandIn(`${port.url}/my/sign-in/mynumber/callback`, `${port.url}${CALLBACK}`);
  t = await serveTestApp('aomori', port, { mynumber: standIn.config });
  await t.broker.loadDefaultData();
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('hirosaki', ['municipality_editor'], { municipalityCode: '02202' });
  const data = await t.disaster.queries.map();
  [s, closed] = data.byMunicipality.get('02201')!.filter((x) => x.kind === 'evacuation') as [Shelter, Shelter];
  expect((await http.post('aomori', `/staff/disaster/shelters/${s.slug}/status`, { status: 'open', capacity: '894' })).status).toBe(303);
  // The resident linked the card once on マイページ (the same stand-in, subject 'reception-holder').
  standIn.state.subject = 'reception-holder';
  expect((await new CookieClient().follow(`${t.url}/my/sign-in/mynumber`, /\/my$/)).url).toBe(`${t.url}/my`);
  holder = (await rows<{ resident_id: string }>(t.database, sql`select resident_id from resident_identity_links`))[0]!.resident_id;
});
afterAll(async () => {
  await t?.close();
  await standIn?.close();
});

describe('マイナンバーカードで受付 (OpenID Connect Core 1.0 §3.1 authorization code flow, RFC 7636 PKCE)', () => {
  it('the reception page offers it only when a provider is configured', async () => {
    const html = await (await staffBrowser('aomori').fetch(reception())).text();
    expect(html).toContain('マイナンバーカードで受付する');
    expect(html).toContain(`action="/staff/disaster/shelters/${s.slug}/reception/mynumber"`);
  });

  it('§3.1.2.1: the form redirects to the provider with the reception redirect URI, S256 challenge, state, nonce and prompt=login', async () => {
    const res = await staffBrowser('aomori').fetch(`${reception()}/mynumber`, {
      csrf: http.sessions.aomori!.csrf,
      people: '1',
      clientId: clientId(),
    });
    expect(res.status).toBe(303);
    const url = new URL(res.headers.get('location')!);
    expect(url.origin).toBe(standIn.config.issuer);
    expect(url.searchParams.get('redirect_uri')).toBe(`${t.url}${CALLBACK}`);
    expect(url.searchParams.get('scope')).toBe('openid');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    // §3.1.2.1 prompt=login: the next person at the same device is never signed in as the previous one.
    expect(url.searchParams.get('prompt')).toBe('login');
  });

  it('checks in the linked account with method mynumber, people and 住所の市町村, attributes from consented data; occupancy follows', async () => {
    await t.residents.commands.saveProfile({ residentId: holder, municipalityCode: '02201', name: '受付 花子', birthDate: '1955-01-01' });
    await giveConsent(t.database.db, t.organisations.queries, holder, {
      purposeId: 'shelter-reception',
      recipients: ['02201'],
      categories: ['birthDate'],
    });
    const { url } = await checkInByCard('aomori', { homeMunicipality: '02203' });
    expect(url).toBe(`${reception()}?done=in`);
    expect(await checkinsOf(holder)).toEqual([
      { method: 'mynumber', people: 2, home_municipality: '02203', age_65_74: 1, shelter_id: s.id },
    ]);
    const occupancy = (await t.broker.queries.entity('', s.id))?.occupancy as { value?: number } | undefined;
    expect(occupancy?.value).toBe(2);
    const list = await (await staffBrowser('aomori').fetch(reception())).text();
    expect(list).toContain('<td>マイナンバーカード</td>');
    // The same household again at the same shelter changes nothing.
    const before = await count();
    expect((await checkInByCard()).url).toBe(`${reception()}?done=in`);
    expect(await count()).toBe(before);
  });

  // The same device right after a card holder (prompt=login): test/browser/reception-mynumber.browser.test.ts.
  it('a card with no account is refused in Japanese and no account is made', async () => {
    standIn.state.subject = 'card-without-account';
    try {
      const [before, accounts] = [await count(), await rows(t.database, sql`select id from resident_accounts`)];
      const { url } = await checkInByCard();
      expect(url).toBe(`${reception()}?mynumber=unlinked`);
      const page = await (await staffBrowser('aomori').fetch(url)).text();
      expect(page).toContain('このマイナンバーカードはマイページに連携されていません。');
      expect(await count()).toBe(before);
      expect(await rows(t.database, sql`select id from resident_accounts`)).toEqual(accounts);
    } finally {
      standIn.state.subject = 'reception-holder';
    }
  });

  it('§3.1.2.6 error=access_denied (cancelled in the app) comes back to reception with the reason; nothing checked in', async () => {
    standIn.state.deny = true;
    try {
      const before = await count();
      const { url } = await checkInByCard();
      expect(url).toBe(`${reception()}?mynumber=interrupted`);
      expect(await (await staffBrowser('aomori').fetch(url)).text()).toContain('認証が中断されたか');
      expect(await count()).toBe(before);
    } finally {
      standIn.state.deny = false;
    }
  });

  it('§3.1.2.7 a forged state comes back to reception with the reason; a callback without the flow cookie gets the Japanese page (400); nothing checked in', async () => {
    const before = await count();
    const b = staffBrowser('aomori');
    const form = { csrf: http.sessions.aomori!.csrf, people: '1', clientId: clientId() };
    const { url } = await b.follow(`${reception()}/mynumber`, new RegExp(CALLBACK), form);
    const forged = new URL(url);
    forged.searchParams.set('state', 'forged');
    const refused = await b.fetch(forged.href);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toContain('mynumber=interrupted');
    const lost = await staffBrowser('aomori').fetch(url);
    expect(lost.status).toBe(400);
    expect(await lost.text()).toContain('受付できませんでした');
    expect(await count()).toBe(before);
  });

  it('another municipality’s staff get 404 and are never sent to the provider; a closed shelter, bad fields and a missing CSRF token are 400', async () => {
    const foreign = await staffBrowser('hirosaki').fetch(`${reception()}/mynumber`, {
      csrf: http.sessions.hirosaki!.csrf,
      people: '1',
      clientId: clientId(),
    });
    expect(foreign.status).toBe(404);
    const shut = await staffBrowser('aomori').fetch(`${reception(closed)}/mynumber`, {
      csrf: http.sessions.aomori!.csrf,
      people: '1',
      clientId: clientId(),
    });
    expect(shut.status).toBe(400);
    expect(await shut.text()).toContain('この避難所は開設されていません');
    const bads: Record<string, string>[] = [{ people: '0' }, { people: '1\u0000' }, { homeMunicipality: '99999' }, { clientId: 'x' }];
    for (const bad of bads) {
      const res = await staffBrowser('aomori').fetch(`${reception()}/mynumber`, {
        csrf: http.sessions.aomori!.csrf,
        people: '1',
        clientId: clientId(),
        ...bad,
      });
      expect(res.status).toBe(400);
    }
    const noCsrf = await staffBrowser('aomori').fetch(`${reception()}/mynumber`, { people: '1', clientId: clientId() });
    expect(noCsrf.status).toBe(400);
    expect(noCsrf.headers.get('location')).toBeNull();
  });
});

describe('the expected acr at reception (OpenID Connect Core 1.0 §2 acr claim)', () => {
  it('with an expected acr, a sign-in carrying another acr is refused at reception; nothing checked in', async () => {
    const port = await reservePort();
    const strictIn = await mynumberStandIn(`${port.url}${CALLBACK}`);
    const strict = await serveTestApp('aomori', port, { mynumber: { ...strictIn.config, acr: CARD_ACR } });
    try {
      await strict.broker.loadDefaultData();
      const h = staffHttp(strict);
      await h.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
      await h.post('aomori', `/staff/disaster/shelters/${s.slug}/status`, { status: 'open', capacity: '10' });
      strictIn.state.acr = OTHER_ACR;
      const b = new CookieClient();
      b.cookies.set('renkei_staff', h.sessions.aomori!.cookie.split('=')[1]!);
      const form = { csrf: h.sessions.aomori!.csrf, people: '1', clientId: clientId() };
      const { url } = await b.follow(`${strict.url}/staff/disaster/shelters/${s.slug}/reception/mynumber`, /\/reception\?/, form);
      expect(url).toContain('mynumber=other-acr');
      expect(await rows(strict.database, sql`select id from disaster_checkins`)).toEqual([]);
    } finally {
      await strict.close();
      await strictIn.close();
    }
  });
});

describe('デジタル認証アプリ unreachable (the shelter’s network or the provider down)', () => {
  it('the reception page still opens at once; the form answers 503 in Japanese and nothing is checked in', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const issuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    const down = await serveTestApp('aomori', undefined, { mynumber: { issuer, clientId: 'RP00000001', clientSecret: 'secret' } });
    try {
      await down.broker.loadDefaultData();
      const h = staffHttp(down);
      await h.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
      await h.post('aomori', `/staff/disaster/shelters/${s.slug}/status`, { status: 'open', capacity: '10' });
      const started = Date.now();
      const page = await h.get('aomori', `/staff/disaster/shelters/${s.slug}/reception`);
      expect(page.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000); // discovery is not awaited by the page
      expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' ${issuer}`);
      const res = await h.post('aomori', `/staff/disaster/shelters/${s.slug}/reception/mynumber`, { people: '1', clientId: clientId() });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('デジタル認証アプリに接続できません');
      expect(await rows(down.database, sql`select id from disaster_checkins`)).toEqual([]);
    } finally {
      await down.close();
    }
  });
});
