// Consent records (ISO/IEC TS 27560 in DPV terms), their notices and signed receipts, on PGlite and PostgreSQL.
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { CompactSign, compactVerify, createLocalJWKSet, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, testResidentKeys } from '../../../test/db.ts';
import { createApp } from '../../app.ts';
import { rotateReceiptKey } from './receipts.ts';
import { signedInResident } from '../../../test/residents.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp('aomori');
});
afterAll(() => t.close());

type Resident = Awaited<ReturnType<typeof signedInResident>>;
const get = (r: Resident, path: string) => t.app.request(path, { headers: { cookie: r.cookie } });
function post(r: Resident, path: string, fields: [string, string][]) {
  const body = new URLSearchParams([['csrf', r.csrf], ...fields]);
  return t.app.request(path, { method: 'POST', body, headers: { cookie: r.cookie, 'content-type': 'application/x-www-form-urlencoded' } });
}
const stored = (residentId: string) =>
  rows<{ id: string; recipient_id: string; categories: string[]; purpose_version: number }>(
    t.database,
    sql`select id, recipient_id, categories, purpose_version from consent_records where resident_id = ${residentId} order by recipient_id`,
  );
const give = (r: Resident, recipients: string[], categories: string[]) =>
  post(r, '/my/consents/shelter-reception', [
    ...recipients.map((x): [string, string] => ['recipient', x]),
    ...categories.map((x): [string, string] => ['category', x]),
  ]);
const verifyApi = (jws: string) =>
  t.app.request('/api/v1/consent-receipts/verify', { method: 'POST', body: jws, headers: { 'content-type': 'application/jose' } });
const validConsent = (...a: Parameters<typeof t.residents.queries.validConsent>) => t.residents.queries.validConsent(...a);

describe('giving, withdrawing and expiry', () => {
  it('ISO/IEC TS 27560: giving stores one record per purpose and recipient; the list shows 同意中 with the expiry', async () => {
    const r = await signedInResident(t.database.db);
    expect((await get(r, '/my/consents')).status).toBe(200);
    expect(await (await get(r, '/my/consents')).text()).toContain('同意していません');
    const res = await give(r, ['02201', '02202'], ['name', 'allergies']);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/my/consents/shelter-reception');
    const recs = await stored(r.residentId);
    expect(recs.map((x) => [x.recipient_id, x.categories, x.purpose_version])).toEqual([
      ['02201', ['name', 'allergies'], 1],
      ['02202', ['name', 'allergies'], 1],
    ]);
    const nextYear = new Date().getFullYear() + 1;
    expect(await (await get(r, '/my/consents')).text()).toMatch(new RegExp(`同意中（${nextYear}年\\d+月\\d+日まで）`));
    expect(await validConsent(r.residentId, 'shelter-reception', '02201', ['name', 'allergies'])).toMatchObject({ id: recs[0]!.id });
    expect(await validConsent(r.residentId, 'shelter-reception', '02201', ['name'])).toBeDefined();
    // Not covered: a category left out, another recipient, another purpose.
    expect(await validConsent(r.residentId, 'shelter-reception', '02201', ['name', 'medication'])).toBeUndefined();
    expect(await validConsent(r.residentId, 'shelter-reception', '02203', ['name'])).toBeUndefined();
    expect(await validConsent(r.residentId, 'child-rearing-support', '02201', ['name'])).toBeUndefined();
  });

  it('withdrawal takes effect at the next read and shows 撤回済み; the other recipient keeps its consent', async () => {
    const r = await signedInResident(t.database.db);
    await give(r, ['02201', '02202'], ['name']);
    const [a, b] = await stored(r.residentId);
    expect(await validConsent(r.residentId, 'shelter-reception', '02201', ['name'])).toBeDefined();
    const res = await post(r, `/my/consents/records/${a!.id}/withdraw`, []);
    expect(res.status).toBe(303);
    expect(await validConsent(r.residentId, 'shelter-reception', '02201', ['name'])).toBeUndefined();
    expect(await validConsent(r.residentId, 'shelter-reception', '02202', ['name'])).toMatchObject({ id: b!.id });
    await post(r, `/my/consents/records/${b!.id}/withdraw`, []);
    // Withdrawing twice changes nothing more.
    expect((await post(r, `/my/consents/records/${b!.id}/withdraw`, [])).status).toBe(303);
    expect(await (await get(r, '/my/consents')).text()).toContain('撤回済み');
    const audit = await rows<{ action: string; entity_id: string }>(
      t.database,
      sql`select action, entity_id from audit_log where actor_id = ${r.residentId} order by id`,
    );
    expect(audit).toEqual([
      { action: 'give_consent', entity_id: a!.id },
      { action: 'give_consent', entity_id: b!.id },
      { action: 'withdraw_consent', entity_id: a!.id },
      { action: 'withdraw_consent', entity_id: b!.id },
    ]);
    // A read about a time before the withdrawal is still answered by the record.
    const [{ given_at }] = (await rows<{ given_at: string }>(
      t.database,
      sql`select given_at from consent_records where id = ${b!.id}`,
    )) as [{ given_at: string }];
    expect(
      await validConsent(r.residentId, 'shelter-reception', '02202', ['name'], new Date(new Date(given_at).getTime() + 1)),
    ).toBeDefined();
  });

  it('an expired consent allows nothing and shows 期限切れ; an old purpose version no longer covers the new one', async () => {
    const r = await signedInResident(t.database.db);
    await give(r, ['02201'], ['name']);
    await t.database.db.execute(
      sql`update consent_records set expires_at = now() - interval '1 second' where resident_id = ${r.residentId}`,
    );
    expect(await validConsent(r.residentId, 'shelter-reception', '02201', ['name'])).toBeUndefined();
    expect(await (await get(r, '/my/consents')).text()).toContain('期限切れ');
    const s = await signedInResident(t.database.db);
    await give(s, ['02201'], ['name']);
    // As if the purpose had been version 0 when consent was given and is version 1 now.
    await t.database.db.execute(sql`update consent_records set purpose_version = 0 where resident_id = ${s.residentId}`);
    expect(await validConsent(s.residentId, 'shelter-reception', '02201', ['name'])).toBeUndefined();
    expect(await (await get(s, '/my/consents')).text()).toContain('同意していません（目的の内容が変わりました）');
  });
});

