// Sign-in with a passkey, before any session: `PasskeySignIn` is the sign-in page's button (the
// page is /my/sign-in; /my/sign-in/passkey shows the button on its own), and its two JSON
// endpoints. Mounted before requireResident, with the body limit of every ceremony POST.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../platform/db.ts';
import { clientAddress } from '../../platform/http.ts';
import { rateLimiter } from '../../platform/rate-limit.ts';
import { myPage } from './page.tsx';
import { allowOwnScripts, answerJson, CeremonyForm, CeremonyScripts, ceremonyBodyLimit, formFields } from './passkey-ceremony.tsx';
import { bindingOf, CHALLENGE_SECONDS, NEEDS_HOST_NAME, signInOptions, verifySignIn, type RelyingParty } from './passkeys.ts';
import { completeSignIn } from './session.ts';

const BINDING_COOKIE = 'renkei_passkey';
const PATH = '/my/sign-in/passkey';
/** Tries per address and window: a passkey cannot be guessed, so this only keeps the challenge table small. */
const RATE = { max: 40, windowMs: 5 * 60_000 };

/** The sign-in page's passkey button; the page must call allowOwnScripts(c). `next` is where to go after. */
export const PasskeySignIn = (props: { next?: string }) => (
  <>
    <CeremonyForm kind="sign-in" action={PATH} label="パスキーでサインイン">
      {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
    </CeremonyForm>
    <CeremonyScripts />
  </>
);

export function passkeySignInRoutes(db: Db, rp: RelyingParty, trustProxy = 0) {
  const app = new Hono<{ Bindings: { incoming?: IncomingMessage } }>();
  app.use('/my/security/passkeys/*', ceremonyBodyLimit);
  app.use(`${PATH}/*`, ceremonyBodyLimit);
  // Each try costs a signature check and a stored challenge: slowed per address like other sign-ins.
  const allow = rateLimiter(db, 'passkey-sign-in', RATE.max, RATE.windowMs);
  app.use(`${PATH}/*`, async (c, next) => {
    if (!(await allow(clientAddress(c.env?.incoming, trustProxy))))
      return c.json({ error: { code: 'too_many', message: '試行が多すぎます。5分ほど待ってから再度お試しください。' } }, 429);
    await next();
  });

  app.get(PATH, (c) => {
    allowOwnScripts(c);
    const next = c.req.query('next');
    return myPage(
      c,
      'パスキーでサインイン',
      <>
        <h1>パスキーでサインイン</h1>
        <p>スマートフォンやパソコンに登録したパスキーで、メールアドレスを入力せずにサインインできます。</p>
        {rp.usable ? <PasskeySignIn next={next} /> : <p>{NEEDS_HOST_NAME}</p>}
        <p>
          <a href={next ? `/my/sign-in?next=${encodeURIComponent(next)}` : '/my/sign-in'}>ほかの方法でサインイン</a>
        </p>
      </>,
    );
  });
  app.post(`${PATH}/options`, (c) =>
    answerJson(c, async () => {
      const nonce = randomBytes(32).toString('base64url');
      const secure = new URL(c.req.url).protocol === 'https:';
      // Strict: a page of another site cannot post this browser's challenge (no sign-in CSRF).
      setCookie(c, BINDING_COOKIE, nonce, { httpOnly: true, secure, sameSite: 'Strict', path: PATH, maxAge: CHALLENGE_SECONDS });
      return c.json(await signInOptions(db, rp, bindingOf(nonce)));
    }),
  );
  app.post(`${PATH}/verify`, (c) =>
    answerJson(c, async () => {
      const fields = await formFields(c);
      const residentId = await verifySignIn(db, rp, bindingOf(getCookie(c, BINDING_COOKIE) ?? ''), fields.response ?? '');
      return locationOf(c, await completeSignIn(c, db, residentId, 'passkey', fields.next));
    }),
  );
  return app;
}

/** completeSignIn answers a redirect; the script navigates itself, so it gets the target as JSON (the session cookie stays). */
function locationOf(c: Context, redirect: Response) {
  const location = redirect.headers.get('location') ?? '/my';
  c.header('Location', undefined);
  return c.json({ location });
}
