// Adds a project to the version of a regional vision that staff are editing.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { badRequest, conflict, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { reason } from '../inputs.ts';
import { planMunicipalityCodes, setPartners } from '../repository-municipalities.ts';
import { insertVersionProjects, versionNumbers } from '../repository-versions.ts';
import { findNode, insertNode, nextPosition } from '../repository.ts';
import { editableVersion, recordChange } from '../revision.ts';
import { canEditStructure } from '../rules.ts';
import { write, type PlansContext } from './context.ts';

export const addProjectInput = z.object({
  number: z.coerce.number().int('事業番号は整数で入力してください。').min(1).max(999),
  name: z.string().trim().min(1, '事業名を入力してください。').max(200),
  category: z.string().trim().min(1, '分類を選んでください。'),
  description: z.string().trim().max(2000).default(''),
  effect: z.string().trim().max(500).default(''),
  reason: reason('追加'),
});

/** Answers the new project's code. */
export async function addProject(ctx: PlansContext, actor: Actor, input: { planId: string } & z.output<typeof addProjectInput>) {
  if (!canEditStructure(actor)) throw notFound('ページ');
  const { planId, ...v } = input;
  return write(ctx, async (tx) => {
    const version = await editableVersion(tx, planId);
    const category = await findNode(tx, planId, v.category);
    if (!category || category.kind !== 'category') throw badRequest('分類を選んでください。');
    const numbers = await versionNumbers(tx, version.id);
    if (numbers.some((n) => n.number === v.number)) throw conflict('number_taken', `事業番号 ${v.number} はこの版ですでに使われています。`);
    const code = `p-${version.code}-${v.number}`;
    const id = await insertNode(tx, {
      planId,
      parentId: category.id,
      kind: 'project',
      code,
      name: v.name,
      details: {
        partnersText: '全市町村',
        description: v.description,
        effect: v.effect,
        roles: { aomori: '', partners: '' },
        footnotes: [],
      },
      position: await nextPosition(tx, planId),
      provenance: `職員ページで追加（${actor.name}、${version.label}）`,
    });
    const partners = (await planMunicipalityCodes(tx, planId)).filter((m) => m.role === 'partner').map((m) => m.municipalityCode);
    await setPartners(tx, id, partners);
    await insertVersionProjects(tx, [{ versionId: version.id, nodeId: id, number: v.number }]);
    await recordChange(tx, version.id, 'added', id, v.reason, actor);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'add_project',
      entity: 'project',
      entityId: code,
      after: { number: v.number, name: v.name, category: v.category },
      reason: v.reason,
    });
    return code;
  });
}
