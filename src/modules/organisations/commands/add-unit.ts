// An administrator adds a department, or a section under a department. A new unit's id is made
// here, never typed: a department `d-<random>`, a section `<department id>.<random>`, so the
// prefix rule (a department covers its sections) holds for every unit.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { insertUnits, lockUnitRows } from '../repository.ts';
import { canManageUnits } from '../rules.ts';
import { unitId, unitName } from './inputs.ts';
import { refuseDuplicate } from './siblings.ts';

export const addUnitInput = z.object({
  /** The department a section is added under; absent or empty: a new department. */
  parentId: unitId.optional().or(z.literal('').transform(() => undefined)),
  name: unitName,
});

export async function addUnit(db: Db, actor: Actor, input: z.output<typeof addUnitInput>): Promise<string> {
  if (!canManageUnits(actor)) throw notFound('ページ');
  return db.transaction(async (tx) => {
    const rows = await lockUnitRows(tx);
    const parent = input.parentId === undefined ? undefined : rows.find((r) => r.id === input.parentId);
    if (input.parentId !== undefined && (!parent || parent.kind !== 'department' || parent.retiredAt))
      throw badRequest('部局: 課を加える部局を一覧から選んでください。', { field: 'parentId' });
    const kind = parent ? 'section' : 'department';
    const parentId = parent?.id ?? null;
    refuseDuplicate(rows, { kind, parentId, name: input.name });
    const suffix = randomBytes(4).toString('hex');
    const id = parent ? `${parent.id}.${suffix}` : `d-${suffix}`;
    const position = Math.max(0, ...rows.map((r) => r.position)) + 1;
    await insertUnits(tx, [{ id, kind, name: input.name, parentId, position, provenance: `職員画面で追加（${actor.name}）` }]);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'add_unit',
      entity: 'organisation_unit',
      entityId: id,
      before: null,
      after: { kind, name: input.name, parent: parent?.name ?? null },
    });
    return id;
  });
}
