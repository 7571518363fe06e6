// A signed-in resident for tests of マイページ's pages: the account and session rows made directly,
// as the sign-in would leave them (the sign-in itself is tested on its own, in the browser too).
import { randomBytes } from 'node:crypto';
import type { Db } from '../src/platform/db.ts';
import { insertAccount, insertSession } from '../src/modules/residents/repository.ts';
import { SESSION_COOKIE } from '../src/modules/residents/session.ts';

export async function signedInResident(db: Db, residentId = `r_${randomBytes(12).toString('base64url')}`) {
  await insertAccount(db, residentId);
  const session = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await insertSession(db, { id: session, residentId, csrf, expiresAt: new Date(Date.now() + 3600_000) });
  return { residentId, csrf, cookie: `${SESSION_COOKIE}=${session}` };
}
