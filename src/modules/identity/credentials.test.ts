import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { currentTotp, hashPassword, newTotpSecret, passwordProblem, totpMatches, verifyPassword } from './credentials.ts';

const secret = newTotpSecret();
const codeAt = (offsetMs: number) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetMs });

describe('credentials', () => {
  it.each([
    ['the current code', 0, true],
    ['the one before (a slow clock)', -30_000, true],
    ['the one after (a fast clock)', 30_000, true],
    ['two steps before', -60_000, false],
    ['two steps after', 60_000, false],
  ])('TOTP: %s', (_label, offset, expected) => {
    expect(totpMatches(secret, codeAt(offset))).toBe(expected);
  });

  it('TOTP: another secret’s code and a malformed code are refused', () => {
    expect(totpMatches(newTotpSecret(), currentTotp(secret))).toBe(false);
    expect(totpMatches(secret, ` ${currentTotp(secret)}`)).toBe(false);
  });

  it('passwords: the right one verifies, a wrong one and a broken hash do not', async () => {
    const hashed = await hashPassword('a long enough password');
    expect(hashed).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hashed, 'a long enough password')).toBe(true);
    expect(await verifyPassword(hashed, 'a long enough passwore')).toBe(false);
    expect(await verifyPassword('not a hash', 'a long enough password')).toBe(false);
  });

  it.each([
    ['11 characters', 'x'.repeat(11), 'パスワードは12文字以上にしてください。'],
    ['12 characters', 'x'.repeat(12), null],
    ['256 characters', 'x'.repeat(256), null],
    ['257 characters', 'x'.repeat(257), 'パスワードが長すぎます。'],
  ])('password length: %s', (_label, password, expected) => {
    expect(passwordProblem(password)).toBe(expected);
  });
});
