// An approver approves an entry, or returns it to its owner with a comment.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { notFound, conflict } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import { indicatorsForEntry } from '../../plans/index.ts';
import { canReview, type Actor } from '../rules.ts';
import { findEntry, findRound, reviewEntryRow } from '../repository.ts';

const reviewInput = z
  .object({ decision: z.enum(['approve', 'return']), comment: z.string().trim().max(500).optional() })
  .refine((x) => x.decision === 'approve' || !!x.comment, { message: '差し戻す理由を入力してください。', path: ['comment'] });

export async function reviewEntry(db: Db, actor: Actor, roundId: number, entryId: number, raw: unknown) {
  const round = await findRound(db, roundId);
  const entry = round && (await findEntry(db, roundId, entryId));
  if (!round || !entry || !canReview(actor, entry)) throw notFound('入力');
  if (entry.status !== 'submitted') throw conflict('not_submitted', 'この入力は審査待ちではありません。');
  const input = parse(reviewInput, raw, '審査');
  const code = (await indicatorsForEntry(db, round.planId)).find((i) => i.id === entry.indicatorId)!.code;
  return db.transaction(async (tx) => {
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
