// Personal data other modules hold about people with no resident account — a walk-in registered by
// hand at a shelter's reception, a person in an imported PFIF record. It is sealed under the
// residents' key ring like everything here, and opened only through `open`, which writes one
// access-log row per call in the read's transaction (basis 'held': used within the purpose it was
// given for, 個人情報保護法 第69条第1項). The holder keeps the rows; this module keeps the keys and the log.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db.ts';
import { open as openField, seal, type FieldPlace, type KeyRing } from './crypto.ts';
import type { Channel, GateActor } from './gate.ts';
import { insertAccessLog } from './repository-gate.ts';

/**
 * Where held values are stored: each holder lists its sealed columns here, so the key checks (which
 * keys stored values name: rotate-key's "unused", remove-retired-keys, the start-up check) see them
 * and never drop a key they still need. rotate-key does not reseal them yet (docs/personal-data.md).
 */
export const heldSealedColumns: readonly { table: string; columns: readonly string[] }[] = [
  { table: 'disaster_safety_statuses', columns: ['display_name', 'place', 'note'] },
  { table: 'disaster_safety_imports', columns: ['full_name', 'place', 'note'] },
  { table: 'disaster_checkins', columns: ['name_sealed'] },
  { table: 'disaster_certificates', columns: ['name', 'address', 'description'] },
  {
    table: 'disaster_roster_entries',
    columns: ['name', 'kana', 'birth_date', 'sex', 'address', 'district', 'phone', 'reason', 'supporters', 'plan'],
  },
  { table: 'disaster_roster_followups', columns: ['note'] },
];

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
}

export function heldFields(ring: KeyRing): HeldFields {
  return {
    seal: (value, place) => seal(ring, value, place),
    async open(db, actor, subject, purposeId, values, channel) {
      const opened = values.map((v) => openField(ring, v.value, v.place));
      await insertAccessLog(db, {
        id: `al_${randomBytes(12).toString('base64url')}`,
        residentId: subject,
        actorKind: actor.kind,
        actorId: actor.id,
        organisationId: actor.organisationId ?? null,
        purposeId,
        categories: [...new Set(values.map((v) => v.category))],
        basis: 'held',
        allowed: true,
        channel,
      });
      return opened;
    },
  };
}
