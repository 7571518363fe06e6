// The consent gate: who may read which categories, and the access log every read leaves.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, rows } from '../../../test/db.ts';
import { signedInResident } from '../../../test/residents.ts';
import type { Database } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { newKey, seal, type KeyRing } from './crypto.ts';
import { createOrganisationsModule } from '../organisations/index.ts';
import { createResidentsModule, type ResidentsModule } from './index.ts';
import { itemPlace } from './profiles.ts';
import { consentRecords, residentDataItems } from './schema.ts';

let database: Database;
let residents: ResidentsModule;
const key = newKey();
const ring: KeyRing = { current: key.id, keys: new Map([[key.id, key]]) };
const bosai = 'kiki-kanri.bosai-kiki-kanri';
const hirosaki = '02202';

beforeAll(async () => {
  database = await createTestDb('empty');
  const organisations = createOrganisationsModule({ db: database.db });
  await organisations.loadDefaultData!();
  residents = createResidentsModule({ db: database.db, keys: ring, organisations: organisations.queries });
  await residents.commands.saveProfile({ residentId: 'r-hanako', municipalityCode: '02201', name: '青森 花子', phone: '017-722-1111' });
  await residents.commands.saveProfile({ residentId: 'r-taro', municipalityCode: '02202', name: '弘前 太郎', birthDate: '1950-05-05' });
  const value = seal(ring, JSON.stringify({ kinds: ['nurse'] }), itemPlace('r-hanako', 'supporter'));
  await database.db.insert(residentDataItems).values({ residentId: 'r-hanako', category: 'supporter', value });
});
afterAll(() => database.close());
afterEach(() => database.db.execute(sql`delete from consent_records`));

const consent = (id: string, over: Partial<typeof consentRecords.$inferInsert> = {}) =>
  database.db.insert(consentRecords).values({
    id,
    residentId: 'r-hanako',
    purposeId: 'disaster-supporter',
    purposeVersion: 1,
    recipientId: bosai,
    categories: ['name', 'phone', 'supporter'],
    expiresAt: new Date(Date.now() + 86_400_000),
    ...over,
  });
const staff = { kind: 'staff' as const, id: 'u-bosai', organisationId: bosai };
const logOf = (residentId: string) =>
  rows<{ basis: string; allowed: boolean; channel: string; categories: string[]; actor_id: string }>(
    database,
    sql`select basis, allowed, channel, categories, actor_id from personal_data_access_log where resident_id = ${residentId} order by at, id`,
  );
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as AppError,
  );

describe('consent gate', () => {
  it('refuses a read without consent with 404 and logs the refusal', async () => {
    const e = await refusal(residents.queries.read(staff, 'r-hanako', 'disaster-supporter', ['name', 'phone'], 'page'));
    expect(e).toBeInstanceOf(AppError);
    expect(e!.status).toBe(404);
    const missing = await refusal(residents.queries.read(staff, 'r-nobody', 'disaster-supporter', ['name'], 'page'));
    expect([missing!.status, missing!.message]).toEqual([404, e!.message]);
    expect(await logOf('r-hanako')).toEqual([
      { basis: 'none', allowed: false, channel: 'page', categories: ['name', 'phone'], actor_id: 'u-bosai' },
    ]);
    expect(await logOf('r-nobody')).toHaveLength(1);
  });

  it('lets the resident read their own data (basis self)', async () => {
    const me = { kind: 'resident' as const, id: 'r-taro' };
    expect(await residents.queries.read(me, 'r-taro', 'shelter-reception', ['name', 'birthDate'], 'page')).toEqual({
      name: '弘前 太郎',
      birthDate: '1950-05-05',
    });
    expect((await logOf('r-taro')).map((r) => r.basis)).toEqual(['self']);
    expect(await refusal(residents.queries.read(me, 'r-hanako', 'shelter-reception', ['name'], 'page'))).toBeInstanceOf(AppError);
  });

  it('allows a consented read of the covered categories only, for that recipient and purpose version only', async () => {
    await consent('c-1');
    expect(await residents.queries.read(staff, 'r-hanako', 'disaster-supporter', ['name', 'supporter'], 'page')).toEqual({
      name: '青森 花子',
      supporter: { kinds: ['nurse'] },
    });
    const other = { ...staff, organisationId: hirosaki };
    for (const [actor, purpose, cats] of [
      [other, 'disaster-supporter', ['name']],
      [staff, 'disaster-supporter', ['name', 'address']],
      [staff, 'shelter-reception', ['name']],
      [staff, 'disaster-supporter', ['no-such-category']],
      [{ ...staff, organisationId: null }, 'disaster-supporter', ['name']],
    ] as const)
      expect((await refusal(residents.queries.read(actor, 'r-hanako', purpose, cats, 'page')))?.status).toBe(404);
    const log = await logOf('r-hanako');
    // The first two refusals are the earlier tests' (no consent yet; Taro asking for Hanako's data).
    expect(log.map((r) => [r.basis, r.allowed])).toEqual([
      ['none', false],
      ['none', false],
      ['consent', true],
      ...Array(5).fill(['none', false]),
    ]);
  });

  it('refuses a consent for an older purpose version or past its expiry', async () => {
    await consent('c-old', { purposeVersion: 0 });
    await consent('c-expired', { expiresAt: new Date(Date.now() - 1000) });
    expect((await refusal(residents.queries.read(staff, 'r-hanako', 'disaster-supporter', ['name'], 'page')))?.status).toBe(404);
  });

  it('refuses the next read after the consent is withdrawn', async () => {
    await consent('c-2');
    expect(await residents.queries.read(staff, 'r-hanako', 'disaster-supporter', ['phone'], 'broker')).toEqual({ phone: '017-722-1111' });
    await database.db.execute(sql`update consent_records set withdrawn_at = now() where id = 'c-2'`);
    expect((await refusal(residents.queries.read(staff, 'r-hanako', 'disaster-supporter', ['phone'], 'broker')))?.status).toBe(404);
    expect((await logOf('r-hanako')).slice(-2).map((r) => [r.basis, r.allowed, r.channel])).toEqual([
      ['consent', true, 'broker'],
      ['none', false, 'broker'],
    ]);
  });
});

