// 避難行動要支援者名簿 (issue 14 point 7): import (the whole roster replaced in one audited transaction),
// the people on it opened for the municipality's staff (each person's opening one access-log row,
// held.ts), and who is not yet confirmed. Personal values are sealed before they reach the table and
// never go into the audit trail or a log line; the audit says how many, not who.
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import type { Channel, GateActor, HeldFields, HeldValue } from '../../residents/index.ts';
import { canUseRoster } from '../rules.ts';
import { parseRoster, type ParsedRoster, type RosterPerson, type Supporter } from './parse.ts';
import { deleteEntries, entriesOf, insertEntries, lockRoster, updateEntry, type EntryRow } from './repository.ts';

/** The purpose every opening names in the access log (災害対策基本法 第49条の10〜11: the roster's own use). */
export const ROSTER_PURPOSE = 'evacuation-support-roster';
const TABLE = 'disaster_roster_entries';

/** Each sealed column, and the data category (residents/categories.ts) the access log names it by. */
const sealedColumns = {
  name: 'name',
  kana: 'name',
  birthDate: 'birthDate',
  // 性別 has no category of its own: it is logged with the name, as part of who the person is.
  sex: 'name',
  address: 'address',
  district: 'address',
  phone: 'phone',
  // 要介護・障害…: 要配慮個人情報, logged as the mobility (避難の支援) category.
  reason: 'mobility',
  // The supporters' own names and phones.
  supporters: 'phone',
  plan: 'mobility',
} as const;
type Sealed = keyof typeof sealedColumns;
const columns = Object.keys(sealedColumns) as Sealed[];
/** The table's column name of a sealed field (the seal binds it). */
const columnName = (c: Sealed) => (c === 'birthDate' ? 'birth_date' : c);

export interface RosterDeps {
  db: Db;
  fields: HeldFields;
}

export interface OpenedEntry extends Omit<RosterPerson, 'supporters'> {
  id: string;
  supporters: Supporter[];
  residentId: string | null;
}

/** Who reads: the staff member acting for their municipality (the registry's unit id is its code). */
export const readerOf = (actor: Actor): GateActor => ({ kind: 'staff', id: actor.id, organisationId: actor.municipalityCode });

/** The actor's municipality if they may keep its roster, else 404 (the roster's existence included). */
export function rosterMunicipality(actor: Actor): string {
  const m = actor.municipalityCode;
  if (!m || !canUseRoster(actor, m)) throw notFound('ページ');
  return m;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;
/** The key an entry keeps across imports: its name without spaces and its birth date. */
const personKey = (name: string, birthDate: string) => `${name.normalize('NFKC').replace(/\s/g, '')}|${birthDate}`;

function sealPerson(fields: HeldFields, id: string, p: RosterPerson): Record<Sealed, string> {
  const plain: Record<Sealed, string> = { ...p, supporters: JSON.stringify(p.supporters) };
  return Object.fromEntries(columns.map((c) => [c, fields.seal(plain[c], { table: TABLE, column: columnName(c), rowId: id })])) as Record<
    Sealed,
    string
  >;
}

const heldValues = (row: EntryRow, only: readonly Sealed[] = columns): HeldValue[] =>
  only.map((c) => ({ value: row[c], place: { table: TABLE, column: columnName(c), rowId: row.id }, category: sealedColumns[c] }));

/** Opens entries for the actor: one access-log row per person, in `db`'s transaction. */
export async function openEntries(
  deps: RosterDeps,
  db: Db,
  actor: Actor,
  rows: EntryRow[],
  channel: Channel = 'page',
): Promise<OpenedEntry[]> {
  const out: OpenedEntry[] = [];
  for (const row of rows) {
    const v = await deps.fields.open(db, readerOf(actor), row.id, ROSTER_PURPOSE, heldValues(row), channel);
    const p = Object.fromEntries(columns.map((c, i) => [c, v[i]!])) as Record<Sealed, string>;
    out.push({ ...p, id: row.id, row: row.row, supporters: JSON.parse(p.supporters) as Supporter[], residentId: row.residentId });
  }
  return out;
}

/** The file read as the preview shows it; 404 for an actor who may not keep a roster. */
export function previewRoster(actor: Actor, bytes: Uint8Array): ParsedRoster & { municipality: string } {
  return { municipality: rosterMunicipality(actor), ...parseRoster(bytes) };
}

/**
 * Replaces the actor's municipality's roster with the file, in one transaction with its audit row. A
 * person already on it (same name and birth date) keeps their entry, its follow-ups and its account
 * link; matching opens the old entries' names and birth dates, each opening logged.
 */
export async function importRoster(deps: RosterDeps, actor: Actor, file: { name: string; bytes: Uint8Array }) {
  const { municipality, people, errors } = previewRoster(actor, file.bytes);
  if (errors.length) throw badRequest(`ファイルに誤りが${errors.length}件あります。取り込みませんでした。`);
  const importId = newId('ri');
  const importedAt = new Date().toISOString();
  return deps.db.transaction(async (tx) => {
    await lockRoster(tx, municipality);
    const before = await entriesOf(tx, municipality, true);
    const byKey = new Map<string, string[]>();
    for (const row of before) {
      const [name, birthDate] = await deps.fields.open(
        tx,
        readerOf(actor),
        row.id,
        ROSTER_PURPOSE,
        heldValues(row, ['name', 'birthDate']),
        'page',
      );
      const k = personKey(name!, birthDate!);
      byKey.set(k, [...(byKey.get(k) ?? []), row.id]);
    }
    const added: EntryRow[] = [];
    let kept = 0;
    for (const p of people) {
      const id = byKey.get(personKey(p.name, p.birthDate))?.shift();
      if (id) {
        kept++;
        await updateEntry(tx, id, { importId, row: p.row, importedAt, ...sealPerson(deps.fields, id, p) });
      } else {
        const fresh = newId('re');
        added.push({ id: fresh, municipality, importId, row: p.row, importedAt, residentId: null, ...sealPerson(deps.fields, fresh, p) });
      }
    }
    const removed = [...byKey.values()].flat();
    await deleteEntries(tx, removed);
    await insertEntries(tx, added);
    const summary = { people: people.length, kept, added: added.length, removed: removed.length };
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'import_disaster_roster',
      entity: 'disaster_roster',
      entityId: municipality,
      before: { people: before.length },
      after: { ...summary, importId, source: file.name.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 100) },
    });
    return summary;
  });
}
