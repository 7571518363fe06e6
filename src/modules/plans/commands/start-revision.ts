// Starts a new version of a regional vision from the current one; older versions keep their numbers
// and sheets.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { reason } from '../inputs.ts';
import { currentVersion, insertVersion, insertVersionProjects, makeCurrent, versionNumbers } from '../repository-versions.ts';
import { STAFF_VERSION } from '../revision.ts';
import { canEditStructure } from '../rules.ts';
import { write, type PlansContext } from './context.ts';

export const revisionInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^v[a-z0-9-]{1,20}$/, '版のコードは「v」で始まる英小文字・数字にしてください（例: v2025）。'),
  label: z.string().trim().min(1, '版の名称を入力してください。').max(100),
  reason: reason(),
});

/** Answers the new version's id. */
export async function startRevision(ctx: PlansContext, actor: Actor, input: { planId: string } & z.output<typeof revisionInput>) {
  if (!canEditStructure(actor)) throw notFound('ページ');
  const { planId, ...v } = input;
  return write(ctx, async (tx) => {
    const current = await currentVersion(tx, planId);
    if (!current) throw notFound('計画');
    const numbers = await versionNumbers(tx, current.id);
    const id = await insertVersion(tx, {
      planId,
      code: v.code,
      label: v.label,
      date: new Date().toISOString().slice(0, 10),
      projectCount: numbers.length,
      position: current.position + 1,
      provenance: `${STAFF_VERSION}（${actor.name}）`,
      note: v.reason,
    });
    await insertVersionProjects(
      tx,
      numbers.map((n) => ({ versionId: id, nodeId: n.nodeId, number: n.number })),
    );
    await makeCurrent(tx, planId, id);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'start_revision',
      entity: 'plan_version',
      entityId: `${planId}/${v.code}`,
      after: { label: v.label, from: current.code },
      reason: v.reason,
    });
    return id;
  });
}
