// An administrator assigns the department that owns (enters) an indicator.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { indicatorsForEntry, setOwnerDepartment } from '../repository.ts';
import { canAssignOwner } from '../rules.ts';
import { write, type PlansContext } from './context.ts';

export const ownerInput = z.object({
  department: z
    .string()
    .trim()
    .max(100, '部局名は100文字以内にしてください。')
    .transform((s) => s || null),
});

export async function assignOwner(
  ctx: PlansContext,
  actor: Actor,
  input: { planId: string; indicatorCode: string } & z.output<typeof ownerInput>,
) {
  if (!canAssignOwner(actor)) throw notFound('指標');
  await write(ctx, async (tx) => {
    const indicator = (await indicatorsForEntry(tx, input.planId)).find((i) => i.code === input.indicatorCode);
    if (!indicator) throw notFound('指標');
    await setOwnerDepartment(tx, indicator.id, input.department);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'assign_owner',
      entity: 'indicator',
      entityId: indicator.code,
      before: { ownerDepartment: indicator.ownerDepartment },
      after: { ownerDepartment: input.department },
    });
  });
}
