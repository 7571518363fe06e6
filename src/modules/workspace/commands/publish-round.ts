// Approving the round: its approved values become observations and a new publication (公表版). The
// checks, the plans' writes, the round's status and the audit entry are one transaction.
import { appendAudit } from '../../../platform/audit.ts';
import { notFound, conflict } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { canPublishRound } from '../rules.ts';
import { findRound, listEntries, markRoundPublished } from '../repository.ts';
import type { WorkspaceContext } from './context.ts';

export async function publishRound(ctx: WorkspaceContext, actor: Actor, input: { roundId: number }) {
  if (!canPublishRound(actor)) throw notFound('報告ラウンド');
  return ctx.plans.commands.publishObservations(async (tx, publish) => {
    const round = await findRound(tx, input.roundId);
    if (!round) throw notFound('報告ラウンド');
    if (round.status !== 'open') throw conflict('round_closed', 'この報告ラウンドは公表済みです。');
    const entries = await listEntries(tx, round.id);
    const pending = entries.filter((e) => e.status !== 'approved');
    if (pending.length)
      throw conflict('entries_pending', `承認されていない入力が${pending.length}件あります。すべて承認してから公表してください。`);
    if (!entries.length) throw conflict('no_entries', '承認された入力がありません。');
    const publicationId = await publish({
      planId: round.planId,
      asOf: round.asOf,
      label: round.label,
      provenance: `報告ラウンド「${round.label}」で承認された値（${entries.length}件）と、それ以外の指標の前回までの値`,
      observations: entries.map((e) => ({
        indicatorId: e.indicatorId,
        value: e.value,
        periodLabel: e.periodLabel,
        note: e.note,
        dataSource: e.source,
      })),
    });
    await markRoundPublished(tx, round.id, publicationId);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'publish_round',
      entity: 'reporting_round',
      entityId: String(round.id),
      before: round,
      after: { ...round, status: 'published', publicationId },
    });
    return publicationId;
  });
}
