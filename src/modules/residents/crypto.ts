// Field-by-field encryption of personal data (AES-256-GCM), pure: no I/O, the key ring is given.
// A sealed value is `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts), so it names the key that
// opens it and rotation can find what is still under an old key without opening anything.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';

export interface ResidentKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
  /** When rotation moved every value off it: kept until nothing uses it, then removable. */
  retiredAt?: string;
}

/** The keys that open stored values; `current` seals every new value. */
export interface KeyRing {
  current: string;
  keys: ReadonlyMap<string, ResidentKey>;
}

/** Where a value belongs: bound into the tag, so a value copied to another row or column is refused. */
export interface FieldPlace {
  table: string;
  column: string;
  rowId: string;
}

export const keyIdPattern = /^[A-Za-z0-9-]{1,32}$/;
const format = 'v1';
const ivBytes = 12;

// The message names the key id only: never a value, a ciphertext or key material.
export const keyMissing = (keyId: string) =>
  new AppError(
    503,
    'resident_key_missing',
    `個人データの鍵（鍵ID ${keyId}）が設定にありません。RESIDENTS_KEYS または鍵ファイルに、この鍵を戻してください。`,
  );
export const unreadable = (place: FieldPlace) =>
  new AppError(
    500,
    'resident_data_unreadable',
    `個人データ（${place.table}.${place.column}）を復号できません。改ざんされたか、別の行・項目の値です。`,
  );

const aad = (p: FieldPlace) => Buffer.from(JSON.stringify([format, p.table, p.column, p.rowId]), 'utf8');

export function seal(ring: KeyRing, plaintext: string, place: FieldPlace): string {
  const key = ring.keys.get(ring.current);
  if (!key) throw keyMissing(ring.current);
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(aad(place));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64url'));
  return [format, key.id, ...parts].join('.');
}

/** The key id a sealed value names, or undefined when it is not one. */
export function sealedKeyId(value: string): string | undefined {
  const [v, keyId] = value.split('.');
  return v === format && keyId && keyIdPattern.test(keyId) ? keyId : undefined;
}

export function open(ring: KeyRing, value: string, place: FieldPlace): string {
  const parts = value.split('.');
  const keyId = sealedKeyId(value);
  if (parts.length !== 5 || !keyId) throw unreadable(place);
  const key = ring.keys.get(keyId);
  if (!key) throw keyMissing(keyId);
  const [iv, tag, ct] = parts.slice(2).map((p) => Buffer.from(p, 'base64url'));
  if (iv!.length !== ivBytes || tag!.length !== 16) throw unreadable(place);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv!, { authTagLength: 16 });
    decipher.setAAD(aad(place));
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ct!), decipher.final()]).toString('utf8');
  } catch {
    throw unreadable(place);
  }
}

/** A fresh random key; its id is hex, so it never needs escaping in a sealed value or in SQL. */
export const newKey = (): ResidentKey => ({ id: `k${randomBytes(4).toString('hex')}`, key: randomBytes(32) });
