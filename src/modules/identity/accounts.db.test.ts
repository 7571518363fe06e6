// Account management as commands: invitations (mailed over SMTP, or handed back), the link's page
// steps, recovery codes, reset, re-enrolment, disable/enable, the last administrator, one's own
// password, the first administrator's setup — and that no secret reaches the audit log.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, rows } from '../../../test/db.ts';
import { localSmtp } from '../../../test/smtp.ts';
import type { Database } from '../../platform/db.ts';
import { smtpMailer } from '../../platform/mailer.ts';
import { createAccount } from './commands/create-account.ts';
import { inviteAccount } from './commands/invite-account.ts';
import type { LinkDelivery } from './commands/links.ts';
import { changeRoles, reenrolTotp, resetAccount, setDisabled } from './commands/manage-account.ts';
import { changePassword, regenerateRecoveryCodes } from './commands/own-account.ts';
import { signInFederated } from './commands/sign-in-federated.ts';
import { signInWithPassword } from './commands/sign-in-with-password.ts';
import { verifyTotp } from './commands/verify-totp.ts';
import { acceptInvitation, completeReenrolment, completeSetup, issueSetupLink, linkState } from './commands/use-link.ts';
import { currentTotp, sha256 } from './credentials.ts';
import { nextTotp } from '../../../test/totp.ts';
import { findAccountById, recordSignInEvent, remainingRecoveryCodes } from './repository.ts';

let database: Database;
let adminId: string;
const delivery: LinkDelivery = { baseUrl: 'http://127.0.0.1:3000' };
const password = 'a long enough password';
const secretsSeen: string[] = [];

beforeAll(async () => {
  database = await createTestDb('empty');
  adminId = (await createAccount(database.db, { email: 'admin@example.jp', name: '管理 太郎', password, roles: ['prefecture_admin'] })).id;
});
afterAll(() => database.close());

const tokenOf = (link: string) => link.split('/').at(-1)!;
const openSecret = async (token: string) => {
  const s = await linkState(database.db, token);
  if (s.state !== 'open') throw new Error(`link ${s.state}`);
  return s.totpSecret;
};
/** Invites and accepts: the person as they can sign in, with their recovery codes. */
async function person(key: string) {
  const invited = await inviteAccount(database.db, { email: `${key}@example.jp`, name: key, roles: ['viewer'] }, adminId, delivery);
  const token = tokenOf(invited.link!);
  const totpSecret = await openSecret(token);
  const done = await acceptInvitation(database.db, token, { password, password2: password, code: await nextTotp(totpSecret) });
  secretsSeen.push(token, totpSecret, password, ...done.recoveryCodes);
  return { id: invited.id, email: `${key}@example.jp`, totpSecret, codes: done.recoveryCodes, token };
}
const signIn = async (email: string, code: string, pw = password) => {
  const uid = `u-${Math.random()}`;
  if ((await signInWithPassword(database.db, { uid, email, password: pw })) !== 'accepted') return 'password refused';
  return (await verifyTotp(database.db, { uid, code })).outcome;
};

