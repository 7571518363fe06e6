// Renames a unit: owners and accounts keep its id, so every page shows the new name at once.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { lockUnitRows, updateUnit } from '../repository.ts';
import { canManageUnits } from '../rules.ts';
import { unitName } from './inputs.ts';
import { refuseDuplicate } from './siblings.ts';

export const renameUnitInput = z.object({ name: unitName });

export async function renameUnit(db: Db, actor: Actor, input: { id: string } & z.output<typeof renameUnitInput>) {
  if (!canManageUnits(actor)) throw notFound('組織');
  await db.transaction(async (tx) => {
    const rows = await lockUnitRows(tx);
    const unit = rows.find((r) => r.id === input.id);
    if (!unit) throw notFound('組織');
    if (unit.name === input.name) return;
    refuseDuplicate(rows, { ...unit, name: input.name });
    await updateUnit(tx, unit.id, { name: input.name });
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'rename_unit',
      entity: 'organisation_unit',
      entityId: unit.id,
      before: { name: unit.name },
      after: { name: input.name },
    });
  });
}
