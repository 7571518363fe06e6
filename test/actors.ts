// Members of staff for the rules' table tests (workspace/rules.test.ts, plans/rules.test.ts).
import type { Actor, Role } from '../src/modules/identity/index.ts';

export const actor = (roles: Role[], extra: Partial<Actor> = {}): Actor => ({
  id: roles.join('+') || 'none',
  name: 'x',
  roles,
  department: null,
  municipalityCode: null,
  ...extra,
});
export const dxEditor = actor(['department_editor'], { department: 'sogo-seisaku.dx-suishin' });
export const tourismEditor = actor(['department_editor'], { department: 'kanko-koryu.kanko-seisaku' });
export const hiranai = actor(['municipality_editor'], { municipalityCode: '02301' });
export const approver = actor(['approver']);
export const planAdmin = actor(['plan_admin']);
export const prefAdmin = actor(['prefecture_admin']);
export const viewer = actor(['viewer']);
