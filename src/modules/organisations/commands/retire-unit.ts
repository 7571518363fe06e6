// Retires a unit: it stays in history and where it already owns indicators or scopes accounts, but
// it is no longer offered for new choices. A department goes after its sections, so that no active
// section hangs under a retired department; restoring brings a unit back, a section only under an
// active department.
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { conflict, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { lockUnitRows, updateUnit, type UnitRow } from '../repository.ts';
import { canManageUnits } from '../rules.ts';

export function retireUnit(db: Db, actor: Actor, input: { id: string }) {
  return setRetired(db, actor, input.id, true, (unit, rows) => {
    if (unit.retiredAt) throw conflict('unit_retired', `「${unit.name}」はすでに廃止されています。`);
    const active = rows.filter((r) => r.parentId === unit.id && !r.retiredAt);
    if (active.length)
      throw conflict(
        'unit_has_sections',
        `「${unit.name}」には廃止されていない課（${active.map((r) => r.name).join('、')}）があります。先に課を廃止してください。`,
      );
  });
}

export function restoreUnit(db: Db, actor: Actor, input: { id: string }) {
  return setRetired(db, actor, input.id, false, (unit, rows) => {
    if (!unit.retiredAt) throw conflict('unit_active', `「${unit.name}」は廃止されていません。`);
    const parent = rows.find((r) => r.id === unit.parentId);
    if (parent?.retiredAt)
      throw conflict('parent_retired', `「${unit.name}」の部局「${parent.name}」が廃止されています。先に部局を復活させてください。`);
  });
}

/** `refuse` throws when the unit may not change, seeing all units locked for the transaction. */
async function setRetired(db: Db, actor: Actor, id: string, retired: boolean, refuse: (unit: UnitRow, rows: UnitRow[]) => void) {
  if (!canManageUnits(actor)) throw notFound('組織');
  await db.transaction(async (tx) => {
    const rows = await lockUnitRows(tx);
    const unit = rows.find((r) => r.id === id);
    if (!unit) throw notFound('組織');
    refuse(unit, rows);
    await updateUnit(tx, unit.id, { retiredAt: retired ? new Date() : null });
    await appendAudit(tx, {
      actorId: actor.id,
      action: retired ? 'retire_unit' : 'restore_unit',
      entity: 'organisation_unit',
      entityId: unit.id,
      before: { name: unit.name, retired: !retired },
      after: { name: unit.name, retired },
    });
  });
}
