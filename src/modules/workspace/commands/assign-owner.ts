// An administrator assigns the department that owns (enters) an indicator.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { notFound } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import { indicatorsForEntry, setOwnerDepartment } from '../../plans/index.ts';
import { canAssignOwner, type Actor } from '../rules.ts';

const input = z.object({ department: z.string().trim().max(100, '部局名は100文字以内にしてください。') });

export async function assignOwner(db: Db, actor: Actor, planId: string, indicatorCode: string, raw: unknown) {
  const indicator = (await indicatorsForEntry(db, planId)).find((i) => i.code === indicatorCode);
  if (!indicator || !canAssignOwner(actor)) throw notFound('指標');
  const department = parse(input, raw, '担当部局').department || null;
  await db.transaction(async (tx) => {
    await setOwnerDepartment(tx, indicator.id, department);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'assign_owner',
      entity: 'indicator',
      entityId: indicator.code,
      before: { ownerDepartment: indicator.ownerDepartment },
      after: { ownerDepartment: department },
    });
  });
}
