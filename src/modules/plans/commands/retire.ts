// Retires a field, KPI or indicator. Every observation and publication stays: a publication is a
// snapshot and never changes; the node only leaves the current plan and the next publication.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { reason } from '../inputs.ts';
import { findNode, retireNode } from '../repository.ts';
import { canEditStructure } from '../rules.ts';
import { write, type PlansContext } from './context.ts';

export const retireInput = z.object({ reason: reason('廃止') });

export async function retire(ctx: PlansContext, actor: Actor, input: { planId: string; code: string } & z.output<typeof retireInput>) {
  if (!canEditStructure(actor)) throw notFound('ページ');
  await write(ctx, async (tx) => {
    const node = await findNode(tx, input.planId, input.code);
    if (!node || node.retiredAt || !['field', 'kpi', 'indicator'].includes(node.kind)) throw notFound('項目');
    await retireNode(tx, node.id, input.reason);
    await appendAudit(tx, {
      actorId: actor.id,
      action: `retire_${node.kind}`,
      entity: node.kind,
      entityId: input.code,
      before: { name: node.name },
      after: { retired: true },
      reason: input.reason,
    });
  });
}
