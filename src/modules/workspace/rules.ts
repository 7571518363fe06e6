// Who may do what on the staff screens. Pure functions, checked in commands; table-tested.

export const roles = ['prefecture_admin', 'plan_admin', 'department_editor', 'municipality_editor', 'approver', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  prefecture_admin: '県管理者',
  plan_admin: '計画管理者',
  department_editor: '部局編集者',
  municipality_editor: '市町村編集者',
  approver: '承認者',
  viewer: '閲覧者',
};

export interface Actor {
  id: string;
  name: string;
  roles: Role[];
  /** 担当部局 (department editors) */
  department: string | null;
  /** 市町村コード (municipality editors) */
  municipalityCode: string | null;
}

const has = (a: Actor, ...r: Role[]) => r.some((x) => a.roles.includes(x));
const isAdmin = (a: Actor) => has(a, 'prefecture_admin', 'plan_admin');

export const canOpenRound = (a: Actor) => isAdmin(a);
export const canAssignOwner = (a: Actor) => isAdmin(a);

/** An indicator is entered by its owner department's editors (or an administrator). */
export const canEnterIndicator = (a: Actor, indicator: { ownerDepartment: string | null }) =>
  isAdmin(a) || (has(a, 'department_editor') && indicator.ownerDepartment !== null && indicator.ownerDepartment === a.department);

/** What an actor sees of a plan's indicators: editors only their department's; others all. */
export const canSeeIndicator = (a: Actor, indicator: { ownerDepartment: string | null }) =>
  isAdmin(a) || has(a, 'approver', 'viewer') || canEnterIndicator(a, indicator);

/** Approvers review what others entered, never their own entry. */
export const canReview = (a: Actor, entry: { enteredBy: string }) => has(a, 'approver', 'prefecture_admin') && entry.enteredBy !== a.id;
export const canPublishRound = (a: Actor) => has(a, 'approver', 'prefecture_admin');

/** A municipality's project figures are that municipality's editors' (or an administrator's). */
export const canEditProjectOf = (a: Actor, municipalityCode: string) =>
  isAdmin(a) || (has(a, 'municipality_editor') && a.municipalityCode === municipalityCode);

/** Any member of staff may read the history of any record. */
export const canReadAudit = (a: Actor) => a.roles.length > 0;

/** Fields, KPIs, indicators, projects and revisions: administrators only. */
export const canEditStructure = (a: Actor) => isAdmin(a);

/** Machine clients of the data linkage platform (who may write which tenant): prefecture administrators. */
export const canManageBrokerClients = (a: Actor) => has(a, 'prefecture_admin');
