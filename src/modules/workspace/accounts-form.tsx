// What the account screens share: the roles and scope fields (invite and edit), how a role list and
// a scope read, and the one-time link an administrator sees when no mail was sent.
import type { Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import { roleLabels, statusLabels, type AccountStatus, type DeliveredLink, type Role, type StaffAccount } from '../identity/index.ts';
import { formatJst } from './audit-format.ts';
import type { OrgUnit } from '../organisations/index.ts';
import type { Env } from './page.tsx';
import * as repo from './repository.ts';

export type UnitChoice = Pick<OrgUnit, 'id' | 'kind' | 'fullName' | 'retired'>;

/** The organisation registry's units (organisations.queries.units), for the selects and the names. */
export type Units = () => Promise<UnitChoice[]>;

export const rolesText = (roles: readonly string[]) => roles.map((r) => roleLabels[r as Role] ?? r).join('・');
export const statusText = (status: string) => statusLabels[status as AccountStatus] ?? status;
export const lastSignIn = (a: StaffAccount) => (a.lastSignInAt ? formatJst(a.lastSignInAt) : '－');

/** The scope by the unit's name; the stored id only when the registry does not know it. */
export function scopeText(a: Pick<StaffAccount, 'department' | 'municipalityCode'>, units: UnitChoice[]) {
  const name = (id: string | null) => (id ? (units.find((u) => u.id === id)?.fullName ?? id) : null);
  return [name(a.department), name(a.municipalityCode)].filter(Boolean).join('、') || '－';
}

/** A form's roles (checkboxes: one value or several) and scope, as the commands take them. */
export function rolesForm(body: Record<string, string | File | (string | File)[]>) {
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  return { roles: list(body.roles), department: text(body.department), municipalityCode: text(body.municipalityCode) };
}

export interface Typed {
  roles: readonly string[];
  department: string | null;
  municipalityCode: string | null;
}

/** A refused account form: the message, and the field it is about (refusedField of the error's details). */
export interface Refused {
  message: string;
  field?: string;
}

/** The message beside the field it is about. */
export const FieldMessage = (props: { field: string; refused?: Refused }) =>
  props.refused?.field === props.field ? (
    <span class="differs" id={`${props.field}-error`} role="alert">
      {props.refused.message}
    </span>
  ) : null;

/** The attributes tying a field to that message. */
export const invalid = (refused: Refused | undefined, field: string) =>
  refused?.field === field ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${field}-error` } : {};

/** The message for the top of the form when it is about none of `fields`. */
export const formMessage = (refused: Refused | undefined, fields: readonly string[]) =>
  refused && !fields.includes(refused.field ?? '') ? refused.message : undefined;

export const roleFields = ['roles', 'department', 'municipalityCode'] as const;

/**
 * Roles as checkboxes; the department (or section) and the municipality from the registry's active
 * units (a registry still empty, before its data is loaded, leaves them to be typed as unit ids).
 */
export function RoleFields(props: { typed?: Typed; units: UnitChoice[]; refused?: Refused }) {
  const typed = props.typed ?? { roles: [], department: null, municipalityCode: null };
  const active = props.units.filter((u) => !u.retired);
  const departments = active.filter((u) => u.kind !== 'municipality');
  const municipalities = active.filter((u) => u.kind === 'municipality');
  return (
    <>
      <fieldset>
        <legend>役割</legend>
        <FieldMessage field="roles" refused={props.refused} />
        {Object.entries(roleLabels).map(([role, label]) => (
          <label class="choice">
            <input type="checkbox" name="roles" value={role} checked={typed.roles.includes(role)} /> {label}
          </label>
        ))}
      </fieldset>
      <label>
        担当部局・課（部局編集者）
        {departments.length ? (
          <select name="department" {...invalid(props.refused, 'department')}>
            <option value="">（なし）</option>
            {departments.map((u) => (
              <option value={u.id} selected={u.id === typed.department}>
                {u.fullName}
              </option>
            ))}
          </select>
        ) : (
          <input name="department" value={typed.department ?? ''} maxlength={100} {...invalid(props.refused, 'department')} />
        )}
        <FieldMessage field="department" refused={props.refused} />
      </label>
      <label>
        市町村（市町村編集者）
        {municipalities.length ? (
          <select name="municipalityCode" {...invalid(props.refused, 'municipalityCode')}>
            <option value="">（なし）</option>
            {municipalities.map((u) => (
              <option value={u.id} selected={u.id === typed.municipalityCode}>
                {u.fullName}
              </option>
            ))}
          </select>
        ) : (
          <input
            name="municipalityCode"
            value={typed.municipalityCode ?? ''}
            inputmode="numeric"
            maxlength={5}
            {...invalid(props.refused, 'municipalityCode')}
          />
        )}
        <FieldMessage field="municipalityCode" refused={props.refused} />
      </label>
    </>
  );
}

const LINK_ONCE = 'account-link';
const linkKinds = { invite: '招待', reset: '再設定', reenrol: '認証アプリの再登録' } as const;
export type LinkKind = keyof typeof linkKinds;

/**
 * After a command that makes a link: mailed, the account's page says so; not mailed, the link is kept
 * in the session row for the next page only, which shows it once (never in a URL or a log).
 */
export async function afterLink(db: Db, c: Context<Env>, accountId: string, kind: LinkKind, delivered: DeliveredLink) {
  if (delivered.link) {
    await repo.keepShownOnce(db, c.get('sessionId'), { kind: LINK_ONCE, accountId, linkKind: kind, link: delivered.link });
    return c.redirect(`/staff/accounts/${accountId}?link=shown`, 303);
  }
  return c.redirect(`/staff/accounts/${accountId}?mailed=${kind}`, 303);
}

/** The link kept by afterLink, if this is the page right after it for this account. */
export async function takeLink(db: Db, c: Context<Env>, accountId: string) {
  const kept = (await repo.takeShownOnce(db, c.get('sessionId'))) as
    { kind?: string; accountId?: string; linkKind?: LinkKind; link?: string } | undefined;
  return kept?.kind === LINK_ONCE && kept.accountId === accountId && kept.link
    ? { kind: linkKinds[kept.linkKind ?? 'invite'], link: kept.link }
    : undefined;
}

export const mailedNotice = (kind: string | undefined) =>
  kind && kind in linkKinds ? `${linkKinds[kind as LinkKind]}のリンクをメールで送りました。` : undefined;
