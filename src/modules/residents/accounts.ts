// 住民アカウント on the common ID: sign-up by a mailed one-time link, then a password and a TOTP
// authenticator; sign-in by both. The e-mail is sealed like any personal data and found by an HMAC.
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { badRequest } from '../../platform/errors.ts';
import type { Mailer } from '../../platform/mailer.ts';
import {
  hashPassword,
  newLinkToken,
  newTotpSecret,
  passwordProblem,
  platformSecret,
  sha256,
  totpStep,
  verifyPassword,
} from '../identity/index.ts';
import { open, seal, type KeyRing } from './crypto.ts';
import {
  claimTotpStep,
  deleteSignInStep,
  findAccountByLookup,
  findActiveAccount,
  findSignInStep,
  findSignUpLink,
  insertActiveAccount,
  insertSignInStep,
  insertSignUpLink,
  setLinkTotpSecret,
  useSignUpLink,
} from './repository-accounts.ts';

export interface AccountDeps {
  db: Db;
  keys: KeyRing;
  baseUrl: string;
  mailer?: Mailer;
  /** ACCOUNT_LINK_HOURS; 24 by default. */
  linkHours?: number;
}

export const SIGN_UP_LINK_HOURS = 24;
/** How long an accepted password waits for its code. */
export const CODE_STEP_MINUTES = 5;

const field = (field: string, message: string) => badRequest(message, { field });

export const emailInput = z
  .string()
  .trim()
  .max(254, 'メールアドレスは254文字以内で入力してください。')
  .email('メールアドレスの形式が正しくありません。')
  .transform((v) => v.toLowerCase());

export function parseEmail(raw: unknown): string {
  const r = emailInput.safeParse(typeof raw === 'string' ? raw : '');
  if (!r.success) throw field('email', r.error.issues[0]!.message);
  return r.data;
}

async function lookupOf(db: Db, email: string) {
  const key = await platformSecret(db, 'resident-email-lookup', () => randomBytes(32).toString('base64url'));
  return createHmac('sha256', key).update(email).digest('hex');
}

const linkPlace = (tokenHash: string, column: string) => ({ table: 'resident_sign_up_links', column, rowId: tokenHash });
const accountPlace = (id: string, column: string) => ({ table: 'resident_accounts', column, rowId: id });

/**
 * Mails a sign-up link, or for an e-mail already registered a sign-in notice: the page the person
 * sees is the same either way, so the form tells nobody which addresses have accounts.
 */
export async function requestSignUp(deps: AccountDeps, email: string) {
  const { db, keys, mailer, baseUrl } = deps;
  if (!mailer) throw new Error('requestSignUp needs a mailer');
  const emailLookup = await lookupOf(db, email);
  if (await findAccountByLookup(db, emailLookup)) {
    await mailer.send({
      to: email,
      subject: 'Renkei マイページ: このメールアドレスは登録済みです',
      text: `このメールアドレスでマイページの登録が申し込まれましたが、すでに登録済みです。\nサインインは次のページからどうぞ:\n${baseUrl}/my/sign-in\n\n心当たりがない場合は、このメールを無視してください。`,
    });
    return;
  }
  const token = newLinkToken();
  const tokenHash = sha256(token);
  const hours = deps.linkHours ?? SIGN_UP_LINK_HOURS;
  await insertSignUpLink(db, {
    tokenHash,
    emailLookup,
    email: seal(keys, email, linkPlace(tokenHash, 'email')),
    expiresAt: new Date(Date.now() + hours * 3600_000),
  });
  await mailer.send({
    to: email,
    subject: 'Renkei マイページ: 登録を続けてください',
    text: `マイページの登録を続けるには、${hours}時間以内に次のリンクを開いてください（一度だけ使えます）:\n${baseUrl}/my/verify/${token}\n\n心当たりがない場合は、このメールを無視してください。`,
  });
}

export type LinkState = { state: 'open'; tokenHash: string; email: string; totpSecret: string } | { state: 'used' | 'expired' | 'unknown' };