describe('invitations', () => {
  it('an invitation is mailed over SMTP: the account is 招待中 and only the token’s hash is stored', async () => {
    const smtp = await localSmtp();
    try {
      const invited = await inviteAccount(database.db, { email: 'Mailed@Example.jp', name: '郵送 花子', roles: ['viewer'] }, adminId, {
        ...delivery,
        mailer: smtpMailer(smtp.url, 'Renkei <no-reply@localhost>'),
        hours: 48,
      });
      expect(invited).toEqual({ id: invited.id, mailed: true });
      expect(smtp.received.map((m) => m.to)).toEqual(['mailed@example.jp']);
      const link = /http:\/\/127\.0\.0\.1:3000\/id\/link\/([A-Za-z0-9_-]{43})/.exec(smtp.received[0]!.text)![1]!;
      expect(smtp.received[0]!.text).toContain('このリンクは48時間有効で、一度だけ使えます。');
      secretsSeen.push(link);
      const account = await findAccountById(database.db, invited.id);
      expect(account).toMatchObject({ status: 'invited', passwordHash: null, totpSecret: null, email: 'mailed@example.jp' });
      const stored = await rows<{ token_hash: string; hours: number }>(
        database,
        sql`select token_hash, round(extract(epoch from expires_at - now()) / 3600)::int as hours from account_links where account_id = ${invited.id}`,
      );
      expect(stored).toEqual([{ token_hash: sha256(link), hours: 48 }]);
      // an invited account cannot sign in: it has no password
      expect(await signInWithPassword(database.db, { uid: 'u-invited', email: 'mailed@example.jp', password: '' })).toBe('refused');
    } finally {
      await smtp.close();
    }
  });

  it('without a mailer, or when the mail fails, the link is handed back to show once', async () => {
    const down = { send: () => Promise.reject(new Error('SMTP down')) };
    const invited = await inviteAccount(database.db, { email: 'down@example.jp', name: 'x', roles: ['viewer'] }, adminId, {
      ...delivery,
      mailer: down,
    });
    expect(invited.mailed).toBe(false);
    expect(invited.link).toMatch(/^http:\/\/127\.0\.0\.1:3000\/id\/link\/[A-Za-z0-9_-]{43}$/);
    secretsSeen.push(tokenOf(invited.link!));
  });

  it('refuses a second account with the same e-mail, and a department editor without a department, naming the field', async () => {
    await expect(
      inviteAccount(database.db, { email: 'ADMIN@example.jp', name: 'x', roles: ['viewer'] }, adminId, delivery),
    ).rejects.toMatchObject({
      status: 409,
      details: { field: 'email' },
    });
    await expect(
      inviteAccount(database.db, { email: 'dept@example.jp', name: 'x', roles: ['department_editor'] }, adminId, delivery),
    ).rejects.toMatchObject({ status: 400, details: { field: 'department' } });
  });

  it('the link page: a wrong code or unequal passwords change nothing; then the account is active with ten recovery codes, once', async () => {
    const invited = await inviteAccount(database.db, { email: 'accept@example.jp', name: 'x', roles: ['viewer'] }, adminId, delivery);
    const token = tokenOf(invited.link!);
    const secret = await openSecret(token);
    const wrong = String((Number(currentTotp(secret)) + 1) % 1_000_000).padStart(6, '0');
    await expect(acceptInvitation(database.db, token, { password, password2: password, code: wrong })).rejects.toMatchObject({
      details: { field: 'code' },
    });
    await expect(
      acceptInvitation(database.db, token, { password, password2: `${password}!`, code: currentTotp(secret) }),
    ).rejects.toMatchObject({
      details: { field: 'password2' },
    });
    await expect(
      acceptInvitation(database.db, token, { password: 'short', password2: 'short', code: currentTotp(secret) }),
    ).rejects.toMatchObject({
      details: { field: 'password' },
    });
    expect((await findAccountById(database.db, invited.id))!.status).toBe('invited');
    const done = await acceptInvitation(database.db, token, { password, password2: password, code: await nextTotp(secret) });
    secretsSeen.push(token, secret, ...done.recoveryCodes);
    expect(done.recoveryCodes).toHaveLength(10);
    expect(new Set(done.recoveryCodes).size).toBe(10);
    expect((await findAccountById(database.db, invited.id))!.status).toBe('active');
    expect(await linkState(database.db, token)).toEqual({ state: 'used' });
    await expect(acceptInvitation(database.db, token, { password, password2: password, code: currentTotp(secret) })).rejects.toMatchObject({
      code: 'link_gone',
    });
    expect(await signIn('accept@example.jp', await nextTotp(secret))).toBe('signed_in');
  });

  it('an expired link and a made-up one say so', async () => {
    const invited = await inviteAccount(database.db, { email: 'late@example.jp', name: 'x', roles: ['viewer'] }, adminId, delivery);
    const token = tokenOf(invited.link!);
    await database.db.execute(sql`update account_links set expires_at = now() - interval '1 second' where token_hash = ${sha256(token)}`);
    expect(await linkState(database.db, token)).toEqual({ state: 'expired' });
    expect(await linkState(database.db, 'x'.repeat(43))).toEqual({ state: 'unknown' });
    expect(await linkState(database.db, "'; drop table staff_accounts; --")).toEqual({ state: 'unknown' });
  });
});

