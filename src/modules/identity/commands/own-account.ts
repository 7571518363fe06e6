// What a signed-in person changes on their own account: the password (the current one first, so a
// session left open is not enough) and a new set of recovery codes (the old ones stop at once).
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import { hashPassword, newRecoveryCodes, sha256, verifyPassword } from '../credentials.ts';
import { findAccountById, recordFailedLogin, replaceRecoveryCodes, updateAccount } from '../repository.ts';
import { isLocked, lockout } from '../rules.ts';
import { repeatedPassword } from './use-link.ts';

const passwordChange = z
  .object({ current: z.string().max(256), password: z.string().max(256, 'パスワードが長すぎます。'), password2: z.string().max(256) })
  .superRefine(repeatedPassword);

export type PasswordChange = z.input<typeof passwordChange>;

export async function changePassword(db: Db, accountId: string, form: PasswordChange) {
  const input = parse(passwordChange, form, 'パスワード');
  const account = await findAccountById(db, accountId);
  if (!account?.passwordHash) throw notFound('アカウント');
  if (isLocked(account, new Date()))
    throw badRequest(`失敗が続いたため一時的にロックしています。${lockout.minutes}分後に再度お試しください。`);
  // A wrong current password counts towards the lockout like a wrong sign-in.
  if (!(await verifyPassword(account.passwordHash, input.current))) {
    await recordFailedLogin(db, accountId, lockout.after, lockout.minutes);
    throw badRequest('現在のパスワードが正しくありません。', { field: 'current' });
  }
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await updateAccount(tx, accountId, { passwordHash, failedAttempts: 0 });
    await appendAudit(tx, { actorId: accountId, action: 'change_password', entity: 'staff_account', entityId: accountId });
  });
}

/** Ten new codes, answered in clear this once; only their hashes are kept. */
export async function regenerateRecoveryCodes(db: Db, accountId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    if (!(await findAccountById(tx, accountId))) throw notFound('アカウント');
    await replaceRecoveryCodes(tx, accountId, codes.map(sha256));
    await appendAudit(tx, { actorId: accountId, action: 'regenerate_recovery_codes', entity: 'staff_account', entityId: accountId });
  });
  return codes;
}
