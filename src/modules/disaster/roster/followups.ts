// 「取り残された住民の有無」: who on the roster is neither checked in at a shelter nor confirmed safe, and
// the follow-ups staff record for each (contacted, visited, safe, moved; each audited). Confirmation
// comes through a port (ConfirmationSource) so check-in and 安否確認, built elsewhere, plug in at
// app.ts; the roster's own source is its follow-ups: a "safe" or "moved" one confirms the person.
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import type { Channel } from '../../residents/index.ts';
import { canUseRoster } from '../rules.ts';
import {
  entriesOf,
  entryById,
  followupsOf,
  insertFollowup,
  insertRound,
  roundStart,
  type EntryRow,
  type FollowupRow,
} from './repository.ts';
import { openEntries, readerOf, rosterMunicipality, ROSTER_PURPOSE, type OpenedEntry, type RosterDeps } from './roster.ts';

export const followupKinds = { contacted: '連絡した', visited: '訪問した', safe: '無事を確認', moved: '避難・移動を確認' } as const;
export type FollowupKind = keyof typeof followupKinds;
const isKind = (k: string): k is FollowupKind => Object.hasOwn(followupKinds, k);
/** The follow-ups that take a person off the not-yet-confirmed list. */
const confirming = new Set<string>(['safe', 'moved']);

export interface Confirmation {
  kind: 'checked-in' | 'safe';
  at: string;
  /** Where (a shelter's name), when the source knows it. */
  place?: string;
}
/**
 * The port: of these entries (with the resident account each is linked to, if any), those confirmed
 * at or after `since` (the current confirmation round's start; the epoch when none was started), by
 * entry id. Check-in (checked-in at a shelter) and 安否確認 (marked 無事) answer it for linked entries;
 * it runs in the page's transaction.
 */
export type ConfirmationSource = (
  tx: Db,
  entries: readonly Pick<EntryRow, 'id' | 'residentId'>[],
  since: string,
) => Promise<Map<string, Confirmation>>;

const EPOCH = new Date(0).toISOString();

/** The in-module source: the latest follow-up of each entry, when it is "safe" or "moved". */
export const followupConfirmations =
  (municipality: string): ConfirmationSource =>
  async (tx, entries, since) => {
    const out = new Map<string, Confirmation>();
    if (!entries.length) return out;
    const latest = new Map<string, FollowupRow>();
    for (const f of await followupsOf(
      tx,
      municipality,
      entries.map((e) => e.id),
      since,
    ))
      if (!latest.has(f.entryId)) latest.set(f.entryId, f);
    for (const [id, f] of latest) if (confirming.has(f.kind)) out.set(id, { kind: 'safe', at: f.at });
    return out;
  };

/** C0 controls but tab and line breaks, and DEL: refused in anything staff type here. */
// eslint-disable-next-line no-control-regex
export const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const NOTE_MAX = 500;

/** "2026-12-01T10:20" typed in Japan, or now; refused when it is in the future or over 30 days back. */
function followupTime(v: string | undefined): string {
  if (!v) return new Date().toISOString();
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? new Date(`${v}:00+09:00`) : new Date(NaN);
  const now = Date.now();
  if (Number.isNaN(t.getTime()) || t.getTime() > now + 5 * 60_000 || t.getTime() < now - 30 * 86_400_000)
    throw badRequest('日時が正しくありません（過去30日以内）。', { field: 'at' });
  return t.toISOString();
}

/** Records a follow-up on an entry of the actor's municipality (else 404), audited; the note is sealed and kept out of the audit. */
export async function recordFollowup(deps: RosterDeps, actor: Actor, entryId: string, input: { kind: string; note: string; at?: string }) {
  const municipality = rosterMunicipality(actor);
  if (!/^re_[A-Za-z0-9_-]{16}$/.test(entryId)) throw notFound('名簿の人');
  if (!isKind(input.kind)) throw badRequest('記録の種類を選んでください。', { field: 'kind' });
  const note = input.note.trim();
  if (note.length > NOTE_MAX || controls.test(note))
    throw badRequest(`メモは${NOTE_MAX}文字以内で、制御文字を使わずに入力してください。`, { field: 'note' });
  const at = followupTime(input.at);
  const id = `rf_${randomBytes(12).toString('base64url')}`;
  await deps.db.transaction(async (tx) => {
    const entry = await entryById(tx, entryId, true);
    if (!entry || entry.municipality !== municipality) throw notFound('名簿の人');
    const row: FollowupRow = {
      id,
      entryId,
      municipality,
      kind: input.kind,
      note: deps.fields.seal(note, { table: 'disaster_roster_followups', column: 'note', rowId: id }),
      at,
      recordedBy: actor.id,
      recordedAt: new Date().toISOString(),
    };
    await insertFollowup(tx, row);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'record_roster_followup',
      entity: 'disaster_roster_entry',
      entityId: entryId,
      after: { kind: input.kind, at, municipality, followupId: id },
    });
  });
  return id;
}

