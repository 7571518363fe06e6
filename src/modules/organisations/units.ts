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
