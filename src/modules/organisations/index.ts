/**
 * organisations — the registry of who does the work: the prefecture's departments and sections
 * and the 40 municipalities, as data administrators edit (/staff/organisations, in workspace).
 * Accounts (identity), indicators' owners (plans) and the staff screens' filters choose from it and
 * keep a unit's id; pages show its full name.
 *
 * Owns: organisation_units. Needs: the database; the Aomori data in data/aomori.
 */
import type { Db } from '../../platform/db.ts';
import type { Module } from '../../platform/module.ts';
import type { Actor } from '../identity/index.ts';
import { addUnit, addUnitInput } from './commands/add-unit.ts';
import { renameUnit, renameUnitInput } from './commands/rename-unit.ts';
import { restoreUnit, retireUnit } from './commands/retire-unit.ts';
import { loadOrganisations } from './default-data.ts';
import { findUnitRow, hasUnits, listUnitRows, mapFreeTextToUnits } from './repository.ts';
import { presentUnits, type OrgUnit, type UnitKind } from './units.ts';

export type { OrgUnit, UnitKind };
export { comparable, covers, matchUnit, unitNames } from './units.ts';
export { canManageUnits } from './rules.ts';
export { addUnitInput, renameUnitInput };

export interface OrganisationsDeps {
  db: Db;
}

export interface OrganisationsQueries {
  /** In registry order; retired units included (flagged), since history still names them. */
  units(kind?: UnitKind): Promise<OrgUnit[]>;
  unit(id: string): Promise<OrgUnit | undefined>;
}

export interface OrganisationsCommands {
  /** A department (no parentId) or a section under one; answers the new unit's id. */
  addUnit(actor: Actor, input: Parameters<typeof addUnit>[2]): Promise<string>;
  renameUnit(actor: Actor, input: Parameters<typeof renameUnit>[2]): Promise<void>;
  retireUnit(actor: Actor, input: { id: string }): Promise<void>;
  restoreUnit(actor: Actor, input: { id: string }): Promise<void>;
}

export type OrganisationsModule = Module<OrganisationsCommands, OrganisationsQueries>;

export function createOrganisationsModule({ db }: OrganisationsDeps): OrganisationsModule {
  const units = async (kind?: UnitKind) => {
    const all = presentUnits(await listUnitRows(db));
    return kind ? all.filter((u) => u.kind === kind) : all;
  };
  return {
    routes: {},
    commands: {
      addUnit: (actor, input) => addUnit(db, actor, input),
      renameUnit: (actor, input) => renameUnit(db, actor, input),
      retireUnit: (actor, input) => retireUnit(db, actor, input),
      restoreUnit: (actor, input) => restoreUnit(db, actor, input),
    },
    queries: {
      units,
      async unit(id) {
        const row = await findUnitRow(db, id);
        if (!row) return undefined;
        const parent = row.parentId ? await findUnitRow(db, row.parentId) : undefined;
        return presentUnits(parent ? [parent, row] : [row]).at(-1);
      },
    },
    async loadDefaultData() {
      if (await hasUnits(db)) return false;
      await loadOrganisations(db);
      await mapFreeTextToUnits(db);
      return true;
    },
  };
}
