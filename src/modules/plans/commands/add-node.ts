// Adds a field, a KPI under a field, or an indicator under a KPI (with unit and target) to a KPI plan;
// or an indicator under a 施策 (measure) of a comprehensive plan, whose target may stay blank.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { badRequest, conflict, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { reason } from '../inputs.ts';
import { childCodes, findNode, insertIndicator, insertNode, nextPosition } from '../repository.ts';
import { canEditStructure } from '../rules.ts';
import { write, type PlansContext } from './context.ts';
import type { MeasureIndicatorFields } from './edit-indicator.ts';

export const addNodeInput = z.object({
  kind: z.enum(['field', 'kpi', 'indicator']),
  parent: z.string().trim().optional(),
  /** For a field: its code in URLs (e.g. tourism). KPIs and indicators are numbered under their parent. */
  code: z
    .string()
    .trim()
    .regex(/^(|[a-z][a-z0-9-]{1,30})$/, 'コードは英小文字で始まる英小文字・数字・ハイフンにしてください。')
    .optional(),
  name: z.string().trim().min(1, '名称を入力してください。').max(200),
  reason: reason('追加'),
});

/** An indicator comes with its unit, target and direction (`indicator`); only under a measure may the target be null. */
export type AddNodeInput = { planId: string; indicator?: MeasureIndicatorFields } & z.output<typeof addNodeInput>;

/** Where each kind goes: an indicator under a KPI (a KPI plan) or under a measure (a comprehensive plan). */
const parentKinds: Record<AddNodeInput['kind'], string[]> = { field: [], kpi: ['field'], indicator: ['kpi', 'measure'] };

/** Answers the new node's code. */
export async function addNode(ctx: PlansContext, actor: Actor, input: AddNodeInput) {
  if (!canEditStructure(actor)) throw notFound('ページ');
  const { planId, indicator, ...v } = input;
  const parentKind = parentKinds[v.kind];
  const ind = v.kind === 'indicator' ? indicator : undefined;
  if (v.kind === 'indicator' && !ind) throw badRequest('指標の単位と目標値を入力してください。');
  return write(ctx, async (tx) => {
    const parent = v.parent ? await findNode(tx, planId, v.parent) : undefined;
    if (parentKind.length && (!parent || !parentKind.includes(parent.kind) || parent.retiredAt)) {
      throw badRequest(v.kind === 'kpi' ? 'KPIを追加する分野を選んでください。' : '指標を追加するKPIまたは施策を選んでください。');
    }
    if (ind && ind.target === null && parent?.kind !== 'measure') throw badRequest('目標値を入力してください。');
    const siblings = parent ? await childCodes(tx, parent.id) : [];
    const code = parent ? nextCode(parent.code, siblings) : v.code;
    if (!code) throw badRequest('分野のコードを入力してください。');
    if (await findNode(tx, planId, code)) throw conflict('code_exists', `コード「${code}」はすでに使われています。`);
    const id = await insertNode(tx, {
      planId,
      parentId: parent?.id ?? null,
      kind: v.kind,
      code,
      name: v.name,
      position: await nextPosition(tx, planId),
      provenance: `職員ページで追加（${actor.name}）`,
    });
    if (ind) {
      await insertIndicator(tx, {
        nodeId: id,
        unit: ind.unit,
        targetValue: ind.target,
        targetYear: ind.targetYear,
        direction: ind.direction,
      });
    }
    await appendAudit(tx, {
      actorId: actor.id,
      action: `add_${v.kind}`,
      entity: v.kind,
      entityId: code,
      after: { name: v.name, parent: parent?.code ?? null, ...(ind ?? {}) },
      reason: v.reason,
    });
    return code;
  });
}

/** industry-2 with children industry-2-1 … industry-2-4 -> industry-2-5 */
function nextCode(parent: string, siblings: string[]): string {
  const n = Math.max(0, ...siblings.map((s) => Number(s.slice(parent.length + 1))).filter(Number.isInteger));
  return `${parent}-${n + 1}`;
}
