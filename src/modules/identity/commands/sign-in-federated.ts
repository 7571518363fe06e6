// A staff member signed in by their organisation's own provider: the account must already exist here
// (matched by e-mail); the second factor was the organisation's, so the sign-in clears the lockout.
import type { Db } from '../../../platform/db.ts';
import { badRequest } from '../../../platform/errors.ts';
import { findAccountByEmail, recordSignInEvent, recordSuccessfulLogin } from '../repository.ts';
import { canSignIn } from '../rules.ts';

export interface FederatedSignIn {
  /** The e-mail the organisation's provider gave; '' when it gave none. */
  email: string;
  /** The provider's name as the sign-in page shows it, for the message. */
  providerName: string;
}

export function signInFederated(db: Db, input: FederatedSignIn): Promise<{ accountId: string }> {
  return db.transaction(async (tx) => {
    const account = input.email ? await findAccountByEmail(tx, input.email) : undefined;
    if (!account)
      throw badRequest(
        `${input.providerName}のアカウント（${input.email}）は Renkei の職員アカウントに登録されていません。管理者に連絡してください。`,
      );
    if (!canSignIn(account)) throw badRequest('このアカウントは現在サインインできません。管理者に連絡してください。');
    await recordSuccessfulLogin(tx, account.id);
    await recordSignInEvent(tx, account.id, 'federated', true);
    return { accountId: account.id };
  });
}
