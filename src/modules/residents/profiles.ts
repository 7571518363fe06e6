// Profiles sealed on write and opened on read: the one place a profile's plaintext passes.
import type { Db } from '../../platform/db.ts';
import { badRequest } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { categoryOf } from './categories.ts';
import { open, seal, type KeyRing } from './crypto.ts';
import { findItemRows, findProfileRow, upsertProfileRow, type SealedProfile } from './repository.ts';
import { deleteItemRow, upsertItemRow } from './repository-mydata.ts';
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
 * The module's internal read, without any check of who asks or why: only readCategoriesUngated,
 * and through it only the consent gate (gate.ts), calls it.
 */
export async function readProfileUngated(db: Db, ring: KeyRing, residentId: string): Promise<Profile | undefined> {
  const row = await findProfileRow(db, residentId);
  return row && openProfile(ring, row);
}

const profileCategories: Record<string, Field> = { name: 'name', address: 'address', birthDate: 'birthDate', phone: 'phone' };

/** Where a data item's sealed value belongs: the category stands for the column. */
export const itemPlace = (residentId: string, category: string) => ({ table: 'resident_data_items', column: category, rowId: residentId });

/**
 * The given data categories of one resident, opened: the profile's fields and the data items (a
 * JSON value each). A category with nothing registered is absent. Ungated, like readProfileUngated.
 */
export async function readCategoriesUngated(
  db: Db,
  ring: KeyRing,
  residentId: string,
  categories: readonly string[],
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const fromProfile = categories.filter((c) => c in profileCategories);
  if (fromProfile.length > 0) {
    const profile = await readProfileUngated(db, ring, residentId);
    for (const c of fromProfile) if (profile && profile[profileCategories[c]!] !== null) out[c] = profile[profileCategories[c]!];
  }
  const rest = categories.filter((c) => !(c in profileCategories));
  for (const row of await findItemRows(db, residentId, rest))
    out[row.category] = JSON.parse(open(ring, row.value, itemPlace(residentId, row.category)));
  return out;
}

/**
 * Writes a resident's data items (categories beyond the profile's), each sealed as JSON; a null
 * value removes the item. All or nothing.
 */
export async function saveItems(db: Db, ring: KeyRing, residentId: string, items: Readonly<Record<string, unknown>>) {
  for (const c of Object.keys(items))
    if (!categoryOf(c) || c in profileCategories) throw badRequest(`データ項目 ${c} はありません。`, { field: c });
  await db.transaction(async (tx) => {
    for (const [c, v] of Object.entries(items))
      if (v === null || v === undefined) await deleteItemRow(tx, residentId, c);
      else await upsertItemRow(tx, residentId, c, seal(ring, JSON.stringify(v), itemPlace(residentId, c)));
  });
}
