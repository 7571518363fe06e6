// Approving the round: its approved values become observations and a new publication (公表版). The
// checks, the plans' writes, the round's status and the audit entry are one transaction.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { notFound, conflict } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { unitNames } from '../../organisations/index.ts';
import { canPublishRound } from '../rules.ts';
import { findRound, listEntries, markRoundPublished } from '../repository.ts';
import { missingForPublication } from '../missing.ts';
import type { WorkspaceContext } from './context.ts';

export const publishInput = z.object({
  /** The summary of what is missing, as the page showed it beside the checkbox (absent: unchecked). */
  confirmMissing: z.string().max(5000).optional(),
});

export async function publishRound(ctx: WorkspaceContext, actor: Actor, input: { roundId: number; confirmMissing?: string }) {
  if (!canPublishRound(actor)) throw notFound('報告ラウンド');
  // Read before the transaction: the registry's queries use their own connection (PGlite has one).
  const names = unitNames(await ctx.organisations.queries.units());
  return ctx.plans.commands.publishObservations(async (tx, publish) => {
    const round = await findRound(tx, input.roundId);
    if (!round) throw notFound('報告ラウンド');
    if (round.status !== 'open') throw conflict('round_closed', 'この報告ラウンドは公表済みです。');
    const entries = await listEntries(tx, round.id);
    const pending = entries.filter((e) => e.status !== 'approved');
    if (pending.length)
      throw conflict('entries_pending', `承認されていない入力が${pending.length}件あります。すべて承認してから公表してください。`);
    if (!entries.length) throw conflict('no_entries', '承認された入力がありません。');
    // Departments that did not submit, and indicators nobody was asked for: only with a confirmation
    // naming them, checked here where the publication is written.
    const indicators = await ctx.plans.queries.indicatorsForEntry(round.planId, tx);
    const missing = missingForPublication(indicators, new Set(entries.map((e) => e.indicatorId)), names);
    if (missing.summary && input.confirmMissing !== missing.summary) {
      throw conflict(
        'missing_departments',
        `未提出の部局（${missing.summary}）があります。このまま公表するには「未提出の部局（…）があることを確認しました」にチェックしてください` +
          (input.confirmMissing ? '（確認した後に内容が変わりました。もう一度確認してください）。' : '。'),
        { summary: missing.summary },
      );
    }
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
      after: { ...round, status: 'published', publicationId, missing: missing.summary },
    });
    return publicationId;
  });
}
