// An administrator invites a member of staff: the account exists as 招待中 (no password, no
// authenticator) until the person opens the one-time link, sets a password and enrols TOTP.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, conflict } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import { findAccountByEmail, insertAccount } from '../repository.ts';
import { affiliationProblem } from '../rules.ts';
import { accountInput } from './create-account.ts';
import { deliverLink, issueLink, type DeliveredLink, type LinkDelivery } from './links.ts';
import { checkUnits, scopeOf, type UnitLookup } from './scope.ts';

export const invitationInput = accountInput.omit({ password: true });

export interface Invitation {
  email: string;
  name: string;
  roles: readonly string[];
  department?: string | null;
  municipalityCode?: string | null;
}

export async function inviteAccount(
  db: Db,
  invitation: Invitation,
  actorId: string | null,
  delivery: LinkDelivery,
  units?: UnitLookup,
): Promise<{ id: string } & DeliveredLink> {
  const input = scopeOf(parse(invitationInput, invitation, 'アカウント'));
  const problem = affiliationProblem(input);
  if (problem) throw badRequest(problem, { field: input.roles.includes('department_editor') ? 'department' : 'municipalityCode' });
  await checkUnits(input, units);
  if (await findAccountByEmail(db, input.email))
    throw conflict('account_exists', 'このメールアドレスのアカウントはすでにあります。', { field: 'email' });
  const id = randomUUID();
  const token = await db.transaction(async (tx) => {
    await insertAccount(tx, { id, ...input, passwordHash: null, totpSecret: null, status: 'invited' });
    await appendAudit(tx, { actorId, action: 'invite_account', entity: 'staff_account', entityId: id, after: input });
    return issueLink(tx, 'invite', id, delivery);
  });
  return { id, ...(await deliverLink(delivery, input, 'invite', token)) };
}
