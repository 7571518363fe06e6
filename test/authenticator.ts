// A software WebAuthn authenticator for database tests: it answers a server's options with the
// real data formats (WebAuthn Level 3 §6.1 authenticator data, §6.5 "none" attestation, ES256
// COSE keys, DER signatures), so the server's verification runs unchanged. Browser tests use
// Chromium's virtual authenticator instead.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

export interface SoftCredential {
  id: string;
  privateKey: KeyObject;
  userHandle: string;
  counter: number;
}

function authData(rpId: string, flags: number, counter: number, attested?: Buffer) {
  const head = Buffer.alloc(37);
  sha256(rpId).copy(head, 0);
  head[32] = flags;
  head.writeUInt32BE(counter, 33);
  return attested ? Buffer.concat([head, attested]) : head;
}

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

/** navigator.credentials.create() as the browser would answer it (RegistrationResponseJSON). */
export function register(options: { challenge: string; rp: { id?: string }; user: { id: string } }, origin: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const cose = isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
    ]),
  );
  const credentialId = randomBytes(32);
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(credentialId.length);
  const attested = Buffer.concat([Buffer.alloc(16), idLength, credentialId, Buffer.from(cose)]);
  const data = authData(options.rp.id!, UP | UV | AT, 0, attested);
  const attestationObject = isoCBOR.encode(
    new Map<string, unknown>([
      ['fmt', 'none'],
      ['attStmt', new Map()],
      ['authData', new Uint8Array(data)],
    ]) as never,
  );
  const clientDataJSON = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false });
  const credential: SoftCredential = { id: b64(credentialId), privateKey, userHandle: options.user.id, counter: 0 };
  const response = {
    id: credential.id,
    rawId: credential.id,
    type: 'public-key',
    response: { clientDataJSON: b64(Buffer.from(clientDataJSON)), attestationObject: b64(attestationObject), transports: ['internal'] },
    clientExtensionResults: {},
  };
  return { credential, response };
}

/** navigator.credentials.get() with a discoverable credential (AuthenticationResponseJSON). */
export function assert(credential: SoftCredential, options: { challenge: string; rpId?: string }, origin: string, counter = 0) {
  const data = authData(options.rpId!, UP | UV, counter);
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
  const signature = sign('sha256', Buffer.concat([data, sha256(clientDataJSON)]), credential.privateKey);
  return {
    id: credential.id,
    rawId: credential.id,
    type: 'public-key',
    response: {
      clientDataJSON: b64(clientDataJSON),
      authenticatorData: b64(data),
      signature: b64(signature),
      userHandle: credential.userHandle,
    },
    clientExtensionResults: {},
  };
}
