import { describe, expect, it } from 'vitest';
import {
  affiliationProblem,
  canSignIn,
  isLocked,
  isTotpCodeShape,
  lastAdminProblem,
  LINK_HOURS,
  lockout,
  PASSWORD_STEP_MINUTES,
  RECOVERY_CODE_COUNT,
  signInRateLimit,
  TOTP_WINDOW,
} from './rules.ts';
import { newRecoveryCodes, normalizeRecoveryCode } from './credentials.ts';

const now = new Date('2025-07-31T09:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);

describe('identity rules', () => {
  it.each([
    ['an unknown account', undefined, false],
    ['never locked', { lockedUntil: null }, false],
    ['locked until a minute from now', { lockedUntil: at(60_000) }, true],
    ['locked until a millisecond from now', { lockedUntil: at(1) }, true],
    ['the lock ends exactly now', { lockedUntil: now }, false],
    ['the lock ended a minute ago', { lockedUntil: at(-60_000) }, false],
  ])('locked: %s', (_label, account, expected) => {
    expect(isLocked(account, now)).toBe(expected);
  });

  it.each([
    ['six digits', '123456', true],
    ['six zeros', '000000', true],
    ['five digits', '12345', false],
    ['seven digits', '1234567', false],
    ['empty', '', false],
    ['letters', '12345a', false],
    ['full-width digits', '１２３４５６', false],
    ['with a space', '123 456', false],
    ['with a newline after', '123456\n', false],
  ])('a code worth checking: %s', (_label, code, expected) => {
    expect(isTotpCodeShape(code)).toBe(expected);
  });

  it.each([
    ['a viewer', { roles: ['viewer'], department: null, municipalityCode: null }, null],
    [
      'a department editor with a department',
      { roles: ['department_editor'], department: '総合政策部DX推進課', municipalityCode: null },
      null,
    ],
    [
      'a department editor without one',
      { roles: ['department_editor'], department: null, municipalityCode: null },
      '部局編集者には担当部局が必要です。',
    ],
    [
      'a department editor with an empty one',
      { roles: ['department_editor'], department: '', municipalityCode: null },
      '部局編集者には担当部局が必要です。',
    ],
    ['a municipality editor with a code', { roles: ['municipality_editor'], department: null, municipalityCode: '02301' }, null],
    [
      'a municipality editor without one',
      { roles: ['municipality_editor'], department: null, municipalityCode: null },
      '市町村編集者には市町村コードが必要です。',
    ],
    [
      'a municipality editor with a department only',
      { roles: ['municipality_editor'], department: '観光政策課', municipalityCode: null },
      '市町村編集者には市町村コードが必要です。',
    ],
    [
      'both editor roles, neither given',
      { roles: ['department_editor', 'municipality_editor'], department: null, municipalityCode: null },
      '部局編集者には担当部局が必要です。',
    ],
    ['an administrator', { roles: ['prefecture_admin', 'plan_admin'], department: null, municipalityCode: null }, null],
  ])('what a role needs beside it: %s', (_label, account, expected) => {
    expect(affiliationProblem(account)).toBe(expected);
  });

  it('the limits the sign-in pages and their messages are written for', () => {
    expect(lockout).toEqual({ after: 5, minutes: 15 });
    expect(signInRateLimit).toEqual({ max: 20, windowMs: 300_000 });
    expect(PASSWORD_STEP_MINUTES).toBe(5);
    expect(TOTP_WINDOW).toBe(1);
  });

  it.each([
    ['active', true],
    ['invited', false],
    ['disabled', false],
  ])('signs in when %s: %s', (status, expected) => {
    expect(canSignIn({ status })).toBe(expected);
  });

  const admin = (id: string, status = 'active', roles = ['prefecture_admin']) => ({ id, roles, status });
  it.each([
    ['the only administrator demoted', [admin('a')], admin('a', 'active', ['viewer']), false],
    ['the only administrator disabled', [admin('a')], admin('a', 'disabled'), false],
    ['the only administrator reset (invited again)', [admin('a')], admin('a', 'invited'), false],
    ['one of two administrators demoted', [admin('a'), admin('b')], admin('a', 'active', ['viewer']), true],
    ['the other administrator is disabled already', [admin('a'), admin('b', 'disabled')], admin('a', 'disabled'), false],
    ['the other administrator is still invited', [admin('a'), admin('b', 'invited')], admin('a', 'active', ['plan_admin']), false],
    ['an administrator keeps the role beside others', [admin('a')], admin('a', 'active', ['prefecture_admin', 'approver']), true],
    ['a viewer disabled', [admin('a'), admin('v', 'active', ['viewer'])], admin('v', 'disabled', ['viewer']), true],
    ['a disabled administrator enabled', [admin('a', 'disabled')], admin('a', 'active'), true],
  ])('the last prefecture administrator: %s -> allowed %s', (_label, accounts, after, allowed) => {
    expect(lastAdminProblem(accounts, after) === null).toBe(allowed);
  });

  it('recovery codes: ten distinct, readable back however typed; anything else is no code', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(normalizeRecoveryCode(' K7M3 Q9XP 2DWA ')).toBe('k7m3-q9xp-2dwa');
    expect(normalizeRecoveryCode('k7m3q9xp2dwa')).toBe('k7m3-q9xp-2dwa');
    expect(normalizeRecoveryCode('k7m3-q9xp')).toBeNull();
    expect(normalizeRecoveryCode('')).toBeNull();
    expect(normalizeRecoveryCode('k7m3-q9xp-2dwa-extra')).toBeNull();
  });

  it('links last three days by default', () => {
    expect(LINK_HOURS).toBe(72);
  });
});
