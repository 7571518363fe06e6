// マイページ's front page: what the resident has registered and where to change it.
import { Hono } from 'hono';
import { myPage, type Env } from './page.tsx';

/** The sections of マイページ, in the order the front page lists them. */
export const sections: readonly { href: string; label: string }[] = [];

export function myRoutes() {
  const app = new Hono<Env>();
  app.get('/my', (c) =>
    myPage(
      c,
      'マイページ',
      <>
        <h1>マイページ</h1>
        <ul>
          {sections.map((s) => (
            <li>
              <a href={s.href}>{s.label}</a>
            </li>
          ))}
        </ul>
        <p>
          受付番号: <code>{c.get('residentId')}</code>（個人データの開示や削除を県に請求するとき、この番号を伝えてください）
        </p>
      </>,
    ),
  );
  return app;
}
