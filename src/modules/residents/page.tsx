// The frame of every マイページ page: layout, breadcrumb back to /my, never cached (it shows personal data).
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { FormStatus } from '../../platform/errors.ts';
import { Layout } from '../../web/layout.tsx';

/** What the session middleware (session.ts) puts on every signed-in /my request. */
export type Env = { Variables: { residentId: string; csrf: string; sessionId: string } };

/** The session's CSRF token, which every マイページ form posts back. */
export const Csrf = (props: { c: Context<Env> }) => <input type="hidden" name="csrf" value={props.c.get('csrf')} />;

export async function myPage(c: Context, title: string, body: Child, status: 200 | FormStatus | 404 | 410 | 413 | 429 = 200) {
  const crumbs = c.req.path === '/my' ? [{ label: 'マイページ' }] : [{ href: '/my', label: 'マイページ' }, { label: title }];
  const doc = (
    <Layout lang="ja" title={title} path={c.req.path} crumbs={crumbs}>
      {body}
    </Layout>
  );
  c.header('Cache-Control', 'no-store');
  return c.html(`<!DOCTYPE html>${await doc.toString()}`, status);
}
