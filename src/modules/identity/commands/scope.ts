// An account's scope: the department (or section) of a department editor, the municipality of a
// municipality editor, nothing for the other roles. Kept only for the role that needs it, and
// checked against the organisation registry when one is given.
import { badRequest } from '../../../platform/errors.ts';

/** The organisation registry's `unit(id)` (organisations.queries.unit), as far as identity needs it: identity does not import organisations. */
export type UnitLookup = (id: string) => Promise<{ kind: 'department' | 'section' | 'municipality'; retired: boolean } | undefined>;

export function scopeOf<T extends { roles: readonly string[]; department: string | null; municipalityCode: string | null }>(a: T): T {
  return {
    ...a,
    department: a.roles.includes('department_editor') ? a.department : null,
    municipalityCode: a.roles.includes('municipality_editor') ? a.municipalityCode : null,
  };
}

/** The scope's units exist in the registry and are active. */
export async function checkUnits(a: { department: string | null; municipalityCode: string | null }, units?: UnitLookup) {
  if (!units) return;
  if (a.department) {
    const u = await units(a.department);
    if (!u || u.retired || u.kind === 'municipality')
      throw badRequest('担当部局: 組織の一覧にある有効な部局または課を選んでください。', { field: 'department' });
  }
  if (a.municipalityCode) {
    const u = await units(a.municipalityCode);
    if (!u || u.retired || u.kind !== 'municipality')
      throw badRequest('市町村: 組織の一覧にある市町村を選んでください。', { field: 'municipalityCode' });
  }
}
