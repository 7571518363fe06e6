// マイページ's front page: what the resident has registered and where to change it.
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import { AssuranceSection } from './mynumber.tsx';
import { myPage, type Env } from './page.tsx';
import { SignOut } from './sign-in.tsx';

/** The sections of マイページ, in the order the front page lists them. */
export const sections: readonly { href: string; label: string }[] = [
  { href: '/my/profile', label: 'プロフィール（氏名・住所・生年月日・電話番号）' },
  { href: '/my/household', label: '世帯の人' },
  { href: '/my/support', label: '避難のときの支援' },
  { href: '/my/consents', label: '利用目的と同意' },
  { href: '/my/access-log', label: '閲覧記録（誰があなたのデータを見たか）' },
  { href: '/my/security', label: 'パスキー' },
  { href: '/my/account/delete', label: 'アカウントの削除' },
];

/** `more`: the sections other modules add (their screens are mounted behind the same session). */
export function myRoutes(db: Db, more: readonly { href: string; label: string }[] = []) {
  const app = new Hono<Env>();
  app.get('/my', (c) =>
    myPage(
      c,
      'マイページ',
      <>
        <h1>マイページ</h1>
        <ul>
          {[...sections.slice(0, -1), ...more, ...sections.slice(-1)].map((s) => (
            <li>
              <a href={s.href}>{s.label}</a>
            </li>
          ))}
        </ul>
        <AssuranceSection db={db} residentId={c.get('residentId')} />
        <SignOut c={c} />
        <p>
          受付番号: <code>{c.get('residentId')}</code>（個人データの開示や削除を県に請求するとき、この番号を伝えてください）
        </p>
      </>,
    ),
  );
  return app;
}
