// 安否 records in and out as PFIF 1.4 (pfif.ts). Out: a resident's own record, or a municipality's
// (its residents who told it their status, and the persons it imported) for staff. In: a staff member's
// file, previewed with row errors, then written all or nothing for their municipality; imported people
// have no account, so their name, place and note are sealed through residents.fields (held.ts).
//
// Mapping (PFIF 1.4 §4): person_record_id = "<our host>/safety.<random record id>" (never the resident
// id), full_name = 表示名, source_name = Renkei. One note per status: status is_note_author when the
// person marked it themselves, believed_alive when a shelter's reception checked them in (§4.2);
// last_known_location = the place; text = 「【避難中】」 and the note, so 無事/負傷/避難中 survive the trip.
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { AppError } from '../../../platform/errors.ts';
import type { GateActor, HeldFields } from '../../residents/index.ts';
import { buildPfif, latestNote, parsePfif, pfifDate, type NoteStatus, type PfifPerson, type RowError } from './pfif.ts';
import * as repo from './repository-safety.ts';
import { SAFETY_PURPOSE, safetySources, safetyStatuses, type Safety, type SafetySource, type SafetyStatus } from './safety.ts';
import { XmlRefused } from '../jma/xml.ts';

/** The largest file staff may import, and the most persons in it. */
export const IMPORT_LIMITS = { bytes: 2 * 1024 * 1024, persons: 5000 } as const;
const TABLE = 'disaster_safety_imports';

const pfifStatusOf: Record<SafetySource, NoteStatus> = { self: 'is_note_author', 'check-in': 'believed_alive', import: 'believed_alive' };
const marker = (s: SafetyStatus) => `【${safetyStatuses[s]}】`;

/** Our status from a note: its 【…】 marker when it has one, else believed_alive / is_note_author mean 無事. */
export function statusFromNote(text: string | undefined, status: string | undefined): SafetyStatus | null {
  for (const s of Object.keys(safetyStatuses) as SafetyStatus[]) if (text?.startsWith(marker(s))) return s;
  return status === 'believed_alive' || status === 'is_note_author' ? 'safe' : null;
}
const withoutMarker = (text: string | undefined) => (text ?? '').replace(/^【(無事|負傷|避難中)】\s?/, '');

export interface Opened {
  recordId: string;
  displayName: string;
  status: SafetyStatus;
  place: string | null;
  note: string | null;
  source: SafetySource;
  markedAt: string;
  updatedAt: string;
}

export function residentPerson(domain: string, baseUrl: string, r: Opened): PfifPerson {
  const id = `${domain}/safety.${r.recordId}`;
  const markedAt = pfifDate(r.markedAt);
  return {
    person_record_id: id,
    entry_date: pfifDate(r.updatedAt),
    author_name: r.source === 'self' ? r.displayName : safetySources[r.source],
    source_name: 'Renkei',
    source_date: markedAt,
    source_url: `${baseUrl}/my/disaster/safety`,
    full_name: r.displayName,
    notes: [
      {
        note_record_id: `${id}.${Date.parse(r.markedAt) / 1000}`,
        entry_date: pfifDate(r.updatedAt),
        author_name: r.source === 'self' ? r.displayName : safetySources[r.source],
        source_date: markedAt,
        status: pfifStatusOf[r.source],
        last_known_location: r.place ?? undefined,
        text: `${marker(r.status)}${r.note ? ` ${r.note}` : ''}`,
      },
    ],
  };
}

