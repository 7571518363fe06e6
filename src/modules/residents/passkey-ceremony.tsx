// What both passkey pages share: our own scripts under a CSP that allows them, the ceremony's
// form, and the JSON answers (also refusals) of the ceremony's endpoints.
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { toAppError } from '../../platform/errors.ts';
import { errorJson, securityHeaders } from '../../platform/http.ts';

/** Pages that run a ceremony load our own scripts (never inline, never from elsewhere). */
export function allowOwnScripts(c: Context) {
  c.header('content-security-policy', securityHeaders['content-security-policy'].replace("script-src 'none'", "script-src 'self'"));
}

/** The two script tags of a ceremony page: the library's browser bundle, then ours. */
export const CeremonyScripts = () => (
  <>
    <script src="/assets/simplewebauthn-browser.js" defer />
    <script src="/assets/passkeys.js" defer />
  </>
);

/**
 * A passkey ceremony's form: the script (passkeys.js) fetches the options, runs the browser's
 * ceremony and posts the answer; the button shows only when the browser can do it.
 */
export const CeremonyForm = (props: { kind: 'register' | 'sign-in'; action: string; label: string; children?: unknown }) => (
  <div class="passkey" data-passkey={props.kind} data-options={`${props.action}/options`} data-verify={`${props.action}/verify`}>
    <form method="post" action={`${props.action}/verify`}>
      {props.children}
      <button type="submit" class="button" hidden>
        {props.label}
      </button>
    </form>
    <p role="status" aria-live="polite" />
    <noscript>
      <p>パスキーを使うには JavaScript を有効にしてください。</p>
    </noscript>
  </div>
);

/** 413 for an oversized ceremony POST, as JSON like the endpoints' other refusals. */
export const ceremonyBodyLimit = bodyLimit({
  maxSize: 16 * 1024,
  onError: (c) => c.json({ error: { code: 'too_large', message: '送信内容が大きすぎます。もう一度お試しください。' } }, 413),
});

/** The ceremony's endpoints answer JSON, also when they refuse (the page's script shows the message). */
export async function answerJson(c: Context, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    const e = toAppError(err);
    if (e.status >= 500) throw err;
    return errorJson(c, e);
  }
}

/** The form fields of a ceremony's POST, as strings. */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => ({}));
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
}
