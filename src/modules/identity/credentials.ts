// Passwords (argon2id) and TOTP second factors (RFC 6238).
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import { isTotpCodeShape, RECOVERY_CODE_COUNT, TOTP_WINDOW } from './rules.ts';

export const hashPassword = (password: string) => hash(password);
export const verifyPassword = (hashed: string, password: string) => verify(hashed, password).catch(() => false);

/** At least 12 characters: long passwords beat composition rules (NIST SP 800-63B). */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return 'パスワードは12文字以上にしてください。';
  if (password.length > 256) return 'パスワードが長すぎます。';
  return null;
}

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

const totp = (secret: string, label = 'staff') =>
  new TOTP({ issuer: 'Renkei', label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });

/** The otpauth:// URI an authenticator app reads (as a QR code or typed in). */
export const totpUri = (secret: string, label: string) => totp(secret, label).toString();

/** Whether the code is the current one, or within TOTP_WINDOW steps of it. */
export const totpMatches = (secret: string | null, code: string) => totpStep(secret, code) !== null;

/**
 * The time step (RFC 6238 T) the code belongs to, or null for a wrong code. A verifier keeps the last
 * step it accepted per account and takes only a later one: a code seen once never signs in again (RFC 6238 §5.2).
 */
export function totpStep(secret: string | null, code: string, now = Date.now()): number | null {
  if (secret === null || !isTotpCodeShape(code)) return null;
  const t = totp(secret);
  const delta = t.validate({ token: code, window: TOTP_WINDOW, timestamp: now });
  return delta === null ? null : t.counter({ timestamp: now }) + delta;
}

export const currentTotp = (secret: string, timestamp = Date.now()) => totp(secret).generate({ timestamp });

/** A one-time link's token: 32 random bytes; only its SHA-256 is stored, so a copy of the database opens no link. */
export const newLinkToken = () => randomBytes(32).toString('base64url');

/**
 * SHA-256 for link tokens and recovery codes: both are random with enough entropy that a fast hash
 * is safe, and a slow one would make ten codes per sign-in costly.
 */
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// Without 0/O and 1/I/L, so a code copied from paper reads back right.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes like `k7m3-q9xp-2dwa` (about 59 bits each). */
export const newRecoveryCodes = () =>
  Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(12)].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });

/** A recovery code as typed (spaces, capitals, missing hyphens) in the form it was hashed. */
export function normalizeRecoveryCode(typed: string): string | null {
  const bare = typed.toLowerCase().replace(/[\s-]/g, '');
  return /^[a-z0-9]{12}$/.test(bare) ? `${bare.slice(0, 4)}-${bare.slice(4, 8)}-${bare.slice(8, 12)}` : null;
}
