// Structure editing of a KPI plan: add and change fields, KPIs and indicators (name, unit, target,
// direction), and retire them. Retiring keeps every observation and publication: a publication is a
// snapshot and never changes; the node only leaves the current plan and the next publication.
import { z } from 'zod';
import { reason } from '../inputs.ts';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, notFound, conflict } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import * as plans from '../../plans/index.ts';
import { canEditStructure, type Actor } from '../rules.ts';

const number = z
  .string()
  .trim()
  .regex(/^-?[\d,]+(\.\d+)?$/, '目標値は数字で入力してください。')
  .transform((s) => Number(s.replace(/,/g, '')));

export const indicatorInput = z.object({
  name: z.string().trim().min(1, '名称を入力してください。').max(200),
  unit: z.string().trim().min(1, '単位を入力してください。').max(20),
  target: number,
  targetYear: z
    .string()
    .trim()
    .regex(/^(|\d{4})$/, '目標年は西暦4桁で入力してください。')
    .transform((s) => (s ? Number(s) : null)),
  direction: z.enum(['higher', 'lower', 'change_from_base'], { message: '方向を選んでください。' }),
  reason: reason(),
});

const addInput = z.object({
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

const retireInput = z.object({ reason: reason('廃止') });

const guard = (actor: Actor) => {
  if (!canEditStructure(actor)) throw notFound('ページ');
};

export async function editIndicator(db: Db, actor: Actor, planId: string, code: string, raw: unknown) {
  guard(actor);
  const node = await plans.findNode(db, planId, code);
  if (!node || node.kind !== 'indicator' || node.retiredAt) throw notFound('指標');
  const v = parse(indicatorInput, raw, '指標');
  if (v.target === 0 && v.direction === 'higher') throw badRequest('目標値が0では達成率を計算できません。');
  const before = await plans.findIndicatorRow(db, node.id);
  await db.transaction(async (tx) => {
    await plans.updateNodeName(tx, node.id, v.name, node.description);
    await plans.updateIndicator(tx, node.id, { unit: v.unit, targetValue: v.target, targetYear: v.targetYear, direction: v.direction });
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'edit_indicator',
      entity: 'indicator',
      entityId: code,
      before: {
        name: node.name,
        unit: before?.unit,
        target: before?.targetValue,
        targetYear: before?.targetYear,
        direction: before?.direction,
      },
      after: { name: v.name, unit: v.unit, target: v.target, targetYear: v.targetYear, direction: v.direction },
      reason: v.reason,
    });
  });
}

/** Adds a field, a KPI under a field, or an indicator under a KPI (with unit and target). */
export async function addNode(db: Db, actor: Actor, planId: string, raw: unknown) {
  guard(actor);
  const v = parse(addInput, raw, '追加');
  const parentKind = { field: null, kpi: 'field', indicator: 'kpi' }[v.kind];
  const parent = v.parent ? await plans.findNode(db, planId, v.parent) : undefined;
  if (parentKind && (!parent || parent.kind !== parentKind || parent.retiredAt)) {
    throw badRequest(v.kind === 'kpi' ? 'KPIを追加する分野を選んでください。' : '指標を追加するKPIを選んでください。');
  }
  const ind = v.kind === 'indicator' ? parse(indicatorInput, raw, '指標') : null;
  return db.transaction(async (tx) => {
    const siblings = parent ? await plans.childCodes(tx, parent.id) : [];
    const code = parent ? nextCode(parent.code, siblings) : v.code;
    if (!code) throw badRequest('分野のコードを入力してください。');
    if (await plans.findNode(tx, planId, code)) throw conflict('code_exists', `コード「${code}」はすでに使われています。`);
    const id = await plans.insertNode(tx, {
      planId,
      parentId: parent?.id ?? null,
      kind: v.kind,
      code,
      name: v.name,
      position: await plans.nextPosition(tx, planId),
      provenance: `職員ページで追加（${actor.name}）`,
    });
    if (ind) {
      await plans.insertIndicator(tx, {
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

export async function retire(db: Db, actor: Actor, planId: string, code: string, raw: unknown) {
  guard(actor);
  const node = await plans.findNode(db, planId, code);
  if (!node || node.retiredAt || !['field', 'kpi', 'indicator'].includes(node.kind)) throw notFound('項目');
  const { reason: why } = parse(retireInput, raw, '廃止');
  await db.transaction(async (tx) => {
    await plans.retireNode(tx, node.id, why);
    await appendAudit(tx, {
      actorId: actor.id,
      action: `retire_${node.kind}`,
      entity: node.kind,
      entityId: code,
      before: { name: node.name },
      after: { retired: true },
      reason: why,
    });
  });
}

const renameInput = z.object({
  name: z.string().trim().min(1, '名称を入力してください。').max(200),
  components: z.string().trim().max(500).optional(),
  reason: reason(),
});

/** Renames a field or a KPI (and, for a KPI, its 【指標の構成要素】 text). */
export async function renameNode(db: Db, actor: Actor, planId: string, code: string, raw: unknown) {
  guard(actor);
  const node = await plans.findNode(db, planId, code);
  if (!node || node.retiredAt || (node.kind !== 'field' && node.kind !== 'kpi')) throw notFound('項目');
  const v = parse(renameInput, raw, '名称');
  const description = node.kind === 'kpi' ? (v.components ?? node.description) : node.description;
  await db.transaction(async (tx) => {
    await plans.updateNodeName(tx, node.id, v.name, description);
    await appendAudit(tx, {
      actorId: actor.id,
      action: `rename_${node.kind}`,
      entity: node.kind,
      entityId: code,
      before: { name: node.name, components: node.description },
      after: { name: v.name, components: description },
      reason: v.reason,
    });
  });
}