describe('legal bases', () => {
  it('a recorded legal basis for the municipality allows the read, is audited, and shows on the resident access log', async () => {
    const bad = await refusal(
      residents.commands.recordLegalBasis(
        { id: 'u-admin' },
        {
          organisationId: hirosaki,
          purposeId: 'shelter-reception',
          categories: ['name'],
          legalBasis: 'no-such-law',
          reason: '',
          municipalityCode: '02202',
          days: 3,
        },
      ),
    );
    expect([bad?.status, (bad?.details as { field: string }).field]).toEqual([400, 'legalBasis']);
    await residents.commands.recordLegalBasis(
      { id: 'u-admin' },
      {
        organisationId: hirosaki,
        purposeId: 'shelter-reception',
        categories: ['name', 'birthDate'],
        legalBasis: 'dcbl-49-11-3',
        reason: '大雨特別警報による避難支援のため',
        municipalityCode: '02202',
        days: 3,
      },
    );
    const hirosakiStaff = { kind: 'staff' as const, id: 'u-hirosaki', organisationId: hirosaki };
    expect(await residents.queries.read(hirosakiStaff, 'r-taro', 'shelter-reception', ['birthDate'], 'page')).toEqual({
      birthDate: '1950-05-05',
    });
    // Hanako lives in Aomori (02201): the record for Hirosaki's residents does not reach her.
    expect((await refusal(residents.queries.read(hirosakiStaff, 'r-hanako', 'shelter-reception', ['name'], 'page')))?.status).toBe(404);
    const audit = await rows<{ action: string; reason: string }>(
      database,
      sql`select action, reason from audit_log where entity = 'legal_basis_record'`,
    );
    expect(audit).toEqual([{ action: 'record_legal_basis', reason: '大雨特別警報による避難支援のため' }]);

    const { cookie } = await signedInResident(database.db, 'r-taro-account');
    await database.db.execute(sql`update personal_data_access_log set resident_id = 'r-taro-account' where resident_id = 'r-taro'`);
    const res = await residents.routes.public.request('/my/access-log', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    for (const text of [
      '弘前市',
      '避難所の受付で要配慮情報を共有する',
      '生年月日',
      '災害対策基本法 第49条の11第3項',
      '大雨特別警報による避難支援のため',
    ])
      expect(html).toContain(text);
    // The resident's own read (basis self) is not listed as someone else's.
    expect(html.match(/<dt>根拠<\/dt>/g)).toHaveLength(1);
  });

  it('the access log page needs a session', async () => {
    const res = await residents.routes.public.request('/my/access-log');
    expect([res.status, res.headers.get('location')]).toEqual([302, '/my/sign-in?next=%2Fmy%2Faccess-log']);
  });
});
