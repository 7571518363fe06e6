// 同意の控え（受領書）: a consent record signed as a compact JWS (ES256, RFC 7515/7518), so anyone can
// check that Renkei issued it. The key pair is made once and kept as a platform secret (several
// processes agree on it); its public half is published as a JWKS. Rotation (rotate-key) makes a new
// pair; the old public keys stay published, so receipts signed before still verify.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { CompactSign, calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { Db } from '../../platform/db.ts';
import { lockedPlatformSecret, platformSecret, setPlatformSecret } from '../identity/index.ts';
import type { OrgUnit } from '../organisations/index.ts';
import { consentRecordJsonLd } from './consent-record.ts';
import type { ConsentRow } from './consents.ts';

export const RECEIPT_SECRET = 'consent-receipt-signing-key';
/** The public JWKs of keys rotated out: no longer signing, still verifying. */
export const RETIRED_RECEIPT_KEYS = 'consent-receipt-retired-keys';
/** A receipt is a few kilobytes; anything far larger is refused before any parsing. */
export const MAX_RECEIPT_BYTES = 32 * 1024;
const compactPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

interface PublicKey {
  kid: string;
  publicJwk: JWK;
  publicKey: CryptoKey;
}
interface SigningKey extends PublicKey {
  privateKey: CryptoKey;
  /** Keys rotated out, which still verify. */
  retired: PublicKey[];
}
export type ReceiptKeys = (() => Promise<SigningKey>) & {
  /** Forgets the loaded keys (at most once a minute, so forged kids cannot make every request read the database): a receipt with an unknown kid may come from a key rotated in by another process. */
  reload: () => void;
};

const RELOAD_MS = 60_000;

const newPrivateJwk = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK;

async function publicKeyOf(jwk: JWK): Promise<PublicKey> {
  const { d: _private, kid: _kid, alg: _alg, use: _use, ...pub } = jwk;
  const kid = await calculateJwkThumbprint(pub);
  const publicJwk: JWK = { ...pub, kid, alg: 'ES256', use: 'sig' };
  return { kid, publicJwk, publicKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey };
}

