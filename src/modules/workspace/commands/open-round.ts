// A plan administrator opens a reporting round (e.g. 2025年7月末時点) with a due date.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { notFound, conflict, unprocessable } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { canOpenRound } from '../rules.ts';
import { insertRound, listRounds } from '../repository.ts';
import type { WorkspaceContext } from './context.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日付は YYYY-MM-DD で入力してください。');
export const openRoundInput = z
  .object({
    label: z.string().trim().min(1, '名称を入力してください。').max(50, '名称は50文字以内にしてください。'),
    asOf: isoDate,
    dueDate: isoDate,
  })
  .refine((x) => x.dueDate >= new Date().toISOString().slice(0, 10), {
    message: '提出期限は今日以降の日付にしてください。',
    path: ['dueDate'],
  });

export async function openRound(ctx: WorkspaceContext, actor: Actor, input: { planId: string } & z.output<typeof openRoundInput>) {
  if (!canOpenRound(actor)) throw notFound('ページ');
  return ctx.db.transaction(async (tx) => {
    const rounds = await listRounds(tx, input.planId);
    if (rounds.some((r) => r.status === 'open'))
      throw conflict('round_open', '受付中の報告ラウンドがあります。公表してから次のラウンドを開いてください。');
    if (rounds.some((r) => r.asOf >= input.asOf))
      throw unprocessable('round_as_of', 'この時点は既存のラウンドまたは公表版より前です。より後の時点を指定してください。');
    const round = await insertRound(tx, { ...input, createdBy: actor.id });
    await appendAudit(tx, { actorId: actor.id, action: 'open_round', entity: 'reporting_round', entityId: String(round.id), after: round });
    return round;
  });
}
