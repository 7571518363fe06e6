// The second step of a staff sign-in: the TOTP code for the password accepted in this interaction.
// Wrong codes count towards the lockout like wrong passwords; once locked, the step ends, so no more
// guesses are made on it. A right code ends the step and clears the failure count. A recovery code
// stands in for the TOTP code, once. A TOTP code already accepted (at enrolment or a sign-in) is
// wrong the second time (RFC 6238 §5.2).
import type { Db } from '../../../platform/db.ts';
import { normalizeRecoveryCode, sha256, totpStep } from '../credentials.ts';
import {
  claimTotpStep,
  endPasswordStep,
  findAccountById,
  findPasswordStep,
  recordFailedLogin,
  recordSignInEvent,
  recordSuccessfulLogin,
  useRecoveryCode,
} from '../repository.ts';
import { canSignIn, isLocked, isTotpCodeShape, lockout } from '../rules.ts';

export interface CodeAttempt {
  /** The oidc-provider interaction the sign-in belongs to. */
  uid: string;
  /** As typed: six digits are a TOTP code, anything else a recovery code; a missing or malformed one is wrong. */
  code: string;
}

export type CodeOutcome =
  | { outcome: 'signed_in'; accountId: string; method: 'password_totp' | 'recovery_code' }
  /** No password was accepted in this interaction, or its step expired: back to the password form. */
  | { outcome: 'no_step' }
  | { outcome: 'locked' }
  | { outcome: 'refused' };

export function verifyTotp(db: Db, attempt: CodeAttempt): Promise<CodeOutcome> {
  // One transaction: the step, the lock and the failure count are read and written as one state.
  return db.transaction(async (tx): Promise<CodeOutcome> => {
    const accountId = await findPasswordStep(tx, attempt.uid);
    if (!accountId) return { outcome: 'no_step' };
    const account = await findAccountById(tx, accountId);
    if (isLocked(account, new Date())) {
      await endPasswordStep(tx, attempt.uid);
      return { outcome: 'locked' };
    }
    if (!account || !canSignIn(account)) {
      await endPasswordStep(tx, attempt.uid);
      return { outcome: 'no_step' };
    }
    const method = isTotpCodeShape(attempt.code) ? 'password_totp' : 'recovery_code';
    const recovery = method === 'recovery_code' ? normalizeRecoveryCode(attempt.code) : null;
    const step = method === 'password_totp' ? totpStep(account.totpSecret, attempt.code) : null;
    const ok =
      method === 'password_totp'
        ? step !== null && (await claimTotpStep(tx, account.id, step))
        : !!recovery && (await useRecoveryCode(tx, account.id, sha256(recovery)));
    await recordSignInEvent(tx, account.id, method, ok);
    if (!ok) {
      await recordFailedLogin(tx, account.id, lockout.after, lockout.minutes);
      return { outcome: 'refused' };
    }
    await endPasswordStep(tx, attempt.uid);
    await recordSuccessfulLogin(tx, account.id);
    return { outcome: 'signed_in', accountId: account.id, method };
  });
}
