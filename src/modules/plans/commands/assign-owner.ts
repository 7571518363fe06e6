// An administrator assigns the unit (a department or a section of the registry) that owns (enters)
// indicators: one, or several checked at once on the owners page, in one transaction with an audit
// entry per indicator whose owner changes.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { indicatorsForEntry, setOwnerDepartment } from '../repository.ts';
import { canAssignOwner } from '../rules.ts';
import { write, type PlansContext } from './context.ts';

export const ownerInput = z.object({
  /** A unit's id from the registry; empty: no owner. */
  department: z
    .string()
    .trim()
    .max(200, '担当部局を一覧から選んでください。')
    .transform((s) => s || null),
});

/** Refuses an id that is not an active unit (a field error on `field`): a department, a section, or a municipality for what the municipality reports itself. */
export async function activeOwner(ctx: PlansContext, id: string | null, field = 'department') {
  if (id === null) return null;
  const unit = await ctx.organisations.queries.unit(id);
  if (!unit || unit.retired)
    throw badRequest(
      `担当部局: ${unit?.retired ? `「${unit.fullName}」は廃止されています。` : ''}組織一覧の部局・課・市町村から選んでください。`,
      {
        field,
      },
    );
  return unit;
}

export async function assignOwner(
  ctx: PlansContext,
  actor: Actor,
  input: { planId: string; indicatorCodes: string[] } & z.output<typeof ownerInput>,
) {
  if (!canAssignOwner(actor)) throw notFound('指標');
  if (!input.indicatorCodes.length) throw badRequest('指標: 担当部局を設定する指標を選んでください。', { field: 'indicators' });
  await activeOwner(ctx, input.department);
  await write(ctx, async (tx) => {
    const all = new Map((await indicatorsForEntry(tx, input.planId)).map((i) => [i.code, i]));
    for (const code of new Set(input.indicatorCodes)) {
      const indicator = all.get(code);
      if (!indicator) throw notFound('指標');
      if (indicator.ownerDepartment === input.department) continue;
      await setOwnerDepartment(tx, indicator.id, input.department);
      await appendAudit(tx, {
        actorId: actor.id,
        action: 'assign_owner',
        entity: 'indicator',
        entityId: indicator.code,
        before: { ownerDepartment: indicator.ownerDepartment },
        after: { ownerDepartment: input.department },
      });
    }
  });
}
