// Staff requests for db tests: an account with a session (its cookie and CSRF token), then GET and
// form POSTs as a browser sends them (repeated fields for checkboxes).
import { randomBytes } from 'node:crypto';
import { createAccount } from '../src/modules/identity/index.ts';
import { insertSession } from '../src/modules/workspace/repository.ts';
import type { createTestApp } from './db.ts';

type App = Awaited<ReturnType<typeof createTestApp>>;

export function staffHttp(t: App) {
  const sessions: Record<string, { cookie: string; csrf: string; id: string }> = {};
  return {
    sessions,
    async account(key: string, roles: string[], extra: { department?: string; municipalityCode?: string } = {}) {
      const a = await createAccount(t.database.db, {
        email: `${key}@example.jp`,
        name: `${key} 職員`,
        password: 'a long enough password',
        roles,
        ...extra,
      });
      const sid = randomBytes(16).toString('hex');
      const csrf = randomBytes(16).toString('hex');
      await insertSession(t.database.db, { id: sid, accountId: a.id, csrf, expiresAt: new Date(Date.now() + 3600_000) });
      sessions[key] = { cookie: `renkei_staff=${sid}`, csrf, id: a.id };
      return a.id;
    },
    get: (key: string, path: string) => t.app.request(path, { headers: { cookie: sessions[key]!.cookie } }),
    /** `form`: pairs, so a field may repeat; the session's CSRF token is added unless `csrf` is given. */
    /** A multipart POST as the browser sends an upload form (and a confirm form carrying the file's text back). */
    async upload(key: string, path: string, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array | string }) {
      const form = new FormData();
      form.set('csrf', sessions[key]!.csrf);
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      if (file) form.set('file', new File([file.bytes as BlobPart], file.name));
      const res = await t.app.request(path, { method: 'POST', headers: { cookie: sessions[key]!.cookie }, body: form });
      return { status: res.status, html: await res.text(), location: res.headers.get('location') };
    },
    post(key: string, path: string, form: [string, string][] | Record<string, string>, csrf = sessions[key]!.csrf) {
      const body = new URLSearchParams(Array.isArray(form) ? form : Object.entries(form));
      if (!body.has('csrf')) body.set('csrf', csrf);
      return t.app.request(path, {
        method: 'POST',
        headers: { cookie: sessions[key]!.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
    },
  };
}

/** The named hidden fields of a page's form (a preview's confirm form), unescaped. */
export const hiddenFields = (html: string, names: readonly string[]) =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)]
      .filter((m) => names.includes(m[1]!))
      .map((m) => [
        m[1]!,
        m[2]!
          .replace(/&quot;/g, '"')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&'),
      ]),
  );