/** The signing key, made on first use and kept in platform_secrets, with the retired ones; one promise per module. */
export function receiptKeys(db: Db): ReceiptKeys {
  let loaded: Promise<SigningKey> | undefined;
  let reloadedAt = 0;
  const load = async (): Promise<SigningKey> => {
    const jwk = await platformSecret<JWK>(db, RECEIPT_SECRET, newPrivateJwk);
    const retired = await platformSecret<JWK[]>(db, RETIRED_RECEIPT_KEYS, () => []);
    return {
      ...(await publicKeyOf(jwk)),
      privateKey: (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256')) as CryptoKey,
      retired: await Promise.all(retired.map(publicKeyOf)),
    };
  };
  const key = () => (loaded ??= load().catch((e: unknown) => ((loaded = undefined), Promise.reject(e))));
  const reload = () => {
    if (Date.now() - reloadedAt < RELOAD_MS) return;
    reloadedAt = Date.now();
    loaded = undefined;
  };
  return Object.assign(key, { reload });
}

/**
 * A new signing key; the current one's public half joins the retired keys, so its receipts still
 * verify. One transaction: processes rotating at once cannot lose a key. Answers the new kid.
 */
export async function rotateReceiptKey(db: Db): Promise<string> {
  await platformSecret<JWK>(db, RECEIPT_SECRET, newPrivateJwk);
  return db.transaction(async (tx) => {
    const { d: _private, ...current } = (await lockedPlatformSecret<JWK>(tx, RECEIPT_SECRET))!;
    const retired = (await lockedPlatformSecret<JWK[]>(tx, RETIRED_RECEIPT_KEYS)) ?? [];
    const next = newPrivateJwk();
    await setPlatformSecret(tx, RETIRED_RECEIPT_KEYS, [...retired, current]);
    await setPlatformSecret(tx, RECEIPT_SECRET, next);
    return (await publicKeyOf(next)).kid;
  });
}

export async function jwks(key: () => Promise<SigningKey>) {
  const k = await key();
  return { keys: [k.publicJwk, ...k.retired.map((r) => r.publicJwk)] };
}

/** The receipt: a copy of the record as of now, with its own identifier (ISO/IEC TS 27560 receipt id). */
export async function signReceipt(
  key: () => Promise<SigningKey>,
  row: ConsentRow,
  recipient: OrgUnit | undefined,
  operator: OrgUnit | undefined,
  now = new Date(),
) {
  const k = await key();
  const payload = {
    iss: 'renkei',
    jti: `rcpt_${randomBytes(12).toString('base64url')}`,
    iat: Math.floor(now.getTime() / 1000),
    'dct:conformsTo': 'https://w3id.org/dpv/schema/dpv-27560#receipt',
    record: consentRecordJsonLd(row, recipient, operator, now),
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', kid: k.kid, typ: 'JOSE', cty: 'json' })
    .sign(k.privateKey);
}

export type InvalidReason = 'too-large' | 'malformed' | 'unknown-key' | 'algorithm' | 'signature' | 'unknown-record';

export const invalidMessages: Record<InvalidReason, string> = {
  'too-large': '控えが大きすぎます。ダウンロードした控えをそのまま貼り付けてください。',
  malformed: '控えの形式が正しくありません。途中で切れていないか確かめてください。',
  'unknown-key': 'この控えは、この基盤の鍵で署名されたものではありません。',
  algorithm: 'この控えの署名方式は受け付けていません（ES256 のみ）。',
  signature: '署名が一致しません。控えが書き換えられています。',
  'unknown-record': '控えの同意記録が見つかりません。',
};

export type Verified =
  | { valid: true; receiptId: string; issuedAt: string; recordId: string; payload: { record: Record<string, unknown> } }
  | { valid: false; reason: InvalidReason };

/** Checks a compact JWS against the platform's key; never throws on hostile input. */
export async function verifyReceipt(key: ReceiptKeys, text: unknown): Promise<Verified> {
  if (typeof text !== 'string') return { valid: false, reason: 'malformed' };
  const jws = text.trim();
  if (Buffer.byteLength(jws) > MAX_RECEIPT_BYTES) return { valid: false, reason: 'too-large' };
  if (!compactPattern.test(jws)) return { valid: false, reason: 'malformed' };
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  if (header.alg !== 'ES256') return { valid: false, reason: 'algorithm' };
  const k = await keyOf(key, header.kid);
  if (!k) return { valid: false, reason: 'unknown-key' };
  let payload: unknown;
  try {
    const { payload: bytes } = await compactVerify(jws, k.publicKey, { algorithms: ['ES256'] });
    payload = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return { valid: false, reason: (e as { code?: string }).code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'signature' : 'malformed' };
  }
  const p = payload as { jti?: unknown; iat?: unknown; record?: { 'dct:identifier'?: unknown } };
  const recordId = p.record?.['dct:identifier'];
  if (typeof p.jti !== 'string' || typeof p.iat !== 'number' || typeof recordId !== 'string') return { valid: false, reason: 'malformed' };
  return {
    valid: true,
    receiptId: p.jti,
    issuedAt: new Date(p.iat * 1000).toISOString(),
    recordId,
    payload: payload as { record: Record<string, unknown> },
  };
}

/** The key a receipt names, current or retired; looked up once more after a reload, since another process may have rotated. */
async function keyOf(key: ReceiptKeys, kid: string | undefined): Promise<PublicKey | undefined> {
  if (!kid) return undefined;
  const find = async () => {
    const k = await key();
    return [k, ...k.retired].find((c) => c.kid === kid);
  };
  const found = await find();
  if (found) return found;
  key.reload();
  return find();
}
