// Personal data other modules hold about people with no resident account — a walk-in registered by
// hand at a shelter's reception, a person in an imported PFIF record. It is sealed under the
// residents' key ring like everything here, and opened only through `open`, which writes one
// access-log row per call in the read's transaction (basis 'held': used within the purpose it was
// given for, 個人情報保護法 第69条第1項). The holder keeps the rows; this module keeps the keys and the log.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db.ts';
import { open as openField, seal, type FieldPlace, type KeyRing } from './crypto.ts';
import type { Channel, GateActor } from './gate.ts';
import { insertAccessLog, insertAccessLogRows } from './repository-gate.ts';

/** One holder's table of sealed values, and how its values were bound (crypto.ts's place) when sealed. */
export interface HeldTable {
  table: string;
  /** The column whose value is each row's place row id (the primary key, or safety's resident_id). */
  rowId: string;
  columns: readonly string[];
  /** A stored column whose values the holder sealed under another column name in the place. */
  placeColumns?: Readonly<Record<string, string>>;
}

/**
 * Where held values are stored: each holder lists its sealed columns here, the one list the key
 * checks (which keys stored values name: rotate-key's "unused", remove-retired-keys, the start-up
 * check) and rotate-key's resealing (rotate-keys.ts) read, so no held value is left under an old key.
 */
export const heldSealedColumns: readonly HeldTable[] = [
  { table: 'disaster_safety_statuses', rowId: 'resident_id', columns: ['display_name', 'place', 'note'] },
  { table: 'disaster_safety_imports', rowId: 'id', columns: ['full_name', 'place', 'note'] },
  { table: 'disaster_checkins', rowId: 'id', columns: ['name_sealed'], placeColumns: { name_sealed: 'name' } },
  { table: 'disaster_certificates', rowId: 'id', columns: ['name', 'address', 'description'] },
  {
    table: 'disaster_roster_entries',
    rowId: 'id',
    columns: ['name', 'kana', 'birth_date', 'sex', 'address', 'district', 'phone', 'reason', 'supporters', 'plan'],
  },
  { table: 'disaster_roster_followups', rowId: 'id', columns: ['note'] },
  { table: 'disaster_my_areas', rowId: 'point_id', columns: ['point'] },
];

/** The place a held value of `table.column` in row `rowId` is sealed with. */
export const heldPlace = (t: HeldTable, column: string, rowId: string): FieldPlace => ({
  table: t.table,
  column: t.placeColumns?.[column] ?? column,
  rowId,
});

export interface HeldValue {
  value: string;
  place: FieldPlace;
  /** Its data category (categories.ts id), as the access log names it. */
  category: string;
}

export interface HeldFields {
  /** Seals a value for the holder's row: table, column and row id are bound into the tag. */
  seal(value: string, place: FieldPlace): string;
  /**
   * Opens sealed values about one person (`subject`: the holder's id for them, e.g. a walk-in's row id)
   * for an actor of an organisation, for a purpose; logged as one access-log row in `db`'s transaction.
   */
  open(db: Db, actor: GateActor, subject: string, purposeId: string, values: readonly HeldValue[], channel: Channel): Promise<string[]>;
  /**
   * `open` for many people at once (the push fan-out): one access-log row per person, written in one
   * statement. A person whose values do not open (a key gone) gets undefined and no row; the others open.
   */
  openEach(
    db: Db,
    actor: GateActor,
    purposeId: string,
    subjects: readonly { subject: string; values: readonly HeldValue[] }[],
    channel: Channel,
  ): Promise<(string[] | undefined)[]>;
}

const listed = new Set(heldSealedColumns.flatMap((t) => t.columns.map((c) => `${t.table}.${heldPlace(t, c, '').column}`)));

export function heldFields(ring: KeyRing): HeldFields {
  return {
    seal(value, place) {
      // A value in a place the list lacks would be missed by the key checks and by rotate-key.
      if (!listed.has(`${place.table}.${place.column}`)) throw new Error(`${place.table}.${place.column} is not in heldSealedColumns`);
      return seal(ring, value, place);
    },
    async open(db, actor, subject, purposeId, values, channel) {
      const opened = values.map((v) => openField(ring, v.value, v.place));
      await insertAccessLog(db, logRow(actor, subject, purposeId, values, channel));
      return opened;
    },
    async openEach(db, actor, purposeId, subjects, channel) {
      const opened = subjects.map(({ values }) => {
        try {
          return values.map((v) => openField(ring, v.value, v.place));
        } catch {
          return undefined;
        }
      });
      const rows = subjects.filter((_, i) => opened[i]).map((s) => logRow(actor, s.subject, purposeId, s.values, channel));
      if (rows.length) await insertAccessLogRows(db, rows);
      return opened;
    },
  };
}

function logRow(actor: GateActor, subject: string, purposeId: string, values: readonly HeldValue[], channel: Channel) {
  return {
    id: `al_${randomBytes(12).toString('base64url')}`,
    residentId: subject,
    actorKind: actor.kind,
    actorId: actor.id,
    organisationId: actor.organisationId ?? null,
    purposeId,
    categories: [...new Set(values.map((v) => v.category))],
    basis: 'held' as const,
    allowed: true,
    channel,
  };
}
