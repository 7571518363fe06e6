// What a one-time link's page does: tells what the link is for (or why it no longer works), and
// completes it — an invitation or reset (password twice, a code from the new authenticator, then
// ten recovery codes), a TOTP re-enrolment (the password, then a code from the new authenticator),
// or the first administrator's setup. Each completion is one transaction with its audit row, and
// uses the link up; argon2 runs before it (on the embedded database a transaction holds the only
// connection).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, conflict } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import { hashPassword, newRecoveryCodes, passwordProblem, sha256, totpStep, verifyPassword } from '../credentials.ts';
import {
  countAccounts,
  deleteSetupLinks,
  findAccountByEmail,
  findAccountById,
  findLink,
  insertAccount,
  markLinkUsed,
  recordFailedLogin,
  replaceRecoveryCodes,
  updateAccount,
  type AccountLink,
  type StaffAccount,
} from '../repository.ts';
import { isLocked, lockout } from '../rules.ts';
import { accountInput } from './create-account.ts';
import { issueLink, type LinkDelivery } from './links.ts';

export type LinkState =
  | { state: 'open'; purpose: AccountLink['purpose']; totpSecret: string; account: StaffAccount | null }
  /** `closed`: unused, but its account no longer waits for it (disabled, or set up another way). */
  | { state: 'used' | 'expired' | 'closed' | 'unknown' };

/** A link is open while unused, unexpired, and its account still waits for it. */
async function openLink(db: Db, token: string, lock = false): Promise<LinkState> {
  // Anything that is not a token we made is unknown, without a lookup.
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: 'unknown' };
  const link = await findLink(db, sha256(token), lock);
  if (!link) return { state: 'unknown' };
  if (link.usedAt) return { state: 'used' };
  if (link.expired) return { state: 'expired' };
  const account = link.accountId ? ((await findAccountById(db, link.accountId, lock)) ?? null) : null;
  const waiting =
    link.purpose === 'setup'
      ? (await countAccounts(db)) === 0
      : link.purpose === 'invite'
        ? account?.status === 'invited'
        : account?.status === 'active' && account.totpSecret === null;
  if (!waiting) return { state: 'closed' };
  return { state: 'open', purpose: link.purpose, totpSecret: link.totpSecret, account };
}

export const linkState = (db: Db, token: string) => openLink(db, token);

const GONE = 'このリンクは使用済みか、有効期限が切れています。';
const WRONG_CODE = '確認コードが正しくありません。認証アプリに表示されている6桁の数字を入力してください。';

/** A new password follows passwordProblem's rules and is typed twice alike; each problem names its field. */
export function repeatedPassword(v: { password: string; password2: string }, ctx: z.RefinementCtx) {
  const problem = passwordProblem(v.password);
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  else if (v.password !== v.password2) ctx.addIssue({ code: 'custom', path: ['password2'], message: '確認のパスワードが一致しません。' });
}

const newPassword = z
  .object({
    password: z.string().max(256, 'パスワードが長すぎます。'),
    password2: z.string().max(256),
    code: z.string().trim().max(20),
  })
  .superRefine(repeatedPassword);

export type NewPassword = z.input<typeof newPassword>;

const setupInput = z.object({ email: accountInput.shape.email, name: accountInput.shape.name });

/** Ten new codes for the account inside the transaction; answers them in clear, the only time they exist so. */
async function freshRecoveryCodes(tx: Db, accountId: string) {
  const codes = newRecoveryCodes();
  await replaceRecoveryCodes(tx, accountId, codes.map(sha256));
  return codes;
}

/** The code's time step, kept as the account's last so the enrolment code cannot sign in again (RFC 6238 §5.2). */
function checkCode(secret: string, code: string) {
  const step = totpStep(secret, code);
  if (step === null) throw badRequest(WRONG_CODE, { field: 'code' });
  return step;
}

