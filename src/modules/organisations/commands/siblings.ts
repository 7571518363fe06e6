// The checks adding and renaming share: a unit's name is unique among its siblings as compared
// (「ＤＸ推進課」 and 「DX推進課」 under one department are one name), retired siblings included,
// since a retired unit comes back by restoring it rather than by a second unit of the same name.
import { badRequest } from '../../../platform/errors.ts';
import type { UnitRow } from '../repository.ts';
import { comparable } from '../units.ts';

export function refuseDuplicate(rows: UnitRow[], unit: { id?: string; kind: string; parentId: string | null; name: string }) {
  const same = rows.find(
    (r) => r.id !== unit.id && r.kind === unit.kind && r.parentId === unit.parentId && comparable(r.name) === comparable(unit.name),
  );
  if (same)
    throw badRequest(
      `名称: 同じ名前の組織「${same.name}」が${same.retiredAt ? 'あります（廃止済み。使うには復活させてください）' : 'すでにあります'}。`,
      { field: 'name' },
    );
}
