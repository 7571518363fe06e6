// What an organisation may read for a purpose (the broker's personal tenant's source): exactly the
// consented categories of consented residents, under pairwise ids, each release logged.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, rows } from '../../../test/db.ts';
import type { Database } from '../../platform/db.ts';
import { newKey, type KeyRing } from './crypto.ts';
import { createOrganisationsModule } from '../organisations/index.ts';
import { createResidentsModule, type ResidentsModule } from './index.ts';
import { pairwiseId } from './recipients.ts';
import { consentRecords } from './schema.ts';

let database: Database;
let residents: ResidentsModule;
const key = newKey();
const ring: KeyRing = { current: key.id, keys: new Map([[key.id, key]]) };
const secret = 'test-pairwise-secret';
const bosai = 'kiki-kanri.bosai-kiki-kanri';
const aomori = '02201';
const client = (organisationId: string) => ({ kind: 'client' as const, id: `broker-${organisationId}`, organisationId });
const day = () => new Date(Date.now() + 86_400_000);

beforeAll(async () => {
  database = await createTestDb('empty');
  const organisations = createOrganisationsModule({ db: database.db });
  await organisations.loadDefaultData!();
  residents = createResidentsModule({
    db: database.db,
    keys: ring,
    organisations: organisations.queries,
    pairwiseSecret: secret,
  });
  await residents.commands.saveProfile({
    residentId: 'r-a',
    municipalityCode: '02201',
    name: '青森 一郎',
    birthDate: '1970-01-01',
    phone: '017-000-0001',
  });
  await residents.commands.saveProfile({
    residentId: 'r-b',
    municipalityCode: '02201',
    name: '青森 二郎',
    birthDate: '1971-02-02',
    phone: '017-000-0002',
  });
  const base = { purposeVersion: 1, expiresAt: day() };
  await database.db.insert(consentRecords).values([
    // r-a: name and phone to 防災危機管理課 for disaster-supporter; r-b: name and birthDate to Aomori city for shelter-reception.
    { ...base, id: 'c-a', residentId: 'r-a', purposeId: 'disaster-supporter', recipientId: bosai, categories: ['name', 'phone'] },
    { ...base, id: 'c-b', residentId: 'r-b', purposeId: 'shelter-reception', recipientId: aomori, categories: ['name', 'birthDate'] },
    {
      ...base,
      id: 'c-b-old',
      residentId: 'r-b',
      purposeId: 'disaster-supporter',
      recipientId: bosai,
      categories: ['name'],
      withdrawnAt: new Date(),
    },
  ]);
});
afterAll(() => database.close());

describe('releasedTo (the personal tenant source)', () => {
  it('gives each organisation exactly the consented categories of the residents who consented to it, for that purpose', async () => {
    expect(await residents.queries.releasedTo(client(bosai), 'disaster-supporter', 'broker')).toEqual([
      { pairwiseId: pairwiseId(secret, bosai, 'r-a'), data: { name: '青森 一郎', phone: '017-000-0001' } },
    ]);
    expect(await residents.queries.releasedTo(client(aomori), 'shelter-reception', 'broker')).toEqual([
      { pairwiseId: pairwiseId(secret, aomori, 'r-b'), data: { name: '青森 二郎', birthDate: '1971-02-02' } },
    ]);
    expect(await residents.queries.releasedTo(client(aomori), 'disaster-supporter', 'broker')).toEqual([]);
    expect(await residents.queries.releasedTo(client(bosai), 'shelter-reception', 'broker')).toEqual([]);
    expect(await residents.queries.releasedTo({ kind: 'client', id: 'x' }, 'disaster-supporter', 'broker')).toEqual([]);
  });

  it('names a resident by a pairwise id that differs per organisation and is not the internal id', async () => {
    const a = pairwiseId(secret, bosai, 'r-a');
    expect(a).not.toBe(pairwiseId(secret, aomori, 'r-a'));
    expect(a).not.toContain('r-a');
    expect(await residents.queries.releasedTo(client(bosai), 'disaster-supporter', 'broker', a)).toHaveLength(1);
    expect(await residents.queries.releasedTo(client(bosai), 'disaster-supporter', 'broker', pairwiseId(secret, bosai, 'r-b'))).toEqual([]);
  });

  it('logs one broker access-log row per resident released, naming the consent', async () => {
    await database.db.execute(sql`delete from personal_data_access_log`);
    await residents.queries.releasedTo(client(bosai), 'disaster-supporter', 'broker');
    expect(
      await rows(database, sql`select resident_id, actor_kind, channel, basis, consent_id, allowed from personal_data_access_log`),
    ).toEqual([{ resident_id: 'r-a', actor_kind: 'client', channel: 'broker', basis: 'consent', consent_id: 'c-a', allowed: true }]);
  });

  it('releases under a legal basis for the municipality the categories it names', async () => {
    await residents.commands.recordLegalBasis(
      { id: 'u-admin' },
      {
        organisationId: aomori,
        purposeId: 'shelter-reception',
        categories: ['name'],
        legalBasis: 'dcbl-49-11-3',
        reason: '避難支援',
        municipalityCode: '02201',
        days: 1,
      },
    );
    const released = await residents.queries.releasedTo(client(aomori), 'shelter-reception', 'broker');
    // r-b's consent (name, birthDate) wins for r-b; r-a gets the legal basis' categories only.
    expect(released).toEqual(
      expect.arrayContaining([
        { pairwiseId: pairwiseId(secret, aomori, 'r-a'), data: { name: '青森 一郎' } },
        { pairwiseId: pairwiseId(secret, aomori, 'r-b'), data: { name: '青森 二郎', birthDate: '1971-02-02' } },
      ]),
    );
    expect(released).toHaveLength(2);
  });
});