describe('recovery codes', () => {
  it('each signs in once in place of the TOTP code; typed in capitals without hyphens still counts', async () => {
    const who = await person('recovery');
    const [first, second] = who.codes;
    expect(await signIn(who.email, first!)).toBe('signed_in');
    expect(await signIn(who.email, first!)).toBe('refused');
    expect(await signIn(who.email, second!.replaceAll('-', '').toUpperCase())).toBe('signed_in');
    expect(await remainingRecoveryCodes(database.db, who.id)).toBe(8);
    const events = await rows(database, sql`select method, success from sign_in_events where account_id = ${who.id} order by id`);
    expect(events).toEqual([
      { method: 'recovery_code', success: true },
      { method: 'recovery_code', success: false },
      { method: 'recovery_code', success: true },
    ]);
  });

  it('regenerated: the old codes stop, the new ones work', async () => {
    const who = await person('regenerate');
    const fresh = await regenerateRecoveryCodes(database.db, who.id);
    secretsSeen.push(...fresh);
    expect(await signIn(who.email, who.codes[0]!)).toBe('refused');
    expect(await signIn(who.email, fresh[0]!)).toBe('signed_in');
  });
});

describe('sign-in events', () => {
  it('an account keeps its last hundred or so, never fewer, however many guesses are made', async () => {
    const who = await person('guessed');
    for (let i = 0; i < 150; i++) await recordSignInEvent(database.db, who.id, 'password', false);
    const [kept] = await rows<{ n: number; newest: number }>(
      database,
      sql`select count(*)::int as n, max(id)::int as newest from sign_in_events where account_id = ${who.id}`,
    );
    expect(kept!.n).toBeGreaterThanOrEqual(100);
    expect(kept!.n).toBeLessThan(120);
    const [last] = await rows<{ id: number }>(database, sql`select max(id)::int as id from sign_in_events`);
    expect(kept!.newest).toBe(last!.id);
  });
});

