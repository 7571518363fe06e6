// 安否確認 (issue 14 point 3) through the HTTP routes: a link exists only once the second side confirms a
// one-time つながりコード, either side removes it, a status is seen only by those linked (sealed at rest,
// each opening logged), a lookup needs the person's one-time 安否照会コード (used once, wrong ones alike
// 404, rate-limited), markSafety works inside a caller's transaction, and account deletion removes it all.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows } from '../../../../test/db.ts';
import { signedInResident } from '../../../../test/residents.ts';
import { LINK_TRIES } from './my.tsx';
import { LOOKUP_TRIES } from './lookup.tsx';
import { normaliseCode } from './safety.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
type Who = Awaited<ReturnType<typeof signedInResident>>;
let taro: Who, hanako: Who, stranger: Who;

async function myPost(app: typeof t.app, who: Who, path: string, form: Record<string, string>) {
  const body = new URLSearchParams({ csrf: who.csrf, ...form });
  const res = await app.request(path, {
    method: 'POST',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}
const post = (who: Who, path: string, form: Record<string, string>) => myPost(t.app, who, path, form);
const view = async (who: Who) => (await t.app.request('/my/disaster/safety', { headers: { cookie: who.cookie } })).text();
const shownCode = (html: string) => /<p class="code"><code>([0-9A-Z-]+)<\/code>/.exec(html)?.[1];
const makeCode = async (who: Who, kind: 'link' | 'lookup') => shownCode((await post(who, '/my/disaster/safety/codes', { kind })).html)!;
const lookup = async (code: string) => {
  const res = await t.app.request('/disaster/safety/lookup', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ code }).toString(),
  });
  return { status: res.status, html: await res.text() };
};

beforeAll(async () => {
  t = await createTestApp();
  await t.broker.loadDefaultData();
  [taro, hanako, stranger] = [
    await signedInResident(t.database.db),
    await signedInResident(t.database.db),
    await signedInResident(t.database.db),
  ];
  await post(taro, '/my/disaster/safety/name', { displayName: '青森 太郎' });
  await post(hanako, '/my/disaster/safety/name', { displayName: '青森 花子' });
});
afterAll(() => t.database.close());