export function exchange(deps: { fields: HeldFields; safety: Safety; baseUrl: string }) {
  const { fields, safety, baseUrl } = deps;
  const domain = new URL(baseUrl).hostname;
  const place = (rowId: string, column: string) => ({ table: TABLE, column, rowId });

  async function openResident(db: Db, actor: GateActor, row: repo.StatusRow): Promise<Opened | undefined> {
    if (!row.status || !row.markedAt) return undefined;
    const v = await safety.open(db, actor, row, ['displayName', 'place', 'note']);
    if (!v.displayName) return undefined;
    return {
      recordId: row.recordId,
      displayName: v.displayName,
      status: row.status as SafetyStatus,
      place: v.place ?? null,
      note: v.note ?? null,
      source: (row.source ?? 'self') as SafetySource,
      markedAt: row.markedAt,
      updatedAt: row.updatedAt,
    };
  }

  async function importedPerson(db: Db, actor: GateActor, row: repo.ImportRow): Promise<PfifPerson> {
    const sealed = [
      { value: row.fullName, place: place(row.id, 'full_name'), category: 'name' },
      ...(row.place ? [{ value: row.place, place: place(row.id, 'place'), category: 'safetyNote' }] : []),
      ...(row.note ? [{ value: row.note, place: place(row.id, 'note'), category: 'safetyNote' }] : []),
    ];
    const opened = await fields.open(db, actor, row.id, SAFETY_PURPOSE, sealed, 'export');
    const [fullName, ...rest] = opened;
    const p = row.place ? rest.shift() : undefined;
    const n = row.note ? rest.shift() : undefined;
    // A clone record (§3): its original person_record_id and source_date kept; entry_date is when we stored it.
    return {
      person_record_id: row.personRecordId,
      entry_date: pfifDate(row.importedAt),
      source_date: pfifDate(row.sourceDate),
      expiry_date: row.expiresAt ? pfifDate(row.expiresAt) : undefined,
      full_name: fullName,
      notes: row.noteRecordId
        ? [
            {
              note_record_id: row.noteRecordId,
              entry_date: pfifDate(row.importedAt),
              author_name: 'Renkei',
              source_date: pfifDate(row.noteDate ?? row.sourceDate),
              status: row.pfifStatus ?? undefined,
              last_known_location: p,
              text: row.status ? `${marker(row.status as SafetyStatus)}${n ? ` ${n}` : ''}` : n,
            },
          ]
        : [],
    };
  }

  return {
    /** The resident's own record as PFIF 1.4, or undefined before they have a display name and a status. */
    async own(db: Db, residentId: string): Promise<string | undefined> {
      const row = await repo.findStatus(db, residentId);
      const opened = row && (await openResident(db, { kind: 'resident', id: residentId }, row));
      return opened && buildPfif([residentPerson(domain, baseUrl, opened)]);
    },

    /** A municipality's records (all: undefined) for staff; each opening logged, the export audited. */
    async municipality(db: Db, actor: GateActor & { id: string }, municipalities: string[] | undefined) {
      const persons: PfifPerson[] = [];
      for (const row of await repo.municipalityStatuses(db, municipalities)) {
        const o = await openResident(db, actor, row);
        if (o) persons.push(residentPerson(domain, baseUrl, o));
      }
      await repo.deleteExpiredImports(db);
      for (const row of await repo.municipalityImports(db, municipalities)) persons.push(await importedPerson(db, actor, row));
      await appendAudit(db, {
        actorId: actor.id,
        action: 'export_safety_pfif',
        entity: 'disaster_safety',
        entityId: municipalities?.join(',') ?? 'all',
        after: { persons: persons.length },
      });
      return buildPfif(persons);
    },

    /** The counts the staff page shows, by status, for residents and imported persons. */
    counts: (db: Db, municipalities: string[] | undefined) => repo.countByStatus(db, municipalities),

    /**
     * Reads a file for preview: the persons it would write, the row errors, and the record ids past their
     * expiry_date (§3.3: not taken, and an earlier copy of theirs is removed on import). Nothing is written.
     */
    preview(text: string): { persons: PfifPerson[]; errors: RowError[]; expired: string[] } {
      let parsed;
      try {
        parsed = parsePfif(text);
      } catch (err) {
        if (err instanceof XmlRefused)
          throw new AppError(
            400,
            'bad_pfif',
            'PFIF 1.4 のXMLとして読めません（DOCTYPE・実体宣言のあるファイルや、名前空間 http://zesty.ca/pfif/1.4 でないファイルは取り込めません）。',
            {
              field: 'file',
            },
          );
        throw err;
      }
      if (parsed.persons.length + parsed.errors.length > IMPORT_LIMITS.persons)
        throw new AppError(400, 'too_many', `一度に取り込めるのは${IMPORT_LIMITS.persons}人までです。`, { field: 'file' });
      if (parsed.persons.length + parsed.errors.length === 0)
        throw new AppError(400, 'empty', 'ファイルに person の記録がありません。', { field: 'file' });
      const now = Date.now();
      const past = (p: PfifPerson) => p.expiry_date !== undefined && Date.parse(p.expiry_date) <= now;
      return {
        persons: parsed.persons.filter((p) => !past(p)),
        errors: parsed.errors,
        expired: parsed.persons.filter(past).map((p) => p.person_record_id!),
      };
    },

    /** Writes a previewed file for the municipality, all or nothing (any row error: nothing); audited. */
    async importFile(db: Db, actor: { id: string }, municipality: string, text: string): Promise<number> {
      const { persons, errors, expired } = this.preview(text);
      if (errors.length)
        throw new AppError(422, 'row_errors', `誤りのある記録が${errors.length}件あります。直してから取り込んでください。`, {
          field: 'file',
        });
      const now = new Date().toISOString();
      await db.transaction(async (tx) => {
        await repo.deleteExpiredImports(tx);
        for (const recordId of expired) await repo.deleteImport(tx, municipality, recordId);
        for (const p of persons) {
          const id = (await repo.findImportId(tx, municipality, p.person_record_id!)) ?? `sp_${randomBytes(12).toString('base64url')}`;
          const n = latestNote(p);
          const seal = (column: string, v: string | undefined) => (v ? fields.seal(v, place(id, column)) : null);
          const status = statusFromNote(n?.text, n?.status);
          await repo.upsertImport(tx, {
            id,
            municipality,
            personRecordId: p.person_record_id!,
            fullName: seal('full_name', p.full_name)!,
            status,
            pfifStatus: n?.status ?? null,
            noteRecordId: n?.note_record_id ?? null,
            place: seal('place', n?.last_known_location),
            note: seal('note', status && n?.text?.startsWith('【') ? withoutMarker(n.text) || undefined : n?.text),
            sourceDate: p.source_date!,
            noteDate: n?.source_date ?? null,
            importedBy: actor.id,
            importedAt: now,
            expiresAt: p.expiry_date ?? null,
          });
        }
        await appendAudit(tx, {
          actorId: actor.id,
          action: 'import_safety_pfif',
          entity: 'disaster_safety',
          entityId: municipality,
          after: { persons: persons.length, expired: expired.length },
        });
      });
      return persons.length;
    },
  };
}

export type Exchange = ReturnType<typeof exchange>;
