// Units as the other modules see them: a section's full name carries its department's
// (「総合政策部DX推進課」), which is how documents and staff name an owner.
import type { UnitRow } from './repository.ts';

export type UnitKind = 'department' | 'section' | 'municipality';

export interface OrgUnit {
  id: string;
  kind: UnitKind;
  name: string;
  /** A section with its department's name before it; otherwise the name. */
  fullName: string;
  nameEn: string | null;
  parentId: string | null;
  retired: boolean;
}

export function presentUnits(rows: UnitRow[]): OrgUnit[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as UnitKind,
    name: r.name,
    fullName: r.parentId ? `${byId.get(r.parentId)?.name ?? ''}${r.name}` : r.name,
    nameEn: r.nameEn,
    parentId: r.parentId,
    retired: r.retiredAt !== null,
  }));
}

/**
 * A name as compared, not as shown: NFKC (full-width ＤＸ and half-width ｶﾅ as typed with an IME
 * become DX and カナ) without white space, since people and PDFs break names anywhere.
 */
export const comparable = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');

/** The unit a person means by an id or a full name as typed (「総合政策部ＤＸ推進課」); retired ones too. */
export function matchUnit(units: OrgUnit[], text: string): OrgUnit | undefined {
  const typed = comparable(text);
  return units.find((u) => u.id === text.trim()) ?? units.find((u) => comparable(u.fullName) === typed);
}

/**
 * Whether a unit's people cover an owner: their own unit, and a department its sections (ids of a
 * section start with its department's id and a dot).
 */
export const covers = (unitId: string | null, ownerId: string | null) =>
  unitId !== null && ownerId !== null && (ownerId === unitId || ownerId.startsWith(`${unitId}.`));

/**
 * How pages name a stored owner or scope: the unit's full name; a text no unit has (a free-text owner
 * the migration could not match) as it is, so that it can be seen and fixed.
 */
export function unitNames(units: OrgUnit[]) {
  const byId = new Map(units.map((u) => [u.id, u.fullName]));
  return (id: string) => byId.get(id) ?? id;
}
