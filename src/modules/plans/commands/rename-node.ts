// Renames a field or a KPI (and, for a KPI, its 【指標の構成要素】 text).
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { reason } from '../inputs.ts';
import { findNode, updateNodeName } from '../repository.ts';
import { canEditStructure } from '../rules.ts';
import { write, type PlansContext } from './context.ts';

export const renameInput = z.object({
  name: z.string().trim().min(1, '名称を入力してください。').max(200),
  components: z.string().trim().max(500).optional(),
  reason: reason(),
});

export async function renameNode(ctx: PlansContext, actor: Actor, input: { planId: string; code: string } & z.output<typeof renameInput>) {
  if (!canEditStructure(actor)) throw notFound('ページ');
  await write(ctx, async (tx) => {
    const node = await findNode(tx, input.planId, input.code);
    if (!node || node.retiredAt || (node.kind !== 'field' && node.kind !== 'kpi')) throw notFound('項目');
    const description = node.kind === 'kpi' ? (input.components ?? node.description) : node.description;
    await updateNodeName(tx, node.id, input.name, description);
    await appendAudit(tx, {
      actorId: actor.id,
      action: `rename_${node.kind}`,
      entity: node.kind,
      entityId: input.code,
      before: { name: node.name, components: node.description },
      after: { name: input.name, components: description },
      reason: input.reason,
    });
  });
}
