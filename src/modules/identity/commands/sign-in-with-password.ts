// The first step of a staff sign-in: e-mail and password. Accepted, it records the step the code
// form continues from (in the database, so any server process takes the next step); refused, it
// counts towards the lockout. Unknown e-mail and wrong password answer the same, so the form does
// not tell which addresses have accounts.
import type { Db } from '../../../platform/db.ts';
import { verifyPassword } from '../credentials.ts';
import { findAccountByEmail, recordFailedLogin, recordSignInEvent, savePasswordStep } from '../repository.ts';
import { canSignIn, isLocked, lockout, PASSWORD_STEP_MINUTES } from '../rules.ts';

export interface PasswordAttempt {
  /** The oidc-provider interaction the sign-in belongs to. */
  uid: string;
  email: string;
  password: string;
}

export type PasswordOutcome = 'accepted' | 'locked' | 'refused';

export async function signInWithPassword(db: Db, attempt: PasswordAttempt): Promise<PasswordOutcome> {
  const account = await findAccountByEmail(db, attempt.email);
  if (isLocked(account, new Date())) return 'locked';
  // argon2 is slow on purpose, so it runs before any transaction: on the embedded database a
  // transaction holds the only connection. The failure count is one atomic update.
  // An invited account has no password yet and a disabled one may not sign in: both answer as a
  // wrong password, so the form tells nothing about the account.
  const usable = account && canSignIn(account) && account.passwordHash;
  if (!account || !usable || !(await verifyPassword(usable, attempt.password))) {
    if (account) {
      await recordFailedLogin(db, account.id, lockout.after, lockout.minutes);
      await recordSignInEvent(db, account.id, 'password', false);
    }
    return 'refused';
  }
  await db.transaction((tx) => savePasswordStep(tx, attempt.uid, account.id, PASSWORD_STEP_MINUTES));
  return 'accepted';
}