/** Invitation or reset: the password (twice) and the first code of the new authenticator. */
export async function acceptInvitation(db: Db, token: string, form: NewPassword) {
  const input = parse(newPassword, form, 'パスワード');
  const peek = await openLink(db, token);
  if (peek.state !== 'open' || peek.purpose !== 'invite') throw conflict('link_gone', GONE);
  const totpLastStep = checkCode(peek.totpSecret, input.code);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const link = await openLink(tx, token, true);
    if (link.state !== 'open' || link.purpose !== 'invite' || !link.account) throw conflict('link_gone', GONE);
    const id = link.account.id;
    await updateAccount(tx, id, {
      passwordHash,
      totpSecret: link.totpSecret,
      totpLastStep,
      status: 'active',
      failedAttempts: 0,
      lockedUntil: null,
    });
    await markLinkUsed(tx, sha256(token));
    const codes = await freshRecoveryCodes(tx, id);
    await appendAudit(tx, { actorId: id, action: 'accept_invitation', entity: 'staff_account', entityId: id, after: { status: 'active' } });
    return { email: link.account.email, recoveryCodes: codes };
  });
}

/** Re-enrolment: the current password proves the person; the code proves the new authenticator. */
export async function completeReenrolment(db: Db, token: string, form: { password: string; code: string }) {
  const input = parse(z.object({ password: z.string().max(256), code: z.string().trim().max(20) }), form, '再登録');
  const peek = await openLink(db, token);
  if (peek.state !== 'open' || peek.purpose !== 'reenrol' || !peek.account) throw conflict('link_gone', GONE);
  const account = peek.account;
  if (isLocked(account, new Date()))
    throw badRequest(`失敗が続いたため一時的にロックしています。${lockout.minutes}分後に再度お試しください。`);
  if (!account.passwordHash || !(await verifyPassword(account.passwordHash, input.password))) {
    await recordFailedLogin(db, account.id, lockout.after, lockout.minutes);
    throw badRequest('パスワードが正しくありません。', { field: 'password' });
  }
  const totpLastStep = checkCode(peek.totpSecret, input.code);
  await db.transaction(async (tx) => {
    const link = await openLink(tx, token, true);
    if (link.state !== 'open' || link.purpose !== 'reenrol') throw conflict('link_gone', GONE);
    await updateAccount(tx, account.id, { totpSecret: link.totpSecret, totpLastStep });
    await markLinkUsed(tx, sha256(token));
    await appendAudit(tx, { actorId: account.id, action: 'complete_totp_reenrolment', entity: 'staff_account', entityId: account.id });
  });
  return { email: account.email };
}

/** The first prefecture administrator, in the browser: works only while no account exists. */
export async function completeSetup(db: Db, token: string, form: NewPassword & { email: string; name: string }) {
  const who = parse(setupInput, form, 'アカウント');
  const input = parse(newPassword, form, 'パスワード');
  const peek = await openLink(db, token);
  if (peek.state !== 'open' || peek.purpose !== 'setup') throw conflict('link_gone', GONE);
  const totpLastStep = checkCode(peek.totpSecret, input.code);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const link = await openLink(tx, token, true);
    if (link.state !== 'open' || link.purpose !== 'setup' || (await findAccountByEmail(tx, who.email))) throw conflict('link_gone', GONE);
    const id = randomUUID();
    const roles = ['prefecture_admin', 'plan_admin', 'approver'];
    await insertAccount(tx, { id, ...who, passwordHash, totpSecret: link.totpSecret, totpLastStep, roles, status: 'active' });
    await markLinkUsed(tx, sha256(token));
    const codes = await freshRecoveryCodes(tx, id);
    await appendAudit(tx, { actorId: id, action: 'setup_first_admin', entity: 'staff_account', entityId: id, after: { ...who, roles } });
    return { email: who.email, recoveryCodes: codes };
  });
}

/**
 * At start on an installation without accounts: a new setup link (the earlier ones stop), or null
 * once any account exists. The caller prints it once.
 */
export async function issueSetupLink(db: Db, delivery: LinkDelivery): Promise<string | null> {
  return db.transaction(async (tx) => {
    if ((await countAccounts(tx)) > 0) return null;
    await deleteSetupLinks(tx);
    const token = await issueLink(tx, 'setup', null, delivery);
    return `${delivery.baseUrl}/id/setup/${token}`;
  });
}
