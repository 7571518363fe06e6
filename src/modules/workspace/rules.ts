// Who may do what in reporting rounds and on the other staff screens. Pure functions, checked in
// commands; table-tested. What may change a plan is the plans module's (plans/rules.ts).
import type { Actor, Role } from '../identity/index.ts';

const has = (a: Actor, ...r: Role[]) => r.some((x) => a.roles.includes(x));
const isAdmin = (a: Actor) => has(a, 'prefecture_admin', 'plan_admin');

export const canOpenRound = (a: Actor) => isAdmin(a);

/** An indicator is entered by its owner department's editors (or an administrator). */
export const canEnterIndicator = (a: Actor, indicator: { ownerDepartment: string | null }) =>
  isAdmin(a) || (has(a, 'department_editor') && indicator.ownerDepartment !== null && indicator.ownerDepartment === a.department);

/** What an actor sees of a plan's indicators: editors only their department's; others all. */
export const canSeeIndicator = (a: Actor, indicator: { ownerDepartment: string | null }) =>
  isAdmin(a) || has(a, 'approver', 'viewer') || canEnterIndicator(a, indicator);

/** Approvers review what others entered, never their own entry. */
export const canReview = (a: Actor, entry: { enteredBy: string }) => has(a, 'approver', 'prefecture_admin') && entry.enteredBy !== a.id;
export const canPublishRound = (a: Actor) => has(a, 'approver', 'prefecture_admin');

/** Any member of staff may read the history of any record. */
export const canReadAudit = (a: Actor) => a.roles.length > 0;

/** Machine clients of the data linkage platform (who may write which tenant): prefecture administrators. */
export const canManageBrokerClients = (a: Actor) => has(a, 'prefecture_admin');