/**
 * Starts a new confirmation round for the actor's municipality (a disaster begins): from now on only
 * follow-ups and confirmations from this moment count, so everyone is on the list again. Audited.
 */
export async function startRound(deps: RosterDeps, actor: Actor) {
  const municipality = rosterMunicipality(actor);
  const id = `rr_${randomBytes(12).toString('base64url')}`;
  const startedAt = new Date().toISOString();
  await deps.db.transaction(async (tx) => {
    await insertRound(tx, { id, municipality, startedAt, startedBy: actor.id });
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'start_roster_round',
      entity: 'disaster_roster',
      entityId: municipality,
      after: { startedAt },
    });
  });
  return startedAt;
}

export interface Unconfirmed extends OpenedEntry {
  last?: { kind: FollowupKind; at: string };
}
export interface RosterStatus {
  municipality: string;
  /** When the current confirmation round started; undefined: none yet, every follow-up counts. */
  round?: string;
  total: number;
  confirmed: number;
  /** The not-yet-confirmed shown: from `offset` (in file order), `shown` of them. */
  offset: number;
  shown: number;
  /** Not yet confirmed, by 町名・地区 (those without one last), each group in file order. */
  districts: { district: string; people: Unconfirmed[] }[];
}

/**
 * The roster's state for the actor's municipality: counts, and the not-yet-confirmed people opened
 * (one access-log row each; the confirmed are counted, not opened). `sources` are the other ports.
 */
export async function rosterStatus(
  deps: RosterDeps,
  actor: Actor,
  sources: readonly ConfirmationSource[] = [],
  opts: { channel?: Channel; offset?: number; limit?: number } = {},
): Promise<RosterStatus> {
  const { channel = 'page', offset = 0, limit = Infinity } = opts;
  const municipality = rosterMunicipality(actor);
  return deps.db.transaction(async (tx) => {
    const rows = await entriesOf(tx, municipality);
    const round = await roundStart(tx, municipality);
    const since = round ?? EPOCH;
    const confirmed = new Set<string>();
    for (const source of [followupConfirmations(municipality), ...sources])
      for (const id of (await source(tx, rows, since)).keys()) confirmed.add(id);
    const open = rows.filter((r) => !confirmed.has(r.id));
    const last = new Map<string, FollowupRow>();
    if (open.length)
      for (const f of await followupsOf(
        tx,
        municipality,
        open.map((r) => r.id),
        since,
      ))
        if (!last.has(f.entryId)) last.set(f.entryId, f);
    // Only the page shown is opened (and logged): in file order, so a file sorted by 地区 pages by 地区.
    const people = await openEntries(deps, tx, actor, open.slice(offset, offset + limit), channel);
    const groups = new Map<string, Unconfirmed[]>();
    for (const p of people) {
      const f = last.get(p.id);
      const u: Unconfirmed = { ...p, ...(f && { last: { kind: f.kind as FollowupKind, at: f.at } }) };
      groups.set(p.district, [...(groups.get(p.district) ?? []), u]);
    }
    const districts = [...groups].map(([district, list]) => ({ district, people: list }));
    districts.sort((a, b) => (!a.district ? 1 : !b.district ? -1 : a.district.localeCompare(b.district, 'ja')));
    return { municipality, round, total: rows.length, confirmed: rows.length - open.length, offset, shown: people.length, districts };
  });
}

/** The dashboard's counts (staff-home.tsx RosterSummary): nothing opened; undefined for staff who may not see the roster. */
export const rosterSummary = (deps: RosterDeps, sources: readonly ConfirmationSource[]) => async (actor: Actor) => {
  if (!actor.municipalityCode || !canUseRoster(actor, actor.municipalityCode)) return undefined;
  const s = await rosterStatus(deps, actor, sources, { limit: 0 });
  return { total: s.total, confirmed: s.confirmed };
};

/** One person's entry and follow-ups (notes opened with the entry: one access-log row); 404 outside the actor's municipality. */
export async function rosterEntry(deps: RosterDeps, actor: Actor, entryId: string) {
  const municipality = rosterMunicipality(actor);
  if (!/^re_[A-Za-z0-9_-]{16}$/.test(entryId)) throw notFound('名簿の人');
  return deps.db.transaction(async (tx) => {
    const row = await entryById(tx, entryId);
    if (!row || row.municipality !== municipality) throw notFound('名簿の人');
    const followups = await followupsOf(tx, municipality, [entryId]);
    const [person] = await openEntries(deps, tx, actor, [row]);
    const notes = followups.length
      ? await deps.fields.open(
          tx,
          readerOf(actor),
          entryId,
          ROSTER_PURPOSE,
          followups.map((f) => ({
            value: f.note,
            place: { table: 'disaster_roster_followups', column: 'note', rowId: f.id },
            category: 'mobility',
          })),
          'page',
        )
      : [];
    return {
      person: person!,
      followups: followups.map((f, i) => ({ kind: f.kind as FollowupKind, at: f.at, note: notes[i]!, by: f.recordedBy })),
    };
  });
}
