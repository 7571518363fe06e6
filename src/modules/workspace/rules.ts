// Who may do what in reporting rounds and on the other staff screens. Pure functions, checked in
// commands; table-tested. What may change a plan is the plans module's (plans/rules.ts).
import type { Actor, Role } from '../identity/index.ts';
import { covers } from '../organisations/index.ts';

const has = (a: Actor, ...r: Role[]) => r.some((x) => a.roles.includes(x));
const isAdmin = (a: Actor) => has(a, 'prefecture_admin', 'plan_admin');

export const canOpenRound = (a: Actor) => isAdmin(a);

/**
 * Whether an indicator's owner unit is the editor's: a department's editors answer for its sections
 * too; a municipality's editors for what the municipality owns (a city's own plan).
 */
export const ownsIndicator = (
  a: Pick<Actor, 'department' | 'municipalityCode'> & { roles: readonly string[] },
  indicator: { ownerDepartment: string | null },
) =>
  (a.roles.includes('department_editor') && covers(a.department, indicator.ownerDepartment)) ||
  (a.roles.includes('municipality_editor') && a.municipalityCode !== null && a.municipalityCode === indicator.ownerDepartment);

/** An indicator is entered by its owner unit's editors, or an administrator. */
export const canEnterIndicator = (a: Actor, indicator: { ownerDepartment: string | null }) => isAdmin(a) || ownsIndicator(a, indicator);

/** What an actor sees of a plan's indicators: editors only their department's; others all. */
export const canSeeIndicator = (a: Actor, indicator: { ownerDepartment: string | null }) =>
  isAdmin(a) || has(a, 'approver', 'viewer') || canEnterIndicator(a, indicator);

/** Approvers review what others entered, never their own entry. */
export const canReview = (a: Actor, entry: { enteredBy: string }) => has(a, 'approver', 'prefecture_admin') && entry.enteredBy !== a.id;
export const canPublishRound = (a: Actor) => has(a, 'approver', 'prefecture_admin');

/** Any member of staff may read the audit trail, but not all of it (auditScope). */
export const canReadAudit = (a: Actor) => a.roles.length > 0;

/**
 * Administrators and approvers oversee everyone's changes, so they read every entry and the hash
 * chain's state; other staff read only what they did themselves (another's changes are not theirs to see).
 */
export const auditScope = (a: Actor): 'all' | 'own' | 'none' =>
  !canReadAudit(a) ? 'none' : isAdmin(a) || has(a, 'approver') ? 'all' : 'own';

/** Whether an actor may see one audit entry. */
export const canSeeAuditEntry = (a: Actor, entry: { actorId: string | null }) => {
  const scope = auditScope(a);
  return scope === 'all' || (scope === 'own' && entry.actorId === a.id);
};

/** Machine clients of the data linkage platform (who may write which tenant): prefecture administrators. */
export const canManageBrokerClients = (a: Actor) => has(a, 'prefecture_admin');

/** Staff accounts (invite, roles and scope, disable, reset, re-enrolment): prefecture administrators. */
export const canManageAccounts = (a: Actor) => has(a, 'prefecture_admin');

/** The data-protection page (consents, access log, disclosure and deletion on request): prefecture administrators. */
export const canProtectData = (a: Actor) => has(a, 'prefecture_admin');
