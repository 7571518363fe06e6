// An approver approves an entry, or returns it to its owner with a comment.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { notFound, conflict } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { canReview } from '../rules.ts';
import { findEntry, findRound, reviewEntryRow } from '../repository.ts';
import type { WorkspaceContext } from './context.ts';

export const reviewInput = z
  .object({ decision: z.enum(['approve', 'return']), comment: z.string().trim().max(500).optional() })
  .refine((x) => x.decision === 'approve' || !!x.comment, { message: '差し戻す理由を入力してください。', path: ['comment'] });

export async function reviewEntry(
  ctx: WorkspaceContext,
  actor: Actor,
  input: { roundId: number; entryId: number } & z.output<typeof reviewInput>,
) {
  const round = await findRound(ctx.db, input.roundId);
  const found = round && (await findEntry(ctx.db, input.roundId, input.entryId));
  if (!round || !found || !canReview(actor, found)) throw notFound('入力');
  const code = (await ctx.plans.queries.indicatorsForEntry(round.planId)).find((i) => i.id === found.indicatorId)!.code;
  return ctx.db.transaction(async (tx) => {
    const entry = (await findEntry(tx, input.roundId, input.entryId))!;
    if (entry.status !== 'submitted') throw conflict('not_submitted', 'この入力は審査待ちではありません。');
    const after = await reviewEntryRow(
      tx,
      entry.id,
      input.decision === 'approve' ? 'approved' : 'returned',
      actor.id,
      input.comment ?? null,
    );
    await appendAudit(tx, {
      actorId: actor.id,
      action: input.decision === 'approve' ? 'approve_entry' : 'return_entry',
      entity: 'indicator',
      entityId: code,
      before: entry,
      after,
      reason: input.comment ?? null,
    });
    return after;
  });
}
