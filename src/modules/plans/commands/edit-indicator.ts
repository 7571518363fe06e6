// Changes an indicator of a KPI plan: name, unit, target, target year and direction.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { reason } from '../inputs.ts';
import { findIndicatorRow, findNode, updateIndicator, updateNodeName } from '../repository.ts';
import { canEditStructure } from '../rules.ts';
import { write, type PlansContext } from './context.ts';

const number = z
  .string()
  .trim()
  .regex(/^-?[\d,]+(\.\d+)?$/, '目標値は数字で入力してください。')
  .transform((s) => Number(s.replace(/,/g, '')));

/** The indicator form (also the indicator part of adding one). */
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
export type IndicatorFields = z.output<typeof indicatorInput>;

/**
 * A comprehensive plan's indicator (under a 施策): the document gives no target, so the target may
 * stay blank (null, shown as 資料に目標値の記載なし) and be set later.
 */
export const measureIndicatorInput = indicatorInput.extend({
  target: z
    .string()
    .trim()
    .regex(/^(|-?[\d,]+(\.\d+)?)$/, '目標値は数字で入力してください（資料にない場合は空欄）。')
    .transform((s) => (s ? Number(s.replace(/,/g, '')) : null)),
  direction: z.enum(['higher', 'lower', 'change_from_base'], { message: '方向を選んでください。' }).default('higher'),
});
export type MeasureIndicatorFields = z.output<typeof measureIndicatorInput>;

export async function editIndicator(ctx: PlansContext, actor: Actor, input: { planId: string; code: string } & IndicatorFields) {
  if (!canEditStructure(actor)) throw notFound('ページ');
  const { planId, code, ...v } = input;
  await write(ctx, async (tx) => {
    const node = await findNode(tx, planId, code);
    if (!node || node.kind !== 'indicator' || node.retiredAt) throw notFound('指標');
    if (v.target === 0 && v.direction === 'higher') throw badRequest('目標値が0では達成率を計算できません。');
    const before = await findIndicatorRow(tx, node.id);
    await updateNodeName(tx, node.id, v.name, node.description);
    await updateIndicator(tx, node.id, { unit: v.unit, targetValue: v.target, targetYear: v.targetYear, direction: v.direction });
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
