// Brings a retired unit back into the choices; a section only under an active department.
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { conflict, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { lockUnitRows, updateUnit } from '../repository.ts';
import { canManageUnits } from '../rules.ts';

export async function restoreUnit(db: Db, actor: Actor, input: { id: string }) {
  if (!canManageUnits(actor)) throw notFound('組織');
  await db.transaction(async (tx) => {
    const rows = await lockUnitRows(tx);
    const unit = rows.find((r) => r.id === input.id);
    if (!unit) throw notFound('組織');
    if (!unit.retiredAt) throw conflict('unit_active', `「${unit.name}」は廃止されていません。`);
    const parent = rows.find((r) => r.id === unit.parentId);
    if (parent?.retiredAt)
      throw conflict('parent_retired', `「${unit.name}」の部局「${parent.name}」が廃止されています。先に部局を復活させてください。`);
    await updateUnit(tx, unit.id, { retiredAt: null });
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'restore_unit',
      entity: 'organisation_unit',
      entityId: unit.id,
      before: { name: unit.name, retired: true },
      after: { name: unit.name, retired: false },
    });
  });
}
