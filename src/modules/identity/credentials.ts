// Passwords (argon2id) and TOTP second factors (RFC 6238).
import { hash, verify } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import { isTotpCodeShape, TOTP_WINDOW } from './rules.ts';

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
export const totpMatches = (secret: string, code: string) =>
  isTotpCodeShape(code) && totp(secret).validate({ token: code, window: TOTP_WINDOW }) !== null;

export const currentTotp = (secret: string) => totp(secret).generate();
