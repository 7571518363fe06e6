// The sign-in steps as commands, without pages: what each answers and what it leaves in the database.
// Through the pages and two servers: ../sign-in.db.test.ts.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, rows } from '../../../../test/db.ts';
import type { Database } from '../../../platform/db.ts';
import { nextTotp } from '../../../../test/totp.ts';
import { currentTotp } from '../credentials.ts';
import { findAccountById } from '../repository.ts';
import { createAccount } from './create-account.ts';
import { signInFederated } from './sign-in-federated.ts';
import { signInWithPassword } from './sign-in-with-password.ts';
import { verifyTotp } from './verify-totp.ts';

let database: Database;
const password = 'a long enough password';

beforeAll(async () => {
  database = await createTestDb('empty');
});
afterAll(() => database.close());

const person = async (key: string) => {
  const a = await createAccount(database.db, { email: `${key}@example.jp`, name: key, password, roles: ['viewer'] });
  return { id: a.id, email: `${key}@example.jp`, secret: a.totpSecret, totp: () => nextTotp(a.totpSecret) };
};
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const stepOf = async (uid: string) => rows<{ account_id: string }>(database, sql`select account_id from sign_in_steps where uid = ${uid}`);
const failures = async (id: string) => (await findAccountById(database.db, id))!.failedAttempts;

describe('signInWithPassword', () => {
  it('the right password: accepted, and the step waits for the code', async () => {
    const who = await person('right');
    expect(await signInWithPassword(database.db, { uid: 'u-right', email: who.email, password })).toBe('accepted');
    expect(await stepOf('u-right')).toEqual([{ account_id: who.id }]);
  });

  it('the e-mail in capitals finds the same account', async () => {
    const who = await person('capitals');
    expect(await signInWithPassword(database.db, { uid: 'u-capitals', email: who.email.toUpperCase(), password })).toBe('accepted');
  });

  it('a wrong password: refused, counted, no step', async () => {
    const who = await person('wrong');
    expect(await signInWithPassword(database.db, { uid: 'u-wrong', email: who.email, password: 'not the password' })).toBe('refused');
    expect(await failures(who.id)).toBe(1);
    expect(await stepOf('u-wrong')).toEqual([]);
  });

  it('an unknown e-mail: refused like a wrong password', async () => {
    expect(await signInWithPassword(database.db, { uid: 'u-nobody', email: 'nobody@example.jp', password })).toBe('refused');
    expect(await stepOf('u-nobody')).toEqual([]);
  });

  it('the fifth failure locks: then even the right password is refused as locked', async () => {
    const who = await person('locked');
    for (let i = 0; i < 5; i++)
      expect(await signInWithPassword(database.db, { uid: 'u-locked', email: who.email, password: 'not the password' })).toBe('refused');
    expect(await signInWithPassword(database.db, { uid: 'u-locked', email: who.email, password })).toBe('locked');
    expect(await stepOf('u-locked')).toEqual([]);
  });
});

describe('verifyTotp', () => {
  const afterPassword = async (key: string) => {
    const who = await person(key);
    expect(await signInWithPassword(database.db, { uid: `u-${key}`, email: who.email, password })).toBe('accepted');
    return who;
  };

  it('without an accepted password there is no step', async () => {
    expect(await verifyTotp(database.db, { uid: 'u-never', code: '123456' })).toEqual({ outcome: 'no_step' });
  });

  it('the right code: signed in, the step ends and the failure count is cleared', async () => {
    const who = await afterPassword('code');
    expect(await verifyTotp(database.db, { uid: 'u-code', code: wrongCode(currentTotp(who.secret)) })).toEqual({ outcome: 'refused' });
    expect(await failures(who.id)).toBe(1);
    expect(await verifyTotp(database.db, { uid: 'u-code', code: await who.totp() })).toEqual({
      outcome: 'signed_in',
      accountId: who.id,
      method: 'password_totp',
    });
    expect(await failures(who.id)).toBe(0);
    expect(await stepOf('u-code')).toEqual([]);
  });

  it('RFC 6238 §5.2 a code already accepted is refused the second time, an earlier one in the window too; a later one signs in', async () => {
    const who = await afterPassword('replay');
    const step = Math.floor(Date.now() / 30_000);
    const code = (at: number) => currentTotp(who.secret, at * 30_000);
    expect((await verifyTotp(database.db, { uid: 'u-replay', code: code(step) })).outcome).toBe('signed_in');
    for (const again of [code(step), code(step - 1)]) {
      expect(await signInWithPassword(database.db, { uid: 'u-replay', email: who.email, password })).toBe('accepted');
      expect(await verifyTotp(database.db, { uid: 'u-replay', code: again })).toEqual({ outcome: 'refused' });
    }
    expect(await verifyTotp(database.db, { uid: 'u-replay', code: code(step + 1) })).toMatchObject({ outcome: 'signed_in' });
  });

  it('RFC 6238 §5.2 two sign-ins with the same code at once: exactly one is signed in', async () => {
    const who = await afterPassword('twin');
    expect(await signInWithPassword(database.db, { uid: 'u-twin-2', email: who.email, password })).toBe('accepted');
    const code = await who.totp();
    const outcomes = await Promise.all(['u-twin', 'u-twin-2'].map((uid) => verifyTotp(database.db, { uid, code })));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['refused', 'signed_in']);
  });

  it('a missing code is a wrong code: counted', async () => {
    const who = await afterPassword('empty');
    expect(await verifyTotp(database.db, { uid: 'u-empty', code: '' })).toEqual({ outcome: 'refused' });
    expect(await failures(who.id)).toBe(1);
  });

  it('wrong codes lock the account; once locked the step ends, so the right code has nothing to continue', async () => {
    const who = await afterPassword('guesser');
    for (let i = 0; i < 5; i++)
      expect(await verifyTotp(database.db, { uid: 'u-guesser', code: wrongCode(currentTotp(who.secret)) })).toEqual({ outcome: 'refused' });
    expect(await verifyTotp(database.db, { uid: 'u-guesser', code: await who.totp() })).toEqual({ outcome: 'locked' });
    expect(await stepOf('u-guesser')).toEqual([]);
    expect(await verifyTotp(database.db, { uid: 'u-guesser', code: await who.totp() })).toEqual({ outcome: 'no_step' });
  });

  it('an expired step is no step', async () => {
    const who = await afterPassword('late');
    await database.db.execute(sql`update sign_in_steps set expires_at = now() - interval '1 second' where uid = 'u-late'`);
    expect(await verifyTotp(database.db, { uid: 'u-late', code: await who.totp() })).toEqual({ outcome: 'no_step' });
  });
});

describe('signInFederated', () => {
  it('an account with the e-mail: signed in, and its lockout cleared', async () => {
    const who = await person('federated');
    await signInWithPassword(database.db, { uid: 'u-federated', email: who.email, password: 'not the password' });
    expect(await signInFederated(database.db, { email: who.email, providerName: '平内町の共通ID' })).toEqual({ accountId: who.id });
    expect(await failures(who.id)).toBe(0);
  });

  it('no account with the e-mail, or no e-mail: refused with a message naming the provider', async () => {
    await expect(signInFederated(database.db, { email: 'stranger@example.jp', providerName: '平内町の共通ID' })).rejects.toThrow(
      '平内町の共通IDのアカウント（stranger@example.jp）は Renkei の職員アカウントに登録されていません。',
    );
    await expect(signInFederated(database.db, { email: '', providerName: '平内町の共通ID' })).rejects.toThrow(
      '平内町の共通IDのアカウント（）',
    );
  });
});
