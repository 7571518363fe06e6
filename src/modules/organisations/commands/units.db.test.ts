// The registry's commands: add, rename, retire, restore — each in its own transaction with its
// audit entry; names compared as typed (NFKC, no spaces); hostile names and ids refused.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAdmin, prefAdmin } from '../../../../test/actors.ts';
import { createTestApp, rows } from '../../../../test/db.ts';
import { parse } from '../../../platform/http.ts';
import { addUnitInput, renameUnitInput } from '../index.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const cmd = () => t.organisations.commands;
const add = async (form: Record<string, string>, a = prefAdmin) => cmd().addUnit(a, parse(addUnitInput, form, '組織'));
const rename = async (id: string, name: string) => cmd().renameUnit(prefAdmin, { id, ...parse(renameUnitInput, { name }, '組織') });
const audit = (id: string) =>
  rows<{ action: string; after: unknown }>(t.database, sql`select action, after from audit_log where entity_id = ${id} order by id`);
const unitCount = async () => (await t.organisations.queries.units()).length;

describe('organisation registry commands', () => {
  it('adds a department and a section under it: the section’s id starts with the department’s, audited', async () => {
    const dept = await add({ name: '  デジタル戦略局 ' });
    expect(dept).toMatch(/^d-[0-9a-f]{8}$/);
    const section = await add({ parentId: dept, name: 'データ連携課' });
    expect(section.startsWith(`${dept}.`)).toBe(true);
    expect(await t.organisations.queries.unit(section)).toMatchObject({
      kind: 'section',
      name: 'データ連携課',
      fullName: 'デジタル戦略局データ連携課',
      retired: false,
    });
    expect(await audit(section)).toEqual([
      { action: 'add_unit', after: { kind: 'section', name: 'データ連携課', parent: 'デジタル戦略局' } },
    ]);
  });

  it('refuses a duplicate under one department as typed: 「ＤＸ推進課」 is 「DX推進課」 (a field error on the name)', async () => {
    const before = await unitCount();
    await expect(add({ parentId: 'sogo-seisaku', name: 'ＤＸ推進課' })).rejects.toMatchObject({ status: 400, details: { field: 'name' } });
    await expect(add({ parentId: 'sogo-seisaku', name: 'DX 推進課' })).rejects.toThrow('同じ名前の組織「DX推進課」');
    await expect(add({ name: '総合政策部' })).rejects.toMatchObject({ status: 400 });
    // Under another department the same name is another section.
    await add({ parentId: 'kanko-koryu', name: 'DX推進課' });
    expect(await unitCount()).toBe(before + 1);
  });

  it.each([
    ['empty', { name: '   ' }, 'name'],
    ['oversized', { name: '課'.repeat(51) }, 'name'],
    ['a newline', { name: '人事課\n総務課' }, 'name'],
    ['a tab', { name: '人事課\t' + 'x' }, 'name'],
    ['a NUL', { name: 'a\u0000b' }, 'name'],
    ['an oversized parent id', { parentId: 'x'.repeat(201), name: '課' }, 'parentId'],
  ])('hostile: %s is refused, nothing added', async (_label, form, field) => {
    const before = await unitCount();
    await expect(add(form)).rejects.toMatchObject({ status: 400, details: { field } });
    expect(await unitCount()).toBe(before);
  });

  it.each([
    ['an unknown department', 'no-such-department'],
    ['a section as a parent', 'sogo-seisaku.dx-suishin'],
    ['a municipality as a parent', '02201'],
  ])('hostile: a section under %s is refused on the department field', async (_label, parentId) => {
    await expect(add({ parentId, name: '新しい課' })).rejects.toMatchObject({ status: 400, details: { field: 'parentId' } });
  });

  it('only prefecture administrators change the registry (404 for the others)', async () => {
    await expect(add({ name: '計画局' }, planAdmin)).rejects.toMatchObject({ status: 404 });
    await expect(cmd().retireUnit(planAdmin, { id: 'somu.jinji' })).rejects.toMatchObject({ status: 404 });
    await expect(cmd().renameUnit(planAdmin, { id: 'somu.jinji', name: 'x' })).rejects.toMatchObject({ status: 404 });
  });

  it('renames a unit: its sections’ full names follow; a duplicate of a sibling is refused', async () => {
    await rename('zaimu', '財務局');
    expect((await t.organisations.queries.unit('zaimu.zaisei'))?.fullName).toBe('財務局財政課');
    await expect(rename('zaimu', '総務部')).rejects.toMatchObject({ status: 400, details: { field: 'name' } });
    await expect(rename('no-such-unit', 'x')).rejects.toMatchObject({ status: 404 });
    expect((await audit('zaimu')).map((a) => a.action)).toEqual(['rename_unit']);
  });

  it('retires a department only after its sections; a retired section comes back only under an active department', async () => {
    await expect(cmd().retireUnit(prefAdmin, { id: 'somu' })).rejects.toMatchObject({ code: 'unit_has_sections' });
    await cmd().retireUnit(prefAdmin, { id: 'somu.jinji' });
    await cmd().retireUnit(prefAdmin, { id: 'somu' });
    expect((await t.organisations.queries.unit('somu'))?.retired).toBe(true);
    await expect(cmd().retireUnit(prefAdmin, { id: 'somu' })).rejects.toMatchObject({ code: 'unit_retired' });
    await expect(cmd().restoreUnit(prefAdmin, { id: 'somu.jinji' })).rejects.toMatchObject({ code: 'parent_retired' });
    // A retired department is not offered as a parent, and its name is still taken.
    await expect(add({ parentId: 'somu', name: '新しい課' })).rejects.toMatchObject({ details: { field: 'parentId' } });
    await expect(add({ name: '総務部' })).rejects.toThrow('廃止済み');
    await cmd().restoreUnit(prefAdmin, { id: 'somu' });
    await cmd().restoreUnit(prefAdmin, { id: 'somu.jinji' });
    expect((await t.organisations.queries.unit('somu.jinji'))?.retired).toBe(false);
    expect((await audit('somu')).map((a) => a.action)).toEqual(['retire_unit', 'restore_unit']);
  });
});

describe('organisation registry commands at once', () => {
  it('two administrators adding the same section together: one is added, the other refused as a duplicate', async () => {
    const results = await Promise.allSettled(
      ['地域交通課', '地域交通課'].map((name) => t.organisations.commands.addUnit(prefAdmin, { parentId: 'kotsu-chiiki', name })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const sections = (await t.organisations.queries.units('section')).filter((u) => u.name === '地域交通課');
    expect(sections).toHaveLength(1);
  });
});
