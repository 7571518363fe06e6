// Approving the round: its approved values become observations and a new publication (公表版).
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { notFound, conflict } from '../../../platform/errors.ts';
import { insertObservations, parsePeriod, publishSnapshot } from '../../plans/index.ts';
import { canPublishRound, type Actor } from '../rules.ts';
import { findRound, listEntries, markRoundPublished } from '../repository.ts';

export async function publishRound(db: Db, actor: Actor, roundId: number) {
  const round = await findRound(db, roundId);
  if (!round || !canPublishRound(actor)) throw notFound('報告ラウンド');
  if (round.status !== 'open') throw conflict('round_closed', 'この報告ラウンドは公表済みです。');
  const entries = await listEntries(db, roundId);
  const pending = entries.filter((e) => e.status !== 'approved');
  if (pending.length)
    throw conflict('entries_pending', `承認されていない入力が${pending.length}件あります。すべて承認してから公表してください。`);
  if (!entries.length) throw conflict('no_entries', '承認された入力がありません。');
  return db.transaction(async (tx) => {
    await insertObservations(
      tx,
      entries.map((e) => {
        const p = parsePeriod(e.periodLabel)!;
        return {
          indicatorId: e.indicatorId,
          value: e.value,
          periodLabel: e.periodLabel,
          periodEnd: p.end,
          asOf: p.asOf,
          note: e.note,
          provenance: e.source,
        };
      }),
    );
    const publicationId = await publishSnapshot(tx, {
      planId: round.planId,
      asOf: round.asOf,
      label: round.label,
      provenance: `報告ラウンド「${round.label}」で承認された値（${entries.length}件）と、それ以外の指標の前回までの値`,
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
