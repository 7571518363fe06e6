/**
 * organisations — the registry of who does the work: the prefecture's departments and sections
 * and the 40 municipalities, as data administrators edit. Accounts (identity), indicators' owners
 * (plans) and the staff screens' filters choose from it and keep a unit's id.
 *
 * Owns: organisation_units. Needs: the database; the Aomori data in data/aomori.
 */
import type { Db } from '../../platform/db.ts';
import type { Module } from '../../platform/module.ts';
import { loadOrganisations } from './default-data.ts';
import { findUnitRow, hasUnits, listUnitRows } from './repository.ts';
import { presentUnits, type OrgUnit, type UnitKind } from './units.ts';

export type { OrgUnit, UnitKind };

export interface OrganisationsDeps {
  db: Db;
}

export interface OrganisationsQueries {
  /** In registry order; retired units included (flagged), since history still names them. */
  units(kind?: UnitKind): Promise<OrgUnit[]>;
  unit(id: string): Promise<OrgUnit | undefined>;
}

export type OrganisationsModule = Module<object, OrganisationsQueries>;

export function createOrganisationsModule({ db }: OrganisationsDeps): OrganisationsModule {
  const units = async (kind?: UnitKind) => {
    const all = presentUnits(await listUnitRows(db));
    return kind ? all.filter((u) => u.kind === kind) : all;
  };
  return {
    routes: {},
    commands: {},
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
      return true;
    },
  };
}
