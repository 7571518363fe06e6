// What an administrator changes on an existing account: roles and scope, disable and enable, a
// reset (a new invitation: the old password and recovery codes stop at once) and a TOTP
// re-enrolment (the old authenticator stops at once). Each in one transaction with its audit row;
// none may leave the installation without an active prefecture administrator.
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import {
  endProviderSessions,
  findAccountById,
  listAccounts,
  replaceRecoveryCodes,
  updateAccount,
  type StaffAccount,
} from '../repository.ts';
import { affiliationProblem, lastAdminProblem, type AccountStatus } from '../rules.ts';
import { accountInput } from './create-account.ts';
import { deliverLink, issueLink, type DeliveredLink, type LinkDelivery } from './links.ts';
import { checkUnits, scopeOf, type UnitLookup } from './scope.ts';

export const rolesInput = accountInput.pick({ roles: true, department: true, municipalityCode: true });

export interface RolesChange {
  roles: readonly string[];
  department?: string | null;
  municipalityCode?: string | null;
}

/** The account inside the transaction, locked; another's id and a missing one are both 404. */
async function lockedAccount(tx: Db, id: string): Promise<StaffAccount> {
  const account = await findAccountById(tx, id, true);
  if (!account) throw notFound('アカウント');
  return account;
}

async function refuseLastAdmin(tx: Db, after: { id: string; roles: readonly string[]; status: string }) {
  const problem = lastAdminProblem(await listAccounts(tx), after);
  if (problem) throw badRequest(problem);
}

const scopeFields = (a: StaffAccount) => ({ roles: a.roles, department: a.department, municipalityCode: a.municipalityCode });

export async function changeRoles(db: Db, id: string, change: RolesChange, actorId: string, units?: UnitLookup) {
  const input = scopeOf(parse(rolesInput, change, 'アカウント'));
  const problem = affiliationProblem(input);
  if (problem) throw badRequest(problem, { field: input.roles.includes('department_editor') ? 'department' : 'municipalityCode' });
  await checkUnits(input, units);
  await db.transaction(async (tx) => {
    const account = await lockedAccount(tx, id);
    await refuseLastAdmin(tx, { ...account, roles: input.roles });
    await updateAccount(tx, id, input);
    await appendAudit(tx, {
      actorId,
      action: 'change_roles',
      entity: 'staff_account',
      entityId: id,
      before: scopeFields(account),
      after: input,
    });
  });
}

/** Disabled: no sign-in, and the sessions end (the staff screens refuse it on the next request). */
export async function setDisabled(db: Db, id: string, disabled: boolean, actorId: string) {
  await db.transaction(async (tx) => {
    const account = await lockedAccount(tx, id);
    // Enabled again, it is what it was: active with a password, invited without one.
    const status: AccountStatus = disabled ? 'disabled' : account.passwordHash ? 'active' : 'invited';
    if (status === account.status) return;
    await refuseLastAdmin(tx, { ...account, status });
    await updateAccount(tx, id, { status });
    if (disabled) await endProviderSessions(tx, id);
    await appendAudit(tx, {
      actorId,
      action: disabled ? 'disable_account' : 'enable_account',
      entity: 'staff_account',
      entityId: id,
      before: { status: account.status },
      after: { status },
    });
  });
}

/** A new invitation for an existing account: password, authenticator and recovery codes are set again. */
export async function resetAccount(db: Db, id: string, actorId: string, delivery: LinkDelivery): Promise<DeliveredLink> {
  const { account, token } = await db.transaction(async (tx) => {
    const account = await lockedAccount(tx, id);
    if (account.status === 'disabled') throw badRequest('停止中のアカウントは再設定できません。先に有効にしてください。');
    await refuseLastAdmin(tx, { ...account, status: 'invited' });
    await updateAccount(tx, id, { passwordHash: null, totpSecret: null, status: 'invited', failedAttempts: 0, lockedUntil: null });
    await replaceRecoveryCodes(tx, id, []);
    await endProviderSessions(tx, id);
    await appendAudit(tx, {
      actorId,
      action: 'reset_account',
      entity: 'staff_account',
      entityId: id,
      before: { status: account.status },
      after: { status: 'invited' },
    });
    return { account, token: await issueLink(tx, 'invite', id, delivery) };
  });
  return deliverLink(delivery, account, 'reset', token);
}

/** The old authenticator stops now; the link lets the person enrol a new one after their password. */
export async function reenrolTotp(db: Db, id: string, actorId: string, delivery: LinkDelivery): Promise<DeliveredLink> {
  const { account, token } = await db.transaction(async (tx) => {
    const account = await lockedAccount(tx, id);
    if (account.status !== 'active') throw badRequest('認証アプリの再登録は、有効なアカウントにだけ依頼できます。');
    await updateAccount(tx, id, { totpSecret: null });
    await appendAudit(tx, { actorId, action: 'request_totp_reenrolment', entity: 'staff_account', entityId: id });
    return { account, token: await issueLink(tx, 'reenrol', id, delivery) };
  });
  return deliverLink(delivery, account, 'reenrol', token);
}