describe('つながり: both sides agree', () => {
  it('makes a readable one-time code; only its SHA-256 is stored', async () => {
    const code = await makeCode(taro, 'link');
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const stored = await rows<{ hash: string }>(
      t.database,
      sql`select hash from disaster_safety_codes where resident_id = ${taro.residentId}`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(code.replace('-', ''));
  });

  it('checking a code shows whose it is and makes no link; confirming makes one, for both sides', async () => {
    const code = await makeCode(taro, 'link');
    const check = await post(hanako, '/my/disaster/safety/links/check', { code: code.toLowerCase().replace('-', ' ') });
    expect(check.status).toBe(200);
    expect(check.html).toContain('「青森 太郎」さんとつながりますか');
    expect(await view(hanako)).toContain('まだだれともつながっていません');
    const done = await post(hanako, '/my/disaster/safety/links', { code });
    expect(done.location).toBe('/my/disaster/safety?done=linked');
    expect(await view(hanako)).toContain('<h3>青森 太郎</h3>');
    expect(await view(taro)).toContain('<h3>青森 花子</h3>');
  });

  it('a code works once: used again, it is not found (404, Japanese message)', async () => {
    const code = await makeCode(taro, 'link');
    expect((await post(hanako, '/my/disaster/safety/links', { code })).status).toBe(303);
    const again = await post(stranger, '/my/disaster/safety/links', { code });
    expect(again.status).toBe(404);
    expect(again.html).toContain('コードが見つかりません');
    expect(await view(stranger)).toContain('まだだれともつながっていません');
  });

  it('refuses your own code, and an expired one', async () => {
    const own = await makeCode(stranger, 'link');
    expect((await post(stranger, '/my/disaster/safety/links/check', { code: own })).status).toBe(404);
    const old = await makeCode(stranger, 'link');
    await t.database.db.execute(
      sql`update disaster_safety_codes set expires_at = now() - interval '1 second' where resident_id = ${stranger.residentId}`,
    );
    expect((await post(taro, '/my/disaster/safety/links', { code: old })).status).toBe(404);
  });

  it('a new code replaces the earlier one', async () => {
    const first = await makeCode(stranger, 'link');
    await makeCode(stranger, 'link');
    expect((await post(taro, '/my/disaster/safety/links/check', { code: first })).status).toBe(404);
  });

  it('either side removes the link; a made-up or someone else’s record is 404', async () => {
    const a = await signedInResident(t.database.db);
    const b = await signedInResident(t.database.db);
    await post(a, '/my/disaster/safety/name', { displayName: '弘前 一郎' });
    await post(b, '/my/disaster/safety/links', { code: await makeCode(a, 'link') });
    const [aRow] = await rows<{ record_id: string }>(
      t.database,
      sql`select record_id from disaster_safety_statuses where resident_id = ${a.residentId}`,
    );
    expect((await post(stranger, '/my/disaster/safety/links/remove', { record: aRow!.record_id })).status).toBe(404);
    expect((await post(b, '/my/disaster/safety/links/remove', { record: 'no-such-record' })).status).toBe(404);
    expect((await post(b, '/my/disaster/safety/links/remove', { record: aRow!.record_id })).location).toBe(
      '/my/disaster/safety?done=removed',
    );
    expect(await view(a)).toContain('まだだれともつながっていません');
  });

  it(`limits code entry to ${LINK_TRIES.max} tries per resident (429)`, async () => {
    const guesser = await signedInResident(t.database.db);
    const answers = [];
    for (let i = 0; i < LINK_TRIES.max + 1; i++)
      answers.push((await post(guesser, '/my/disaster/safety/links/check', { code: `ZZZZ-ZZZ${i % 10}` })).status);
    expect(answers.slice(0, LINK_TRIES.max).every((s) => s === 404)).toBe(true);
    expect(answers.at(-1)).toBe(429);
  });
});

describe('status: seen by those linked only', () => {
  it('hanako marks 避難中 with a place and note; taro (linked) sees it, the stranger does not', async () => {
    const r = await post(hanako, '/my/disaster/safety/status', {
      status: 'evacuating',
      place: '青森市立筒井小学校に避難',
      note: '家族は全員無事です',
      municipality: '02201',
    });
    expect(r.location).toBe('/my/disaster/safety?done=status');
    const seen = await view(taro);
    expect(seen).toContain('<strong class="safety-evacuating">避難中</strong>');
    expect(seen).toContain('居場所: 青森市立筒井小学校に避難');
    expect(seen).toContain('伝言: 家族は全員無事です');
    expect(seen).toContain('本人');
    expect(await view(stranger)).not.toContain('筒井小学校');
  });

  it('keeps display name, place and note sealed at rest; each opening for taro is logged', async () => {
    const [row] = await rows<Record<string, string>>(
      t.database,
      sql`select display_name, place, note from disaster_safety_statuses where resident_id = ${hanako.residentId}`,
    );
    expect(Object.values(row!).every((v) => v.startsWith('v1.'))).toBe(true);
    expect(JSON.stringify(row)).not.toContain('筒井');
    const log = await rows<{ actor_id: string; basis: string; categories: string[] }>(
      t.database,
      sql`select actor_id, basis, categories from personal_data_access_log where resident_id = ${hanako.residentId} and actor_id = ${taro.residentId}`,
    );
    expect(log.length).toBeGreaterThan(0);
    expect(log.at(-1)).toEqual({ actor_id: taro.residentId, basis: 'held', categories: ['name', 'safetyNote'] });
  });

  it('markSafety runs inside the caller’s transaction: rolled back with it, kept when it commits (the check-in part)', async () => {
    await t.database.db
      .transaction(async (tx) => {
        await t.disaster.commands.markSafety(tx, hanako.residentId, { status: 'safe', source: 'check-in' });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await view(taro)).toContain('避難中');
    await t.database.db.transaction((tx) =>
      t.disaster.commands.markSafety(tx, hanako.residentId, {
        status: 'evacuating',
        place: '筒井小学校避難所に避難',
        source: 'check-in',
        municipality: '02201',
      }),
    );
    const seen = await view(taro);
    expect(seen).toContain('避難所の受付');
    expect(seen).toContain('居場所: 筒井小学校避難所に避難');
  });

  it.each([
    [{ status: 'dead' }, '無事・負傷・避難中から選んでください'],
    [{ status: 'safe', place: 'a\u0007b' }, '居場所に使えない制御文字'],
    [{ status: 'safe', note: 'あ'.repeat(201) }, '伝言は200文字以内'],
    [{ status: 'safe', municipality: '99999' }, '市町村を選び直してください'],
  ])('refuses %j with a Japanese message, changing nothing', async (form, message) => {
    const r = await post(stranger, '/my/disaster/safety/status', form as Record<string, string>);
    expect(r.status).toBe(400);
    expect(r.html).toContain(message);
  });

  it('refuses a form without the session’s CSRF token', async () => {
    const r = await post(hanako, '/my/disaster/safety/status', { status: 'safe', csrf: 'forged' });
    expect(r.status).toBe(400);
    expect(await view(taro)).toContain('避難中');
  });
});

describe('安否照会 without a link', () => {
  it('with the code: only the display name and status, once', async () => {
    const code = await makeCode(hanako, 'lookup');
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const found = await lookup(code);
    expect(found.status).toBe(200);
    expect(found.html).toContain('<h2 id="lookup-result">青森 花子</h2>');
    expect(found.html).toContain('避難中');
    expect(found.html).not.toContain('筒井'); // the place is not shown
    expect((await lookup(code)).status).toBe(404);
  });

  it.each([[''], ['ZZZZZ-ZZZZZ'], ['<script>'], ['あ'.repeat(30)], ['\u0000\u0001']])(
    'without a valid code (%j): nothing found, 404',
    async (code) => {
      const r = await lookup(code);
      expect(r.status).toBe(404);
      expect(r.html).toContain('コードが見つかりません');
      expect(r.html).not.toContain('lookup-result');
    },
  );

  it('a link code is not a lookup code', async () => {
    expect((await lookup(await makeCode(hanako, 'link'))).status).toBe(404);
  });

  it('answers an oversized body with 413, never a 5xx', async () => {
    const res = await t.app.request('/disaster/safety/lookup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '100000' },
      body: `code=${'A'.repeat(100_000)}`,
    });
    expect(res.status).toBe(413);
  });

  it(`limits tries per address to ${LOOKUP_TRIES.max} in 15 minutes: then even a valid code answers 429 and stays unused`, async () => {
    const code = await makeCode(taro, 'lookup');
    let status = 0;
    for (let i = 0; i <= LOOKUP_TRIES.max && status !== 429; i++) status = (await lookup('ZZZZZ-ZZZZZ')).status;
    expect(status).toBe(429);
    const r = await lookup(code);
    expect(r.status).toBe(429);
    expect(r.html).toContain('照会が多すぎます');
    expect(
      await rows(t.database, sql`select 1 from disaster_safety_codes where resident_id = ${taro.residentId} and kind = 'lookup'`),
    ).toHaveLength(1);
  });

  it('normalises what is typed: full-width, lower case, O for 0, I/L for 1', () => {
    expect(normaliseCode('ａｂｃｄ－ｅｆｏｉ')).toBe('ABCDEF01');
    expect(normaliseCode('abc')).toBeUndefined();
  });
});

describe('account deletion', () => {
  it('removes the status, codes and links of either side', async () => {
    const gone = await signedInResident(t.database.db);
    await post(gone, '/my/disaster/safety/name', { displayName: '消える 人' });
    await post(taro, '/my/disaster/safety/links', { code: await makeCode(gone, 'link') });
    await makeCode(gone, 'lookup');
    await t.residents.commands.deleteAccount(gone.residentId);
    for (const table of ['disaster_safety_statuses', 'disaster_safety_codes'])
      expect(await rows(t.database, sql`select 1 from ${sql.identifier(table)} where resident_id = ${gone.residentId}`)).toEqual([]);
    expect(await rows(t.database, sql`select 1 from disaster_safety_links where a = ${gone.residentId} or b = ${gone.residentId}`)).toEqual(
      [],
    );
    expect(await view(taro)).not.toContain('消える 人');
  });
});