/** The link behind a token, its TOTP secret made on first opening. */
export async function openSignUpLink({ db, keys }: AccountDeps, token: string): Promise<LinkState> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: 'unknown' };
  const tokenHash = sha256(token);
  let link = await findSignUpLink(db, tokenHash);
  if (!link) return { state: 'unknown' };
  if (link.usedAt) return { state: 'used' };
  if (link.expiresAt.getTime() <= Date.now()) return { state: 'expired' };
  if (!link.totpSecret) {
    await setLinkTotpSecret(db, tokenHash, seal(keys, newTotpSecret(), linkPlace(tokenHash, 'totp_secret')));
    link = (await findSignUpLink(db, tokenHash))!;
  }
  return {
    state: 'open',
    tokenHash,
    email: open(keys, link.email, linkPlace(tokenHash, 'email')),
    totpSecret: open(keys, link.totpSecret!, linkPlace(tokenHash, 'totp_secret')),
  };
}

export interface SignUpInput {
  password: string;
  password2: string;
  code: string;
}

/** Checks the password twice and the first code, then makes the account; the link works only once. */
export async function completeSignUp(deps: AccountDeps, link: LinkState & { state: 'open' }, input: SignUpInput): Promise<string> {
  const { db, keys } = deps;
  const problem = passwordProblem(input.password);
  if (problem) throw field('password', problem);
  if (input.password !== input.password2) throw field('password2', '確認用のパスワードが一致しません。');
  const step = totpStep(link.totpSecret, input.code.trim());
  if (step === null) throw field('code', '確認コードが正しくありません。認証アプリに表示されている6桁を入力してください。');
  const passwordHash = await hashPassword(input.password);
  const id = `r_${randomBytes(12).toString('base64url')}`;
  const emailLookup = await lookupOf(db, link.email);
  const made = await db.transaction(async (tx) => {
    if (!(await useSignUpLink(tx, link.tokenHash))) return false;
    // Registered meanwhile through another link: this one just ends.
    if (await findAccountByLookup(tx, emailLookup)) return false;
    await insertActiveAccount(tx, {
      id,
      emailLookup,
      email: seal(keys, link.email, accountPlace(id, 'email')),
      passwordHash,
      totpSecret: seal(keys, link.totpSecret, accountPlace(id, 'totp_secret')),
      totpLastStep: step,
    });
    return true;
  });
  if (!made) throw field('', 'このリンクはすでに使用されています。');
  return id;
}

/** First step of sign-in: the account whose password matches, as a step token for the code; the same refusal for a wrong e-mail or password. */
export async function checkPassword({ db }: AccountDeps, email: string, password: string, next: string | undefined) {
  const account = await findAccountByLookup(db, await lookupOf(db, email));
  const ok = account?.status === 'active' && account.passwordHash && (await verifyPassword(account.passwordHash, password));
  if (!ok || !account) throw field('', 'メールアドレスまたはパスワードが正しくありません。');
  const token = newLinkToken();
  await insertSignInStep(db, {
    tokenHash: sha256(token),
    residentId: account.id,
    next: next ?? null,
    expiresAt: new Date(Date.now() + CODE_STEP_MINUTES * 60_000),
  });
  return token;
}

export type StepState = { residentId: string; next: string | null } | undefined;

export async function findStep({ db }: AccountDeps, token: string | undefined): Promise<StepState> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const step = await findSignInStep(db, sha256(token));
  return step && { residentId: step.residentId, next: step.next };
}

/** Second step: the code of the account's authenticator, not one already used (RFC 6238 §5.2); the step ends when the code is right. */
export async function checkCode({ db, keys }: AccountDeps, token: string, code: string) {
  const step = await findSignInStep(db, sha256(token));
  const account = step && (await findActiveAccount(db, step.residentId));
  if (!step || !account?.totpSecret) throw field('', 'サインインの有効期限が切れました。最初からやり直してください。');
  const secret = open(keys, account.totpSecret, accountPlace(account.id, 'totp_secret'));
  const codeStep = totpStep(secret, code.trim());
  if (codeStep === null || !(await claimTotpStep(db, account.id, codeStep))) throw field('code', '確認コードが正しくありません。');
  await deleteSignInStep(db, step.tokenHash);
  return { residentId: account.id, next: step.next ?? undefined };
}
