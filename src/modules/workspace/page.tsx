// The frame of every staff page: layout, breadcrumb back to /staff, no caching, and an alert.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { Layout } from '../../web/layout.tsx';
import type { FormStatus } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';

/** What the staff session middleware (staff.tsx) puts on every staff request. */
export type Env = { Variables: { actor: Actor; csrf: string; sessionId: string } };

/** The session's CSRF token, which every staff form posts back. */
export const Csrf = (props: { c: Context<Env> }) => <input type="hidden" name="csrf" value={props.c.get('csrf')} />;

/** The reason every structural change is audited with. */
export const Reason = () => (
  <label>
    理由
    <input name="reason" required />
  </label>
);

export const Alert = (props: { message?: string }) =>
  props.message ? (
    <p class="differs" role="alert">
      {props.message}
    </p>
  ) : null;

export async function staffPage(c: Context, title: string, body: Child, status: 200 | FormStatus = 200) {
  const doc = (
    <Layout lang="ja" title={title} path={c.req.path} crumbs={[{ href: '/staff', label: '職員ページ' }, { label: title }]}>
      {body}
    </Layout>
  );
  c.header('Cache-Control', 'no-store');
  return c.html(`<!DOCTYPE html>${await doc.toString()}`, status);
}
