// Linking a roster entry to a resident account (the rule the ConfirmationSource port relies on): staff
// of the municipality enter the resident's 受付番号 (マイページ shows it), the resident's 氏名 and 生年月日
// are read through the consent gate for the purpose 'evacuation-support-roster' — allowed only under the
// resident's consent or a recorded legal basis (災害対策基本法 第49条の11第3項), every read logged — and the
// entry is linked only when both match what the roster says. Audited; the audit names no one.
import { appendAudit } from '../../../platform/audit.ts';
import { AppError, badRequest, conflict, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import type { ResidentsQueries } from '../../residents/index.ts';
import { controls } from './followups.ts';
import { entryById, linkEntry } from './repository.ts';
import { openEntries, readerOf, rosterMunicipality, ROSTER_PURPOSE, type RosterDeps } from './roster.ts';

const same = (a: string, b: string) => a.normalize('NFKC').replace(/\s/g, '') === b.normalize('NFKC').replace(/\s/g, '');

export async function linkRosterEntry(
  deps: RosterDeps & { read: ResidentsQueries['read'] },
  actor: Actor,
  entryId: string,
  residentId: string,
) {
  const municipality = rosterMunicipality(actor);
  if (!/^re_[A-Za-z0-9_-]{16}$/.test(entryId)) throw notFound('名簿の人');
  const id = residentId.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw badRequest('受付番号が正しくありません。', { field: 'residentId' });
  // 404 before anything is read; the gate's read then runs on its own (its log row kept whatever follows).
  const first = await entryById(deps.db, entryId);
  if (!first || first.municipality !== municipality) throw notFound('名簿の人');
  const data = await deps.read(readerOf(actor), id, ROSTER_PURPOSE, ['name', 'birthDate'], 'page').catch((e: unknown) => {
    if (e instanceof AppError && e.status === 404)
      throw badRequest(
        'この受付番号の住民の氏名・生年月日を読めません。本人の同意か、法令に基づく提供の記録（災害対策基本法 第49条の11第3項）が必要です。',
        { field: 'residentId' },
      );
    throw e;
  });
  await deps.db.transaction(async (tx) => {
    const row = await entryById(tx, entryId, true);
    if (!row || row.municipality !== municipality) throw notFound('名簿の人');
    const [person] = await openEntries(deps, tx, actor, [row]);
    if (
      typeof data.name !== 'string' ||
      typeof data.birthDate !== 'string' ||
      !same(data.name, person!.name) ||
      data.birthDate !== person!.birthDate
    )
      throw badRequest('氏名と生年月日が名簿と一致しません。受付番号を確かめてください。', { field: 'residentId' });
    await linkEntry(tx, entryId, id);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'link_roster_entry',
      entity: 'disaster_roster_entry',
      entityId: entryId,
      before: { linked: row.residentId !== null },
      after: { linked: true, municipality },
    });
  });
}

export const UNLINK_REASON_MAX = 500;

/**
 * Removes a wrong link between an entry of the actor's municipality (else 404) and a resident account:
 * the entry stays, only the link goes (as at the account's deletion). Audited with the staff member's
 * reason; the audit names no one. Nothing is opened.
 */
export async function unlinkRosterEntry(deps: RosterDeps, actor: Actor, entryId: string, typed: string) {
  const municipality = rosterMunicipality(actor);
  if (!/^re_[A-Za-z0-9_-]{16}$/.test(entryId)) throw notFound('名簿の人');
  const reason = typed.trim();
  if (!reason) throw badRequest('結びつきを外す理由を入力してください。', { field: 'reason' });
  if (reason.length > UNLINK_REASON_MAX || controls.test(reason))
    throw badRequest(`理由は${UNLINK_REASON_MAX}文字以内で、制御文字を使わずに入力してください。`, { field: 'reason' });
  await deps.db.transaction(async (tx) => {
    const row = await entryById(tx, entryId, true);
    if (!row || row.municipality !== municipality) throw notFound('名簿の人');
    if (row.residentId === null) throw conflict('roster_not_linked', 'この人は住民アカウントと結びついていません。');
    await linkEntry(tx, entryId, null);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'unlink_roster_entry',
      entity: 'disaster_roster_entry',
      entityId: entryId,
      before: { linked: true },
      after: { linked: false, municipality },
      reason,
    });
  });
}
