// /my/account/delete: what deleting the account removes and keeps, then the deletion itself.
import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import type { Db } from '../../platform/db.ts';
import { deleteAccount, type DeletedWithAccount } from './account.ts';
import { Csrf, myPage, type Env } from './page.tsx';
import { SESSION_COOKIE } from './session.ts';

export function accountRoutes(db: Db, more: readonly DeletedWithAccount[]) {
  const app = new Hono<Env>();
  app.get('/my/account/delete', (c) =>
    myPage(
      c,
      'アカウントの削除',
      <>
        <h1>アカウントの削除</h1>
        <h2>削除されるもの</h2>
        <ul>
          <li>プロフィール（氏名・住所・市町村・生年月日・電話番号）</li>
          <li>世帯の人、避難のときの支援など、登録したすべての情報</li>
          <li>ログイン中のすべての端末のログイン状態</li>
          <li>ログインの方法（パスキー、パスワード、メールアドレス、連携した本人確認）</li>
        </ul>
        <h2>残るもの（理由）</h2>
        <ul>
          <li>
            同意の記録と閲覧の記録:
            あなたの情報を、いつ、誰に、何のために提供したかの証拠として、定められた保存期間のあいだ残ります。中身の情報（氏名など）は含みません。まだ有効な同意は、削除と同時に撤回されます。
          </li>
        </ul>
        <p>削除すると元に戻せません。</p>
        <form method="post" action="/my/account/delete">
          <Csrf c={c} />
          <button type="submit">アカウントを削除する</button>
        </form>
        <p>
          <a href="/my">削除せずにマイページへ戻る</a>
        </p>
      </>,
    ),
  );
  app.post('/my/account/delete', async (c) => {
    await deleteAccount(db, c.get('residentId'), more);
    deleteCookie(c, SESSION_COOKIE, { path: '/my' });
    return c.redirect('/my/account/deleted', 303);
  });
  return app;
}

/** Shown after the deletion, without a session (mounted before the session middleware). */
export function deletedRoutes() {
  const app = new Hono();
  app.get('/my/account/deleted', (c) =>
    myPage(
      c,
      'アカウントを削除しました',
      <>
        <h1>アカウントを削除しました</h1>
        <p>登録した情報は削除されました。ご利用ありがとうございました。</p>
      </>,
    ),
  );
  return app;
}
