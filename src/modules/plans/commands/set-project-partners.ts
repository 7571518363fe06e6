// Changes a project's partner municipalities in the version of a regional vision staff are editing.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { reason } from '../inputs.ts';
import { partnerCodes, planMunicipalityCodes, setPartners } from '../repository-municipalities.ts';
import { findNode } from '../repository.ts';
import { editableVersion } from '../revision.ts';
import { canEditStructure } from '../rules.ts';
import { write, type PlansContext } from './context.ts';

export const partnersInput = z.object({
  partners: z.array(z.string().regex(/^\d{5}$/)).default([]),
  reason: reason(),
});

export async function setProjectPartners(
  ctx: PlansContext,
  actor: Actor,
  input: { planId: string; code: string } & z.output<typeof partnersInput>,
) {
  if (!canEditStructure(actor)) throw notFound('ページ');
  const { planId, code, partners, reason: why } = input;
  await write(ctx, async (tx) => {
    await editableVersion(tx, planId);
    const node = await findNode(tx, planId, code);
    if (!node || node.kind !== 'project') throw notFound('事業');
    const allowed = new Set((await planMunicipalityCodes(tx, planId)).filter((m) => m.role === 'partner').map((m) => m.municipalityCode));
    const bad = partners.filter((p) => !allowed.has(p));
    if (bad.length) throw badRequest(`この計画の連携町村ではありません: ${bad.join('、')}`);
    const before = await partnerCodes(tx, node.id);
    await setPartners(tx, node.id, partners);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'set_partners',
      entity: 'project',
      entityId: code,
      before,
      after: partners,
      reason: why,
    });
  });
}
