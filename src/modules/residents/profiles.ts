// Profiles sealed on write and opened on read: the one place a profile's plaintext passes.
import type { Db } from '../../platform/db.ts';
import { parse } from '../../platform/http.ts';
import { open, seal, type KeyRing } from './crypto.ts';
import { findProfileRow, upsertProfileRow, type SealedProfile } from './repository.ts';
import { profileInput, type Profile, type ProfileInput } from './schema.ts';

const table = 'resident_profiles';
// The SQL column names: the additional authenticated data names the column as stored.
const columns = { name: 'name', address: 'address', birthDate: 'birth_date', phone: 'phone' } as const;
type Field = keyof typeof columns;

const place = (residentId: string, field: Field) => ({ table, column: columns[field], rowId: residentId });

export function sealProfile(ring: KeyRing, p: Profile): SealedProfile {
  const sealed = (field: Field, v: string | null) => (v === null ? null : seal(ring, v, place(p.residentId, field)));
  return {
    residentId: p.residentId,
    municipalityCode: p.municipalityCode,
    name: seal(ring, p.name, place(p.residentId, 'name')),
    address: sealed('address', p.address),
    birthDate: sealed('birthDate', p.birthDate),
    phone: sealed('phone', p.phone),
  };
}

export function openProfile(ring: KeyRing, row: SealedProfile): Profile {
  const opened = (field: Field, v: string | null) => (v === null ? null : open(ring, v, place(row.residentId, field)));
  return {
    residentId: row.residentId,
    municipalityCode: row.municipalityCode,
    name: open(ring, row.name, place(row.residentId, 'name')),
    address: opened('address', row.address),
    birthDate: opened('birthDate', row.birthDate),
    phone: opened('phone', row.phone),
  };
}

export async function saveProfile(db: Db, ring: KeyRing, input: ProfileInput) {
  await upsertProfileRow(db, sealProfile(ring, parse(profileInput, input, '住民プロフィール')));
}

/**
 * The module's internal read, without any check of who asks or why. The consent gate (issue 12,
 * point 5: read(actor, subject, purpose, categories)) wraps this, and nothing else may call it.
 */
export async function readProfileUngated(db: Db, ring: KeyRing, residentId: string): Promise<Profile | undefined> {
  const row = await findProfileRow(db, residentId);
  return row && openProfile(ring, row);
}
