// Migration 0021 (owners_to_units): free-text owners and accounts' departments become unit ids where
// they name a unit as people write it; the rest stays, to be fixed on the owners page.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows } from '../../../test/db.ts';
import { createAccount } from '../identity/index.ts';
import { mapFreeTextToUnits } from './repository.ts';

const owners = {
  'industry-1-1': '総合政策部ＤＸ推進課',
  'industry-1-2': ' 観光交流推進部\u3000観光政策課 ',
  'industry-1-3': '人事課',
  'industry-1-4': '地域連携部',
  'industry-1-5': 'DX推進室',
  'industry-2-1': 'sogo-seisaku',
};

describe('owners to units (migration 0021)', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const ownerOf = async (code: string) =>
    (
      await rows<{ o: string | null }>(
        t.database,
        sql`select i.owner_department as o from indicators i join plan_nodes n on n.id = i.node_id where n.code = ${code}`,
      )
    )[0]!.o;

  it('maps full names (full-width ＤＸ, spaces) and unambiguous section names; leaves the rest as typed', async () => {
    for (const [code, owner] of Object.entries(owners))
      await t.database.db.execute(
        sql`update indicators set owner_department = ${owner} where node_id = (select id from plan_nodes where code = ${code})`,
      );
    const typo = await createAccount(t.database.db, {
      email: 'a@example.jp',
      name: 'a',
      password: 'a long enough password',
      roles: ['department_editor'],
      department: '総合政策部 DX推進課',
    });
    const unknown = await createAccount(t.database.db, {
      email: 'b@example.jp',
      name: 'b',
      password: 'a long enough password',
      roles: ['department_editor'],
      department: '企画部',
    });
    await mapFreeTextToUnits(t.database.db);
    expect(await ownerOf('industry-1-1')).toBe('sogo-seisaku.dx-suishin');
    expect(await ownerOf('industry-1-2')).toBe('kanko-koryu.kanko-seisaku');
    expect(await ownerOf('industry-1-3')).toBe('somu.jinji');
    // Six 地域振興局 have a 地域連携部: a bare name that is not one unit's stays for a person to decide.
    expect(await ownerOf('industry-1-4')).toBe('地域連携部');
    expect(await ownerOf('industry-1-5')).toBe('DX推進室');
    expect(await ownerOf('industry-2-1')).toBe('sogo-seisaku');
    const departments = await rows<{ id: string; department: string }>(t.database, sql`select id, department from staff_accounts`);
    expect(new Map(departments.map((d) => [d.id, d.department]))).toEqual(
      new Map([
        [typo.id, 'sogo-seisaku.dx-suishin'],
        [unknown.id, '企画部'],
      ]),
    );
  });
});

describe('owners to units on an upgrade: the registry is loaded after the migrations', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp('empty');
  });
  afterAll(() => t.close());

  it('maps accounts’ departments once the default data brings the units', async () => {
    const a = await createAccount(t.database.db, {
      email: 'c@example.jp',
      name: 'c',
      password: 'a long enough password',
      roles: ['department_editor'],
      department: '総務部　人事課',
    });
    expect(await t.organisations.loadDefaultData?.()).toBe(true);
    const [row] = await rows<{ department: string }>(t.database, sql`select department from staff_accounts where id = ${a.id}`);
    expect(row!.department).toBe('somu.jinji');
  });
});
