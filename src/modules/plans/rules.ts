// Who may change a plan from the staff screens. Pure functions, checked in the plans commands;
// table-tested in rules.test.ts.
import type { Actor, Role } from '../identity/index.ts';

const has = (a: Actor, ...r: Role[]) => r.some((x) => a.roles.includes(x));
const isAdmin = (a: Actor) => has(a, 'prefecture_admin', 'plan_admin');

/** Which department enters an indicator is an administrator's decision. */
export const canAssignOwner = (a: Actor) => isAdmin(a);

/** A municipality's project figures are that municipality's editors' (or an administrator's). */
export const canEditProjectOf = (a: Actor, municipalityCode: string) =>
  isAdmin(a) || (has(a, 'municipality_editor') && a.municipalityCode === municipalityCode);

/** Fields, KPIs, indicators, projects and revisions: administrators only. */
export const canEditStructure = (a: Actor) => isAdmin(a);
