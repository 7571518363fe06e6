// What identity decides without I/O: when an account is locked, how many attempts a sign-in gets,
// how long its steps last, which codes are worth checking, and what a role needs beside it.
// Pure; the commands apply them; table-tested in rules.test.ts.

/**
 * Failed passwords or codes in a row before the account is locked, and for how long. Staff accounts
 * are few and can change published figures, so the bar is low; the lock ends by itself, so an
 * attacker cannot keep someone out for long.
 */
export const lockout = { after: 5, minutes: 15 } as const;

/** Locked while the lock's end is still ahead; an unknown account is not locked (it has nothing to lock). */
export const isLocked = (account: { lockedUntil: Date | null } | undefined, now: Date) =>
  !!account?.lockedUntil && account.lockedUntil > now;

/** Sign-in attempts per address, on top of the per-account lockout: one address guessing across many accounts is slowed too. */
export const signInRateLimit = { max: 20, windowMs: 5 * 60_000 } as const;

/** How long an accepted password waits for its code: enough to open an authenticator app, too short to be left open. */
export const PASSWORD_STEP_MINUTES = 5;

/** TOTP steps accepted either side of the current one: phones' clocks drift, and a code typed at the turn of a step still counts. */
export const TOTP_WINDOW = 1;

/** Only six digits are worth checking: anything else is a wrong code, without computing one. */
export const isTotpCodeShape = (code: string) => /^\d{6}$/.test(code);

/** What an account's roles need beside them: a department editor edits its department's, a municipality editor its municipality's. */
export function affiliationProblem(account: {
  roles: readonly string[];
  department: string | null;
  municipalityCode: string | null;
}): string | null {
  if (account.roles.includes('department_editor') && !account.department) return '部局編集者には担当部局が必要です。';
  if (account.roles.includes('municipality_editor') && !account.municipalityCode) return '市町村編集者には市町村コードが必要です。';
  return null;
}

/** How long an invitation, reset or re-enrolment link stays valid by default (ACCOUNT_LINK_HOURS). */
export const LINK_HOURS = 72;

/** Recovery codes made at once; each works once in place of a TOTP code. */
export const RECOVERY_CODE_COUNT = 10;

/** Sign-ins shown on the person's own page. */
export const RECENT_SIGN_INS = 10;

/** 招待中 until the person sets a password, 有効, or 停止中 (cannot sign in). */
export type AccountStatus = 'invited' | 'active' | 'disabled';

export const statusLabels: Record<AccountStatus, string> = { invited: '招待中', active: '有効', disabled: '停止中' };

/** Only an active account signs in; an invited one has no password yet, a disabled one is refused. */
export const canSignIn = (account: { status: string }) => account.status === 'active';

/**
 * Whether a change leaves the installation without an active prefecture administrator: nobody could
 * then manage accounts except through the CLI. `after` is the changed account as it would be.
 */
export function lastAdminProblem(
  accounts: readonly { id: string; roles: readonly string[]; status: string }[],
  after: { id: string; roles: readonly string[]; status: string },
): string | null {
  const isAdmin = (a: { roles: readonly string[]; status: string }) => a.status === 'active' && a.roles.includes('prefecture_admin');
  const before = accounts.find((a) => a.id === after.id);
  if (!before || !isAdmin(before) || isAdmin(after)) return null;
  if (accounts.some((a) => a.id !== after.id && isAdmin(a))) return null;
  return '有効な県管理者が1人もいなくなるため、この変更はできません。先に別の県管理者を設けてください。';
}
