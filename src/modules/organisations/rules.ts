// Who may change the registry. Pure; table-tested in rules.test.ts.
import type { Actor } from '../identity/index.ts';

/** Departments, sections and municipalities are the prefecture's organisation: its administrators keep it. */
export const canManageUnits = (a: Actor) => a.roles.includes('prefecture_admin');