describe('the notice and refused input', () => {
  it('ISO/IEC 29184 notice: who, what (要配慮 marked), why, how long (1年間), legal basis, withdrawal, contact', async () => {
    const r = await signedInResident(t.database.db);
    const html = await (await get(r, '/my/consents/shelter-reception')).text();
    for (const text of [
      '青森市',
      '弘前市',
      '氏名',
      'アレルギー<strong>（要配慮個人情報）</strong>',
      '受付先の市町村',
      '1年間',
      '本人の同意',
      '同意を撤回する」',
      '総合政策部DX推進課',
    ])
      expect(html).toContain(text);
    const unit = await (await get(r, '/my/consents/disaster-supporter')).text();
    expect(unit).toContain('危機管理局防災危機管理課');
  });

  it("the municipality of the resident's profile is ticked at first, and own-municipality purposes go to it", async () => {
    const r = await signedInResident(t.database.db);
    await t.residents.commands.saveProfile({ residentId: r.residentId, municipalityCode: '02202', name: '弘前 花子' });
    expect(await (await get(r, '/my/consents/shelter-reception')).text()).toMatch(/value="02202" checked/);
    expect(await (await get(r, '/my/consents/child-rearing-support')).text()).toContain('<p>弘前市</p>');
    // Whatever recipient the form names, the record goes to the profile's municipality.
    const res = await post(r, '/my/consents/child-rearing-support', [
      ['recipient', '02201'],
      ['category', 'name'],
    ]);
    expect(res.status).toBe(303);
    expect((await stored(r.residentId)).map((x) => x.recipient_id)).toEqual(['02202']);
  });

  it('wrong purpose ids, recipients not in the registry, categories outside the purpose: a Japanese error, nothing stored', async () => {
    const r = await signedInResident(t.database.db);
    const missing = await post(r, '/my/consents/no-such-purpose', [['category', 'name']]);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('利用目的が見つかりません');
    const notMunicipality = await give(r, ['02201', 'sogo-seisaku.dx-suishin'], ['name']);
    expect(notMunicipality.status).toBe(400);
    const html = await notMunicipality.text();
    expect(html).toContain('選ばれた市町村が登録にありません');
    expect(html).toMatch(/value="02201" checked/);
    const unknown = await give(r, ['99999'], ['name']);
    expect(await unknown.text()).toContain('選ばれた市町村が登録にありません');
    const outside = await give(r, ['02201'], ['name', 'phone']);
    expect(outside.status).toBe(400);
    expect(await outside.text()).toContain('この利用目的にない情報が選ばれています');
    expect((await give(r, ['02201'], [])).status).toBe(400);
    expect((await give(r, [], ['name'])).status).toBe(400);
    const own = await post(r, '/my/consents/child-rearing-support', [['category', 'name']]);
    expect(own.status).toBe(400);
    expect(await own.text()).toContain('住所の市町村が登録されていません');
    const noCsrf = await t.app.request('/my/consents/shelter-reception', {
      method: 'POST',
      body: new URLSearchParams([
        ['recipient', '02201'],
        ['category', 'name'],
      ]),
      headers: { cookie: r.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(noCsrf.status).toBe(400);
    expect(await stored(r.residentId)).toEqual([]);
    expect(await rows(t.database, sql`select id from audit_log where actor_id = ${r.residentId}`)).toEqual([]);
    expect(t.errors).toEqual([]);
  });
});

describe('the record as JSON-LD', () => {
  it('ISO/IEC TS 27560 fields in DPV terms: identifier, data subject, notice, purpose, personal data, recipient, legal basis, duration, status events', async () => {
    const r = await signedInResident(t.database.db);
    await give(r, ['02201'], ['name', 'allergies']);
    const [rec] = await stored(r.residentId);
    const res = await get(r, `/my/consents/records/${rec!.id}`);
    expect(res.headers.get('content-type')).toContain('application/ld+json');
    const doc = (await res.json()) as Record<string, any>;
    expect(doc['@context']).toMatchObject({ dpv: 'https://w3id.org/dpv#', pd: 'https://w3id.org/dpv/pd#' });
    expect(doc['@type']).toBe('dpv:ConsentRecord');
    expect(doc['dct:identifier']).toBe(rec!.id);
    expect(doc['dct:conformsTo']).toBe('https://w3id.org/dpv/schema/dpv-27560#record');
    expect(doc['dpv:hasDataSubject']['dct:identifier']).toBe(r.residentId);
    expect(doc['dpv:hasNotice']['@type']).toBe('dpv:ConsentNotice');
    expect(doc['dpv:hasPurpose']['@type']).toContain('dpv:Purpose');
    expect(doc['dpv:hasPersonalData'].map((p: { '@id': string }) => p['@id'])).toEqual(['pd:Name', 'pd:HealthRecord']);
    expect(doc['dpv:hasRecipient']).toMatchObject({ '@type': 'dpv:Recipient', 'dct:title': '青森市' });
    expect(doc['dpv:hasLegalBasis']).toEqual({ '@id': 'dpv:Consent' });
    expect(doc['dpv:hasDuration']['rdf:value']).toBe('P1Y');
    expect(doc['dpv:hasConsentStatus'].map((e: { '@type': string }) => e['@type'])).toEqual(['dpv:ConsentGiven']);
    await post(r, `/my/consents/records/${rec!.id}/withdraw`, []);
    const after = (await (await get(r, `/my/consents/records/${rec!.id}`)).json()) as Record<string, any>;
    const events = after['dpv:hasConsentStatus'];
    expect(events.map((e: { '@type': string }) => e['@type'])).toEqual(['dpv:ConsentGiven', 'dpv:ConsentWithdrawn']);
    expect(Date.parse(events[1]['dpv:isIndicatedAtTime']['@value'])).toBeGreaterThanOrEqual(
      Date.parse(events[0]['dpv:isIndicatedAtTime']['@value']),
    );
  });

  it("another resident's record id answers 404, like a missing one, for the record, the receipt and the withdrawal", async () => {
    const owner = await signedInResident(t.database.db);
    const other = await signedInResident(t.database.db);
    await give(owner, ['02201'], ['name']);
    const [rec] = await stored(owner.residentId);
    for (const path of [
      `/my/consents/records/${rec!.id}`,
      `/my/consents/records/${rec!.id}/receipt.jws`,
      '/my/consents/records/c_AAAAAAAAAAAAAAAA',
    ])
      expect((await get(other, path)).status).toBe(404);
    expect((await post(other, `/my/consents/records/${rec!.id}/withdraw`, [])).status).toBe(404);
    expect(await validConsent(owner.residentId, 'shelter-reception', '02201', ['name'])).toBeDefined();
  });
});

describe('signed receipts', () => {
  let jws: string;
  let r: Resident;
  beforeAll(async () => {
    r = await signedInResident(t.database.db);
    await give(r, ['02201'], ['name']);
    const [rec] = await stored(r.residentId);
    const res = await get(r, `/my/consents/records/${rec!.id}/receipt.jws`);
    expect(res.headers.get('content-type')).toBe('application/jose');
    jws = await res.text();
  });

  it('RFC 7515 JWS: the receipt verifies with the public JWKS (ES256) and carries the 27560 record', async () => {
    const set = (await (await t.app.request('/consent/jwks.json')).json()) as { keys: JWK[] };
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).not.toHaveProperty('d');
    const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(set));
    expect(protectedHeader.alg).toBe('ES256');
    const body = JSON.parse(new TextDecoder().decode(payload));
    expect(body.record['@type']).toBe('dpv:ConsentRecord');
  });

  it('the public verification answers valid with the record summary and its current status, withdrawn after withdrawal', async () => {
    const res = await verifyApi(jws);
    expect(res.status).toBe(200);
    const check = (await res.json()) as Record<string, any>;
    expect(check).toMatchObject({
      valid: true,
      record: { purpose: { id: 'shelter-reception' }, recipient: { id: '02201', name: '青森市' }, categories: ['name'] },
      status: { state: 'given' },
    });
    expect(JSON.stringify(check)).not.toContain(r.residentId);
    const json = await t.app.request('/api/v1/consent-receipts/verify', {
      method: 'POST',
      body: JSON.stringify({ receipt: jws }),
      headers: { 'content-type': 'application/json' },
    });
    expect(((await json.json()) as { valid: boolean }).valid).toBe(true);
    await post(r, `/my/consents/records/${check.record.id}/withdraw`, []);
    expect(((await (await verifyApi(jws)).json()) as Record<string, any>).status.state).toBe('withdrawn');
  });

  it('tampered (a payload byte, the signature, header alg none or HS256), truncated, other-key and oversized receipts are invalid, never a 5xx', async () => {
    const [h, p, s] = jws.split('.') as [string, string, string];
    const flip = (part: string, i: number) => part.slice(0, i) + (part[i] === 'A' ? 'B' : 'A') + part.slice(i + 1);
    const header = (obj: object) => Buffer.from(JSON.stringify(obj)).toString('base64url');
    const kid = JSON.parse(Buffer.from(h, 'base64url').toString()).kid;
    const otherKey = await importJWK(
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK,
      'ES256',
    );
    const otherSigned = await new CompactSign(Buffer.from(Buffer.from(p, 'base64url')))
      .setProtectedHeader({ alg: 'ES256', kid })
      .sign(otherKey);
    const cases: [string, string][] = [
      [`${h}.${flip(p, 10)}.${s}`, 'signature'],
      [`${h}.${p}.${flip(s, 5)}`, 'signature'],
      [`${header({ alg: 'none', kid })}.${p}.`, 'malformed'],
      [`${header({ alg: 'none', kid })}.${p}.${s}`, 'algorithm'],
      [`${header({ alg: 'HS256', kid })}.${p}.${s}`, 'algorithm'],
      [jws.slice(0, jws.length - 20), 'signature'],
      [`${h}.${p}`, 'malformed'],
      [otherSigned, 'signature'],
      ['not a receipt', 'malformed'],
    ];
    for (const [bad, reason] of cases) {
      const res = await verifyApi(bad);
      expect(res.status).toBeLessThan(500);
      expect(await res.json()).toMatchObject({ valid: false, reason });
    }
    const big = await verifyApi(`${h}.${'A'.repeat(40_000)}.${s}`);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ valid: false, reason: 'too-large' });
    const badJson = await t.app.request('/api/v1/consent-receipts/verify', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(await badJson.json()).toMatchObject({ valid: false, reason: 'malformed' });
    expect(t.errors).toEqual([]);
  });

  it('/consent/verify, without JavaScript: the pasted receipt is checked and the result shown in Japanese', async () => {
    const page = await t.app.request('/consent/verify');
    expect(await page.text()).toContain('同意の控えの検証');
    const ok = await t.app.request('/consent/verify', { method: 'POST', body: new URLSearchParams({ receipt: jws }) });
    const html = await ok.text();
    expect(html).toContain('この基盤が発行した正しい控えです');
    expect(html).toContain('避難所の受付で要配慮情報を共有する');
    const bad = await t.app.request('/consent/verify', {
      method: 'POST',
      body: new URLSearchParams({ receipt: jws.slice(0, -3) + 'AAA' }),
    });
    expect(await bad.text()).toContain('無効な控えです');
  });
});