describe('administrators change accounts', () => {
  it('reset: the old password and recovery codes stop at once, the common ID’s sessions end, and the new link sets them again', async () => {
    const who = await person('reset');
    await database.db.execute(
      sql`insert into oidc_payloads (kind, id, payload) values ('Session', 'sess-reset', ${JSON.stringify({ accountId: who.id })}::jsonb)`,
    );
    const reset = await resetAccount(database.db, who.id, adminId, delivery);
    expect(await signInWithPassword(database.db, { uid: 'u-after-reset', email: who.email, password })).toBe('refused');
    expect(await remainingRecoveryCodes(database.db, who.id)).toBe(0);
    expect(await rows(database, sql`select id from oidc_payloads where id = 'sess-reset'`)).toEqual([]);
    const token = tokenOf(reset.link!);
    const secret = await openSecret(token);
    const newPassword = 'another long password';
    const done = await acceptInvitation(database.db, token, {
      password: newPassword,
      password2: newPassword,
      code: await nextTotp(secret),
    });
    secretsSeen.push(token, secret, newPassword, ...done.recoveryCodes);
    expect(await signIn(who.email, await nextTotp(secret), newPassword)).toBe('signed_in');
    expect(await signIn(who.email, currentTotp(secret), password)).toBe('password refused');
  });

  it('a second reset makes the first link useless', async () => {
    const who = await person('twice');
    const first = tokenOf((await resetAccount(database.db, who.id, adminId, delivery)).link!);
    const second = tokenOf((await resetAccount(database.db, who.id, adminId, delivery)).link!);
    secretsSeen.push(first, second);
    expect(await linkState(database.db, first)).toEqual({ state: 'unknown' });
    expect((await linkState(database.db, second)).state).toBe('open');
  });

  it('TOTP re-enrolment: the old authenticator stops; the link takes the password and a code from the new one', async () => {
    const who = await person('reenrol');
    const link = await reenrolTotp(database.db, who.id, adminId, delivery);
    expect(await signIn(who.email, currentTotp(who.totpSecret))).toBe('refused');
    const token = tokenOf(link.link!);
    const secret = await openSecret(token);
    secretsSeen.push(token, secret);
    await expect(
      completeReenrolment(database.db, token, { password: 'not the password', code: currentTotp(secret) }),
    ).rejects.toMatchObject({
      details: { field: 'password' },
    });
    await completeReenrolment(database.db, token, { password, code: await nextTotp(secret) });
    expect(await signIn(who.email, await nextTotp(secret))).toBe('signed_in');
    expect(await linkState(database.db, token)).toEqual({ state: 'used' });
  });

  it('disabled: no sign-in and the common ID’s sessions end; enabled: signs in again', async () => {
    const who = await person('disabled');
    await database.db.execute(
      sql`insert into oidc_payloads (kind, id, payload) values ('Session', 'sess-disabled', ${JSON.stringify({ accountId: who.id })}::jsonb)`,
    );
    await setDisabled(database.db, who.id, true, adminId);
    expect((await findAccountById(database.db, who.id))!.status).toBe('disabled');
    expect(await signIn(who.email, currentTotp(who.totpSecret))).toBe('password refused');
    expect(await rows(database, sql`select id from oidc_payloads where id = 'sess-disabled'`)).toEqual([]);
    await expect(signInFederated(database.db, { email: who.email, providerName: '平内町の共通ID' })).rejects.toThrow(
      'このアカウントは現在サインインできません。',
    );
    await setDisabled(database.db, who.id, false, adminId);
    expect(await signIn(who.email, await nextTotp(who.totpSecret))).toBe('signed_in');
    await signInFederated(database.db, { email: who.email, providerName: '平内町の共通ID' });
    const events = await rows(database, sql`select method, success from sign_in_events where account_id = ${who.id} order by id`);
    expect(events).toEqual([
      { method: 'password', success: false },
      { method: 'password_totp', success: true },
      { method: 'federated', success: true },
    ]);
  });

  it('an invitation of an account disabled since: its link is closed, and says so', async () => {
    const invited = await inviteAccount(database.db, { email: 'closed@example.jp', name: 'x', roles: ['viewer'] }, adminId, delivery);
    await setDisabled(database.db, invited.id, true, adminId);
    const token = tokenOf(invited.link!);
    secretsSeen.push(token);
    expect(await linkState(database.db, token)).toEqual({ state: 'closed' });
    await setDisabled(database.db, invited.id, false, adminId);
    expect((await findAccountById(database.db, invited.id))!.status).toBe('invited');
    expect((await linkState(database.db, token)).state).toBe('open');
  });

  it('roles and scope: kept only for the role that needs it', async () => {
    const who = await person('roles');
    await changeRoles(
      database.db,
      who.id,
      { roles: ['department_editor'], department: 'sogo-seisaku.dx-suishin', municipalityCode: '02201' },
      adminId,
    );
    expect(await findAccountById(database.db, who.id)).toMatchObject({
      roles: ['department_editor'],
      department: 'sogo-seisaku.dx-suishin',
      municipalityCode: null,
    });
  });

  it('the registry decides the scope when given: a retired or unknown unit is refused, naming the field', async () => {
    const who = await person('units');
    const units = async (id: string) =>
      ({ '02201': { kind: 'municipality', retired: false }, 'old-bu': { kind: 'department', retired: true } })[id] as
        { kind: 'municipality' | 'department'; retired: boolean } | undefined;
    await expect(
      changeRoles(database.db, who.id, { roles: ['department_editor'], department: 'old-bu' }, adminId, units),
    ).rejects.toMatchObject({
      details: { field: 'department' },
    });
    await expect(
      changeRoles(database.db, who.id, { roles: ['municipality_editor'], municipalityCode: '02999' }, adminId, units),
    ).rejects.toMatchObject({
      details: { field: 'municipalityCode' },
    });
    await changeRoles(database.db, who.id, { roles: ['municipality_editor'], municipalityCode: '02201' }, adminId, units);
    expect((await findAccountById(database.db, who.id))!.municipalityCode).toBe('02201');
  });

  it('the last active prefecture administrator cannot be demoted, disabled or reset', async () => {
    await expect(changeRoles(database.db, adminId, { roles: ['viewer'] }, adminId)).rejects.toThrow('有効な県管理者が1人もいなくなる');
    await expect(setDisabled(database.db, adminId, true, adminId)).rejects.toThrow('有効な県管理者が1人もいなくなる');
    await expect(resetAccount(database.db, adminId, adminId, delivery)).rejects.toThrow('有効な県管理者が1人もいなくなる');
    expect((await findAccountById(database.db, adminId))!).toMatchObject({ roles: ['prefecture_admin'], status: 'active' });
  });

  it('another id is 404', async () => {
    await expect(setDisabled(database.db, 'no-such-account', true, adminId)).rejects.toMatchObject({ status: 404 });
    await expect(changeRoles(database.db, 'no-such-account', { roles: ['viewer'] }, adminId)).rejects.toMatchObject({ status: 404 });
  });
});

