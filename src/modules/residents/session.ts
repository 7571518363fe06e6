// マイページ's session: a random id in an HttpOnly cookie, the row in resident_sessions, and the CSRF
// token every POST must carry. Sign-in (through the common ID) ends in startResidentSession.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Env } from './page.tsx';
import { deleteSession, findLiveSession, insertSession } from './repository.ts';

export const SESSION_COOKIE = 'renkei_my';
/** A phone stays signed in for a week; deleting the account or signing out ends it at once. */
export const SESSION_DAYS = 7;

export async function startResidentSession(c: Context, db: Db, residentId: string, idToken: string | null = null) {
  const id = randomBytes(32).toString('base64url');
  await insertSession(db, {
    id,
    residentId,
    csrf: randomBytes(24).toString('base64url'),
    idToken,
    expiresAt: new Date(Date.now() + SESSION_DAYS * 86400_000),
  });
  const secure = new URL(c.req.url).protocol === 'https:';
  setCookie(c, SESSION_COOKIE, id, { httpOnly: true, secure, sameSite: 'Lax', path: '/my', maxAge: SESSION_DAYS * 86400 });
  return id;
}

export async function endResidentSession(c: Context<Env>, db: Db) {
  await deleteSession(db, c.get('sessionId'));
  deleteCookie(c, SESSION_COOKIE, { path: '/my' });
}

/** Every /my page after the sign-in ones: a live session of an active account, and a matching CSRF token on POST. */
export function requireResident(db: Db): MiddlewareHandler<Env> {
  return async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = id ? await findLiveSession(db, id) : undefined;
    if (!session) return c.redirect(`/my/sign-in?next=${encodeURIComponent(c.req.path)}`, 302);
    if (c.req.method === 'POST') {
      const body = await c.req.parseBody();
      const token = typeof body.csrf === 'string' ? body.csrf : '';
      const ok = token.length === session.csrf.length && timingSafeEqual(Buffer.from(token), Buffer.from(session.csrf));
      if (!ok) throw new AppError(400, 'csrf', 'フォームの有効期限が切れたか、不正な送信です。ページを開き直してから操作してください。');
    }
    c.set('residentId', session.residentId);
    c.set('csrf', session.csrf);
    c.set('sessionId', session.id);
    await next();
  };
}

/** How a resident signed in; recorded with the session's sign-in and given to services as `amr`. */
export type SignInMethod = 'password-totp' | 'passkey' | 'mynumber';

/** Only a path of this site: `next` comes from the request. */
const localPath = (next: string | undefined) => (next && /^\/my(\/[A-Za-z0-9/_-]*)?$/.test(next) ? next : '/my');

/**
 * Where every sign-in method ends (password + TOTP, passkey, マイナンバーカード): a マイページ session
 * and back to the page asked for. The common ID's interaction for other services finishes here too
 * (identity's part, added with the resident clients).
 */
export async function completeSignIn(c: Context, db: Db, residentId: string, method: SignInMethod, next?: string) {
  await startResidentSession(c, db, residentId);
  const uid = getCookie(c, INTERACTION_COOKIE);
  const finish = (c.get as (k: string) => unknown)('finishInteraction') as FinishInteraction | undefined;
  if (uid && finish) {
    deleteCookie(c, INTERACTION_COOKIE, { path: '/my' });
    const returnTo = await finish(uid, residentId, method);
    if (returnTo) return c.redirect(returnTo, 303);
  }
  return c.redirect(localPath(next), 303);
}

/** The common ID's interaction a service started (/my/sign-in?interaction=<uid>), kept until a sign-in method ends. */
export const INTERACTION_COOKIE = 'renkei_my_interaction';

/** Finishes the common ID's interaction with the resident's account; where to go on, or undefined when it is gone. */
export type FinishInteraction = (uid: string, residentId: string, method: SignInMethod) => Promise<string | undefined>;

/** Remembers the interaction for whichever sign-in method the resident picks. */
export function rememberInteraction(c: Context, uid: string | undefined) {
  if (!uid || !/^[A-Za-z0-9_-]{1,64}$/.test(uid)) return;
  const secure = new URL(c.req.url).protocol === 'https:';
  setCookie(c, INTERACTION_COOKIE, uid, { httpOnly: true, secure, sameSite: 'Lax', path: '/my', maxAge: 600 });
}
