// Ends a project in the version of a regional vision that staff are editing; older versions keep it.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { conflict, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { reason } from '../inputs.ts';
import { removeFromVersion, versionNumbers } from '../repository-versions.ts';
import { findNode } from '../repository.ts';
import { editableVersion, recordChange } from '../revision.ts';
import { canEditStructure } from '../rules.ts';
import { write, type PlansContext } from './context.ts';

export const endProjectInput = z.object({ reason: reason('終了') });

export async function endProject(
  ctx: PlansContext,
  actor: Actor,
  input: { planId: string; code: string } & z.output<typeof endProjectInput>,
) {
  if (!canEditStructure(actor)) throw notFound('ページ');
  await write(ctx, async (tx) => {
    const version = await editableVersion(tx, input.planId);
    const node = await findNode(tx, input.planId, input.code);
    if (!node || node.kind !== 'project') throw notFound('事業');
    const numbers = await versionNumbers(tx, version.id);
    if (!numbers.some((n) => n.nodeId === node.id)) throw conflict('not_in_version', 'この事業は現在の版にありません。');
    await removeFromVersion(tx, version.id, node.id);
    await recordChange(tx, version.id, 'ended', node.id, input.reason, actor);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'end_project',
      entity: 'project',
      entityId: input.code,
      before: { name: node.name },
      reason: input.reason,
    });
  });
}