describe('one’s own account', () => {
  it('changing the password needs the current one; then only the new one signs in', async () => {
    const who = await person('own');
    const next = 'a brand new passphrase';
    secretsSeen.push(next);
    await expect(changePassword(database.db, who.id, { current: 'wrong', password: next, password2: next })).rejects.toMatchObject({
      details: { field: 'current' },
    });
    await expect(changePassword(database.db, who.id, { current: password, password: next, password2: 'other' })).rejects.toMatchObject({
      details: { field: 'password2' },
    });
    await changePassword(database.db, who.id, { current: password, password: next, password2: next });
    expect(await signIn(who.email, await nextTotp(who.totpSecret), next)).toBe('signed_in');
    expect(await signIn(who.email, currentTotp(who.totpSecret), password)).toBe('password refused');
  });
});

describe('the audit log', () => {
  it('records every change, and never a password, token, TOTP secret or recovery code', async () => {
    const audit = await rows<{ action: string }>(database, sql`select action, after, before, reason from audit_log order by id`);
    const actions = new Set(audit.map((a) => a.action));
    for (const a of [
      'invite_account',
      'accept_invitation',
      'change_roles',
      'disable_account',
      'enable_account',
      'reset_account',
      'request_totp_reenrolment',
      'complete_totp_reenrolment',
      'change_password',
      'regenerate_recovery_codes',
    ])
      expect(actions).toContain(a);
    const text = JSON.stringify(audit);
    expect(secretsSeen.length).toBeGreaterThan(50);
    for (const s of secretsSeen) expect(text).not.toContain(s);
    expect(text).not.toMatch(/password_hash|totp_secret|\$argon2/i);
  });
});

describe('the first administrator', () => {
  it('a setup link only while no account exists; it makes a prefecture administrator and then stops', async () => {
    const fresh = await createTestDb('empty');
    try {
      const first = await issueSetupLink(fresh.db, delivery);
      const link = await issueSetupLink(fresh.db, delivery);
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:3000\/id\/setup\/[A-Za-z0-9_-]{43}$/);
      // a new start makes a new link; the earlier one stops
      expect(await linkState(fresh.db, tokenOf(first!))).toEqual({ state: 'unknown' });
      const token = tokenOf(link!);
      const s = await linkState(fresh.db, token);
      if (s.state !== 'open') throw new Error('not open');
      const done = await completeSetup(fresh.db, token, {
        name: '最初 の管理者',
        email: 'first@example.jp',
        password,
        password2: password,
        code: await nextTotp(s.totpSecret),
      });
      expect(done.recoveryCodes).toHaveLength(10);
      const [account] = await rows(fresh, sql`select roles, status from staff_accounts`);
      expect(account).toEqual({ roles: ['prefecture_admin', 'plan_admin', 'approver'], status: 'active' });
      expect(await linkState(fresh.db, token)).toEqual({ state: 'used' });
      expect(await issueSetupLink(fresh.db, delivery)).toBeNull();
      const audit = await rows(fresh, sql`select action from audit_log`);
      expect(audit).toEqual([{ action: 'setup_first_admin' }]);
    } finally {
      await fresh.close();
    }
  });
});
