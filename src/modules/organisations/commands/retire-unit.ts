// Retires a unit: it stays in history and where it already owns indicators or scopes accounts, but
// it is no longer offered for new choices. A department goes after its sections, so that no active
// section hangs under a retired department.
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { conflict, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { lockUnitRows, updateUnit } from '../repository.ts';
import { canManageUnits } from '../rules.ts';

export async function retireUnit(db: Db, actor: Actor, input: { id: string }) {
  if (!canManageUnits(actor)) throw notFound('組織');
  await db.transaction(async (tx) => {
    const rows = await lockUnitRows(tx);
    const unit = rows.find((r) => r.id === input.id);
    if (!unit) throw notFound('組織');
    if (unit.retiredAt) throw conflict('unit_retired', `「${unit.name}」はすでに廃止されています。`);
    const active = rows.filter((r) => r.parentId === unit.id && !r.retiredAt);
    if (active.length)
      throw conflict(
        'unit_has_sections',
        `「${unit.name}」には廃止されていない課（${active.map((r) => r.name).join('、')}）があります。先に課を廃止してください。`,
      );
    await updateUnit(tx, unit.id, { retiredAt: new Date() });
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'retire_unit',
      entity: 'organisation_unit',
      entityId: unit.id,
      before: { name: unit.name, retired: false },
      after: { name: unit.name, retired: true },
    });
  });
}
