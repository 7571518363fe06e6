// Personal data at rest: the stored rows hold sealed values only, and rotation moves them all.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, rows } from '../../../test/db.ts';
import type { Database } from '../../platform/db.ts';
import { ConfigError } from '../../config.ts';
import { AppError } from '../../platform/errors.ts';
import { newKey, type KeyRing } from './crypto.ts';
import { saveProfile } from './profiles.ts';
import { checkKeysCover, loadResidentKeys, type ProfileInput, removeRetiredKeys, rotateKeys } from './index.ts';
import { readCategoriesUngated, readProfileUngated, saveItems } from './profiles.ts';
import { sealedValuesByKey } from './repository.ts';

let database: Database;
let dir: string;
beforeAll(async () => {
  database = await createTestDb('empty');
  dir = mkdtempSync(join(tmpdir(), 'renkei-residents-'));
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const hanako = {
  residentId: 'r-hanako',
  municipalityCode: '02201',
  name: '青森 花子',
  address: '青森市長島一丁目1番1号',
  birthDate: '1980-04-01',
  phone: '017-722-1111',
};
const rawRows = () => rows<Record<string, string | null>>(database, sql`select * from resident_profiles order by resident_id`);
const ringWith = (...keys: ReturnType<typeof newKey>[]): KeyRing => ({ current: keys[0]!.id, keys: new Map(keys.map((k) => [k.id, k])) });

const k1 = newKey();
const ring = ringWith(k1);

describe('resident profiles at rest', () => {
  it('stores no plaintext of any field: the raw row holds sealed values naming the key', async () => {
    await saveProfile(database.db, ring, hanako);
    const [row] = await rawRows();
    const stored = JSON.stringify(row);
    for (const value of [hanako.name, '青森 花子'.slice(0, 2), '長島', '1980', '04-01', '722', '1111']) expect(stored).not.toContain(value);
    for (const column of ['name', 'address', 'birth_date', 'phone']) expect(row![column]).toMatch(new RegExp(`^v1\\.${k1.id}\\.`));
    expect(row!.municipality_code).toBe('02201');
    expect(await readProfileUngated(database.db, ring, 'r-hanako')).toEqual(hanako);
  });

  it('refuses a sealed value copied into another resident row (the row id is authenticated)', async () => {
    await saveProfile(database.db, ring, {
      residentId: 'r-taro',
      municipalityCode: '02202',
      name: '弘前 太郎',
    });
    await database.db.execute(
      sql`update resident_profiles set name = (select name from resident_profiles where resident_id = 'r-hanako') where resident_id = 'r-taro'`,
    );
    const e = await readProfileUngated(database.db, ring, 'r-taro').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('resident_data_unreadable');
    await database.db.execute(sql`delete from resident_profiles where resident_id = 'r-taro'`);
  });

  it('refuses bad input with a Japanese message naming the field, and writes nothing', async () => {
    const save = (p: ProfileInput) => saveProfile(database.db, ring, p);
    for (const [bad, field] of [
      [{ birthDate: '1980-02-30' }, 'birthDate'],
      [{ name: 'あ'.repeat(101) }, 'name'],
      [{ municipalityCode: '2201' }, 'municipalityCode'],
      [{ residentId: "x' or 1=1" }, 'residentId'],
    ] as const) {
      const e = (await save({ ...hanako, residentId: 'r-bad', ...bad }).catch((err: unknown) => err)) as AppError;
      expect(e.status).toBe(400);
      expect(e.message).toMatch(/^住民プロフィール: /);
      expect(e.details).toEqual({ field });
    }
    expect((await rawRows()).map((r) => r.resident_id)).toEqual(['r-hanako']);
  });

  it('answers a stored key id missing from the ring with a clear error naming the key, not the data', async () => {
    const e = (await readProfileUngated(database.db, ringWith(newKey()), 'r-hanako').catch((err: unknown) => err)) as AppError;
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('resident_key_missing');
    expect(e.message).toContain(k1.id);
    for (const value of Object.values(hanako).slice(2)) expect(e.message).not.toContain(value);
  });
});

describe('key rotation (npm run residents -- rotate-key)', () => {
  it('refuses to rotate, or to start, while a stored key id is missing from the ring, changing nothing', async () => {
    const before = await rawRows();
    const other = ringWith(newKey());
    const e = (await rotateKeys(database.db, { ring: other }).catch((err: unknown) => err)) as AppError;
    expect(e.code).toBe('resident_key_missing');
    expect(await rawRows()).toEqual(before);
    const refused = await checkKeysCover(database.db, other).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toContain(k1.id);
    await expect(checkKeysCover(database.db, ringWith(newKey(), k1))).resolves.toBeUndefined();
  });

  it('with a key file: adds a key, reseals every value in batches, retires the old key, then it can be removed', async () => {
    await database.db.execute(sql`delete from resident_profiles`);
    const settings = { DATA_DIR: join(dir, 'pglite') };
    const source = loadResidentKeys(settings);
    const old = source.ring.current;
    const save = (p: ProfileInput) => saveProfile(database.db, source.ring, p);
    const people = Array.from({ length: 5 }, (_, i) => ({
      ...hanako,
      residentId: `r-${i}`,
      name: `住民 ${i}`,
      phone: i % 2 ? null : hanako.phone,
    }));
    for (const p of people) await save(p);

    const rotation = await rotateKeys(database.db, source, 2);
    expect(rotation.resealed).toBe(5);
    expect(rotation.newKeyId).not.toBe(old);
    expect(rotation.unused).toEqual([old]);
    expect([...(await sealedValuesByKey(database.db)).keys()]).toEqual([rotation.newKeyId]);
    const file = JSON.parse(readFileSync(source.file!, 'utf8')) as { current: string; keys: { id: string; retiredAt?: string }[] };
    expect(file.current).toBe(rotation.newKeyId);
    expect(file.keys.find((k) => k.id === old)!.retiredAt).toBeTruthy();
    expect(file.keys.find((k) => k.id === rotation.newKeyId)!.retiredAt).toBeUndefined();

    expect(await removeRetiredKeys(database.db, source.file!)).toEqual({ removed: [old], inUse: [] });
    const after = loadResidentKeys(settings).ring;
    expect([...after.keys.keys()]).toEqual([rotation.newKeyId]);
    for (const p of people) expect(await readProfileUngated(database.db, after, p.residentId)).toEqual(p);
    for (const row of await rawRows()) expect(JSON.stringify(row)).not.toContain('住民');
  });

  it('keeps a retired key that a value still uses (written after the rotation with an old ring)', async () => {
    const settings = { DATA_DIR: join(dir, 'pglite') };
    const before = loadResidentKeys(settings);
    await rotateKeys(database.db, before);
    await saveProfile(database.db, before.ring, { ...hanako, residentId: 'r-late' });
    expect(await removeRetiredKeys(database.db, before.file!)).toEqual({ removed: [], inUse: [before.ring.current] });
    const ring = loadResidentKeys(settings).ring;
    expect(ring.keys.has(before.ring.current)).toBe(true);
    expect((await readProfileUngated(database.db, ring, 'r-late'))?.name).toBe(hanako.name);
  });

  it('with RESIDENTS_KEYS: reseals under the first key, and reports the old one as unused', async () => {
    const [a, b] = [newKey(), newKey()];
    const setting = (...ks: (typeof a)[]) => ks.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
    const ring1 = loadResidentKeys({ DATA_DIR: dir, RESIDENTS_KEYS: setting(a) }).ring;
    await database.db.execute(sql`delete from resident_profiles`);
    await saveProfile(database.db, ring1, hanako);
    const source = loadResidentKeys({ DATA_DIR: dir, RESIDENTS_KEYS: setting(b, a) });
    const rotation = await rotateKeys(database.db, source);
    expect(rotation).toEqual({ newKeyId: b.id, resealed: 1, failed: [], unused: [a.id] });
    expect(await readProfileUngated(database.db, ringWith(b), 'r-hanako')).toEqual(hanako);
  });

  it('covers the data items too: checkKeysCover sees their key, rotation reseals them and they open under the new key', async () => {
    const [a, b] = [newKey(), newKey()];
    await database.db.execute(sql`delete from resident_profiles`);
    await saveItems(database.db, ringWith(a), 'r-hanako', { household: [{ name: '青森 太郎' }], pets: '犬' });
    await expect(checkKeysCover(database.db, ringWith(b))).rejects.toThrow(a.id);
    const rotation = await rotateKeys(database.db, { ring: ringWith(b, a) }, 1);
    expect(rotation).toEqual({ newKeyId: b.id, resealed: 2, failed: [], unused: [a.id] });
    expect([...(await sealedValuesByKey(database.db)).entries()]).toEqual([[b.id, 2]]);
    await expect(checkKeysCover(database.db, ringWith(b))).resolves.toBeUndefined();
    expect(await readCategoriesUngated(database.db, ringWith(b), 'r-hanako', ['household', 'pets'])).toEqual({
      household: [{ name: '青森 太郎' }],
      pets: '犬',
    });
    const stored = JSON.stringify(await rows(database, sql`select * from resident_data_items`));
    for (const v of ['太郎', '犬']) expect(stored).not.toContain(v);
  });
});
