// An owner enters an indicator's new value for the round and submits it for approval.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { badRequest, notFound, conflict } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { isCountUnit, parsePeriod } from '../../plans/index.ts';
import { parseNumberText } from '../../../platform/numbers.ts';
import { canEnterIndicator } from '../rules.ts';
import { findEntryFor, findRound, upsertEntry } from '../repository.ts';
import type { WorkspaceContext } from './context.ts';

export const entryInput = z.object({
  // Full-width digits and signs as the IME types them are the same number (platform/numbers.ts).
  value: z.string().transform((s, ctx) => {
    const n = parseNumberText(s);
    if (n === null) {
      ctx.addIssue({ code: 'custom', message: `値は数字で入力してください（例: 1,234 または 12.5。「${s.trim()}」）。` });
      return z.NEVER;
    }
    return n;
  }),
  unit: z.string().trim(),
  periodLabel: z
    .string()
    .trim()
    .refine((s) => parsePeriod(s) !== null, '期間は「R6年度」「R7年1月末時点」「2024年」のように入力してください。'),
  source: z.string().trim().min(1, 'データの出所を入力してください。').max(200),
  note: z.string().trim().max(500).optional(),
});

const closed = () => conflict('round_closed', 'この報告ラウンドは公表済みです。');

export async function submitEntry(
  ctx: WorkspaceContext,
  actor: Actor,
  input: { roundId: number; indicatorCode: string } & z.output<typeof entryInput>,
) {
  const { roundId } = input;
  const round = await findRound(ctx.db, roundId);
  const indicator = round && (await ctx.plans.queries.indicatorsForEntry(round.planId)).find((i) => i.code === input.indicatorCode);
  // Missing and forbidden answer the same.
  if (!round || !indicator || !canEnterIndicator(actor, indicator)) throw notFound('指標');
  if (round.status !== 'open') throw closed();
  // `details.field` names the form field, so that the page shows the message beside it.
  const refuse = (field: string, message: string) => badRequest(message, { field });
  if (input.unit.normalize('NFKC') !== indicator.unit.normalize('NFKC'))
    throw refuse('unit', `単位が違います。この指標の単位は「${indicator.unit}」です。`);
  if (input.value < 0 && indicator.direction !== 'change_from_base') throw refuse('value', 'この指標の値は0以上で入力してください。');
  if (indicator.unit === '%' && indicator.direction !== 'change_from_base' && input.value > 100)
    throw refuse('value', '割合（%）は100以下で入力してください。');
  if (isCountUnit(indicator.unit) && !Number.isInteger(input.value))
    throw refuse('value', `この指標は数（${indicator.unit}）なので、小数は入力できません。整数で入力してください（「${input.value}」）。`);
  const period = parsePeriod(input.periodLabel)!;
  if (indicator.latest && period.end <= indicator.latest.periodEnd) {
    throw refuse('periodLabel', `期間は前回の値（${indicator.latest.periodLabel}）より後にしてください。`);
  }
  return ctx.db.transaction(async (tx) => {
    // Published meanwhile: checked again where the write happens.
    if ((await findRound(tx, roundId))?.status !== 'open') throw closed();
    const before = await findEntryFor(tx, roundId, indicator.id);
    if (before?.status === 'approved') throw conflict('entry_approved', 'この値は承認済みです。');
    const entry = await upsertEntry(tx, {
      roundId,
      indicatorId: indicator.id,
      value: input.value,
      periodLabel: input.periodLabel,
      source: input.source,
      note: input.note || null,
      status: 'submitted',
      enteredBy: actor.id,
    });
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'submit_entry',
      entity: 'indicator',
      entityId: indicator.code,
      before: before ?? null,
      after: entry,
    });
    return entry;
  });
}