describe('receipt signing key rotation (npm run residents -- rotate-key)', () => {
  it('RFC 7515 kid: after rotation a new receipt carries the new kid, one signed before still verifies, and the JWKS lists both', async () => {
    const r = await signedInResident(t.database.db);
    await give(r, ['02203'], ['name']);
    const [rec] = await stored(r.residentId);
    const path = `/my/consents/records/${rec!.id}/receipt.jws`;
    const before = await (await get(r, path)).text();
    const oldKid = decodeProtectedHeader(before).kid;

    const newKid = await rotateReceiptKey(t.database.db);
    expect(newKid).not.toBe(oldKid);
    // A server started after the rotation, on the same database.
    const restarted = await createApp({ db: t.database.db, baseUrl: 'http://127.0.0.1:9', residentKeys: testResidentKeys });
    const after = await (await restarted.app.request(path, { headers: { cookie: r.cookie } })).text();
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    const set = (await (await restarted.app.request('/consent/jwks.json')).json()) as { keys: JWK[] };
    expect(set.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
    expect(set.keys.every((k) => !('d' in k))).toBe(true);
    for (const app of [restarted.app, t.app])
      for (const receipt of [before, after]) {
        const res = await app.request('/api/v1/consent-receipts/verify', {
          method: 'POST',
          body: receipt,
          headers: { 'content-type': 'application/jose' },
        });
        expect(((await res.json()) as { valid: boolean }).valid).toBe(true);
      }
  });
});
