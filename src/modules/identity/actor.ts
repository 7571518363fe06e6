// A member of staff as the staff screens and commands see them: identity owns the accounts and
// their roles; each module's rules.ts decides what a role may do there.

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
