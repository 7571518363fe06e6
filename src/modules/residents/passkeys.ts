// パスキー (WebAuthn Level 3, @simplewebauthn/server): registration for a signed-in resident and
// usernameless sign-in with a discoverable credential. Every challenge is kept server-side and
// taken out before its answer is checked, so a replayed or failed answer never gets a second try.
import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import { z } from 'zod';
import { appendAudit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import {
  consumeChallenge,
  deletePasskey,
  findPasskeyForSignIn,
  insertChallenge,
  insertPasskey,
  listPasskeys,
  recordPasskeyUse,
} from './repository-passkeys.ts';

/** RP ID = the host name of the base URL (no port, WebAuthn §5.1.2); the origin = its origin. */
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
  /** False when the host is an IP address: an RP ID must be a domain (WebAuthn §5.1.4), so browsers refuse the ceremony. */
  usable: boolean;
}
export function relyingParty(baseUrl: string): RelyingParty {
  const url = new URL(baseUrl);
  const usable = isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0;
  return { id: url.hostname, origin: url.origin, name: 'Renkei マイページ', usable };
}

/** What residents read where passkeys would be, when the server is reached by an IP address. */
export const NEEDS_HOST_NAME =
  'パスキーは、このサーバーにIPアドレスではなくホスト名（例：localhost）でアクセスしたときだけ使えます。このサーバーはIPアドレスで公開されているため、パスキーは使えません。';

/** Long enough to find the phone's screen lock, short enough that a stolen challenge soon expires. */
export const CHALLENGE_SECONDS = 300;

const refused = (code: string, message: string) => new AppError(400, code, message);
const mangled = () => refused('passkey_response_invalid', 'パスキーの応答を読み取れませんでした。もう一度お試しください。');
const stale = () => refused('passkey_challenge_invalid', 'この確認は使用済みか期限切れです。もう一度お試しください。');
const notVerified = () => refused('passkey_not_verified', 'パスキーを確認できませんでした。もう一度お試しください。');
const unknown = () =>
  refused('passkey_unknown', 'このパスキーは登録されていません。マイページの「パスキー」で登録したパスキーをお使いください。');

// Credential ids are at most 1023 bytes (WebAuthn §5.1.2's credential ID): 1364 base64url characters.
const b64url = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .max(max);
const credentialShape = z
  .object({
    id: b64url(1364),
    rawId: b64url(1364),
    type: z.literal('public-key'),
    response: z.object({ clientDataJSON: b64url(4096), userHandle: b64url(128).optional() }).passthrough(),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  })
  .passthrough()
  .refine((v) => v.id === v.rawId);

/** The browser's answer, as far as we read it before the library: its shape and the challenge it answers. */
function parseCredential(text: string) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw mangled();
  }
  const r = credentialShape.safeParse(value);
  if (!r.success) throw mangled();
  let challenge: unknown;
  try {
    challenge = decodeClientDataJSON(r.data.response.clientDataJSON).challenge;
  } catch {
    throw mangled();
  }
  if (typeof challenge !== 'string' || !challenge) throw mangled();
  return { credential: r.data, challenge };
}

const usableOrRefused = (rp: RelyingParty) => {
  if (!rp.usable) throw refused('passkey_unavailable', NEEDS_HOST_NAME);
};

export async function registrationOptions(db: Db, rp: RelyingParty, residentId: string) {
  usableOrRefused(rp);
  const existing = await listPasskeys(db, residentId);
  // One handle per resident, so the authenticator keeps one passkey per resident and site.
  const userHandle = existing[0]?.userHandle ?? randomBytes(32).toString('base64url');
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: 'マイページ',
    userDisplayName: 'マイページ',
    userID: new Uint8Array(Buffer.from(userHandle, 'base64url')),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    timeout: CHALLENGE_SECONDS * 1000,
  });
  await insertChallenge(db, { challenge: options.challenge, kind: 'register', binding: residentId, userHandle }, CHALLENGE_SECONDS);
  return options;
}

export async function verifyRegistration(db: Db, rp: RelyingParty, residentId: string, text: string) {
  const { credential, challenge } = parseCredential(text);
  const asked = await consumeChallenge(db, challenge, 'register', residentId);
  if (!asked?.userHandle) throw stale();
  let info;
  try {
    const v = await verifyRegistrationResponse({
      response: credential as unknown as RegistrationResponseJSON,
      expectedChallenge: asked.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    if (!v.verified || v.registrationInfo.credential.id !== credential.id) throw notVerified();
    info = v.registrationInfo;
  } catch {
    throw notVerified();
  }
  const id = `pk_${randomBytes(12).toString('base64url')}`;
  const name = info.credentialDeviceType === 'multiDevice' ? '同期されるパスキー' : 'この端末だけのパスキー';
  await db.transaction(async (tx) => {
    const added = await insertPasskey(tx, {
      id,
      credentialId: info.credential.id,
      residentId,
      userHandle: asked.userHandle!,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: (info.credential.transports ?? []).slice(0, 8),
      name,
    });
    if (!added) throw refused('passkey_registered', 'このパスキーはすでに登録されています。');
    await appendAudit(tx, {
      actorId: residentId,
      action: 'add_passkey',
      entity: 'resident_passkey',
      entityId: id,
      after: { name },
    });
  });
  return id;
}

export async function removePasskey(db: Db, residentId: string, id: string) {
  await db.transaction(async (tx) => {
    if (!(await deletePasskey(tx, residentId, id))) throw notFound('パスキー');
    await appendAudit(tx, { actorId: residentId, action: 'remove_passkey', entity: 'resident_passkey', entityId: id });
  });
}

/** A sign-in challenge is bound to a random value in the asking browser's cookie; only its hash is stored. */
export const bindingOf = (nonce: string) => createHash('sha256').update(nonce).digest('base64url');

export async function signInOptions(db: Db, rp: RelyingParty, binding: string) {
  usableOrRefused(rp);
  // No allowCredentials: the authenticator offers the passkeys it holds for this site (usernameless).
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required', timeout: CHALLENGE_SECONDS * 1000 });
  await insertChallenge(db, { challenge: options.challenge, kind: 'sign-in', binding }, CHALLENGE_SECONDS);
  return options;
}

/** The resident a valid assertion signs in; the passkey's counter and last use are recorded. */
export async function verifySignIn(db: Db, rp: RelyingParty, binding: string, text: string): Promise<string> {
  const { credential, challenge } = parseCredential(text);
  const asked = await consumeChallenge(db, challenge, 'sign-in', binding);
  if (!asked) throw stale();
  const passkey = await findPasskeyForSignIn(db, credential.id);
  if (!passkey) throw unknown();
  // The library does not compare the user handle; a discoverable credential always returns it.
  if (credential.response.userHandle !== passkey.userHandle) throw notVerified();
  let counter: number;
  try {
    const v = await verifyAuthenticationResponse({
      response: credential as unknown as AuthenticationResponseJSON,
      expectedChallenge: asked.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        transports: passkey.transports,
      },
      requireUserVerification: true,
    });
    if (!v.verified) throw notVerified();
    counter = v.authenticationInfo.newCounter;
  } catch {
    throw notVerified();
  }
  await recordPasskeyUse(db, passkey.id, counter);
  return passkey.residentId;
}
