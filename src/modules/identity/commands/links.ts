// What every one-time link shares: making one (only the token's hash is kept) and handing it to
// the person — by e-mail when a mailer is configured, otherwise back to the administrator, who sees
// it once on screen. Neither the token nor the link ever reaches an audit row or a log line.
import type { Db } from '../../../platform/db.ts';
import type { Mailer } from '../../../platform/mailer.ts';
import { newLinkToken, newTotpSecret, sha256 } from '../credentials.ts';
import { insertLink } from '../repository.ts';
import type { LinkPurpose } from '../schema.ts';
import { LINK_HOURS } from '../rules.ts';

/** How links reach people: the server's public URL, the mailer (if any) and how long a link lasts. */
export interface LinkDelivery {
  baseUrl: string;
  mailer?: Mailer;
  /** ACCOUNT_LINK_HOURS; LINK_HOURS by default. */
  hours?: number;
}

/** What the administrator is told: whether the mail went, and the link when it did not. */
export interface DeliveredLink {
  mailed: boolean;
  /** Only when it was not mailed: shown once to the administrator, never stored. */
  link?: string;
}

export const linkPath = (purpose: LinkPurpose, token: string) => (purpose === 'setup' ? `/id/setup/${token}` : `/id/link/${token}`);

/** Makes a link inside the caller's transaction; answers the token (for delivery after commit). */
export async function issueLink(tx: Db, purpose: LinkPurpose, accountId: string | null, delivery: LinkDelivery) {
  const token = newLinkToken();
  await insertLink(tx, {
    tokenHash: sha256(token),
    purpose,
    accountId,
    totpSecret: newTotpSecret(),
    hours: delivery.hours ?? LINK_HOURS,
  });
  return token;
}

const mails: Record<'invite' | 'reset' | 'reenrol', { subject: string; what: string }> = {
  invite: {
    subject: '【Renkei】職員アカウントへの招待',
    what: 'Renkei の職員アカウントを用意しました。次のリンクからパスワードを設定し、認証アプリを登録してください。',
  },
  reset: {
    subject: '【Renkei】パスワードの再設定',
    what: '管理者がアカウントを再設定しました。次のリンクからパスワードを設定し直し、認証アプリを登録し直してください。',
  },
  reenrol: {
    subject: '【Renkei】認証アプリの再登録',
    what: '管理者が認証アプリの再登録を依頼しました。次のリンクからパスワードを入力し、新しい認証アプリを登録してください。',
  },
};

/** After the commit: e-mails the link, or hands it back when there is no mailer or the mail failed. */
export async function deliverLink(
  delivery: LinkDelivery,
  to: { email: string; name: string },
  kind: keyof typeof mails,
  token: string,
): Promise<DeliveredLink> {
  const link = `${delivery.baseUrl}${linkPath(kind === 'reenrol' ? 'reenrol' : 'invite', token)}`;
  if (!delivery.mailer) return { mailed: false, link };
  const hours = delivery.hours ?? LINK_HOURS;
  try {
    await delivery.mailer.send({
      to: to.email,
      subject: mails[kind].subject,
      text: [
        `${to.name} 様`,
        '',
        mails[kind].what,
        link,
        '',
        `このリンクは${hours}時間有効で、一度だけ使えます。`,
        '心当たりがない場合は、このメールを破棄してください。',
      ].join('\n'),
    });
    return { mailed: true };
  } catch {
    // The account is made either way; the administrator passes the link on instead.
    return { mailed: false, link };
  }
}
