// The account screens over HTTP: /staff/accounts for prefecture administrators, /staff/me for
// everyone, and the one-time link pages under /id — with hostile input (other ids, garbage and
// used tokens, missing CSRF, oversized bodies): a Japanese page and never a 5xx.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows } from '../../../test/db.ts';
import { createAccount, currentTotp } from '../identity/index.ts';
import { nextTotp } from '../../../test/totp.ts';
import { insertSession } from './repository.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
const sessions: Record<string, { cookie: string; csrf: string; id: string }> = {};
const password = 'a long enough password';

async function session(key: string, accountId: string) {
  const sid = randomBytes(16).toString('hex');
  const csrf = randomBytes(16).toString('hex');
  await insertSession(t.database.db, { id: sid, accountId, csrf, expiresAt: new Date(Date.now() + 3600_000) });
  sessions[key] = { cookie: `renkei_staff=${sid}`, csrf, id: accountId };
}
async function account(key: string, roles: string[]) {
  const a = await createAccount(t.database.db, { email: `${key}@example.jp`, name: `${key} 職員`, password, roles });
  await session(key, a.id);
  return a;
}
const form = (body: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const x of [v].flat()) p.append(k, x);
  return p.toString();
};
const post = (key: string, path: string, body: Record<string, string | string[]>, csrf: string | null = sessions[key]!.csrf) =>
  t.app.request(path, {
    method: 'POST',
    headers: { cookie: sessions[key]!.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form(csrf === null ? body : { csrf, ...body }),
  });
const get = (key: string, path: string) => t.app.request(path, { headers: { cookie: sessions[key]!.cookie } });
const postPublic = (path: string, body: Record<string, string>) =>
  t.app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(body) });
const accountIdOf = (email: string) =>
  rows<{ id: string; status: string }>(t.database, sql`select id, status from staff_accounts where email = ${email}`);

// Everything the server writes to the console while these tests run: no secret may be in it.
const logged: string[] = [];
const secrets: string[] = [password];
for (const m of ['log', 'info', 'warn', 'error'] as const) {
  const original = console[m].bind(console);
  console[m] = (...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
    original(...args);
  };
}

beforeAll(async () => {
  t = await createTestApp();
  await account('admin', ['prefecture_admin']);
  await account('viewer', ['viewer']);
});
afterAll(() => t.close());

/** Invites over HTTP and answers the link shown once on the account's page. */
async function invite(email: string, roles: string[] = ['viewer']) {
  const res = await post('admin', '/staff/accounts', { name: '招待 花子', email, roles });
  expect(res.status).toBe(303);
  const to = res.headers.get('location')!;
  expect(to).toMatch(/^\/staff\/accounts\/[0-9a-f-]{36}\?link=shown$/);
  const html = await (await get('admin', to)).text();
  const link = /http:\/\/127\.0\.0\.1:9(\/id\/link\/[A-Za-z0-9_-]{43})/.exec(html)![1]!;
  secrets.push(link.split('/').at(-1)!);
  return { link, page: to.split('?')[0]! };
}

describe('/staff/accounts', () => {
  it('is 404 for anyone but a prefecture administrator, and for an account that does not exist', async () => {
    expect((await get('viewer', '/staff/accounts')).status).toBe(404);
    expect((await post('viewer', '/staff/accounts', { name: 'x', email: 'x@example.jp', roles: 'viewer' })).status).toBe(404);
    expect((await get('viewer', `/staff/accounts/${sessions.admin!.id}`)).status).toBe(404);
    expect((await get('admin', '/staff/accounts/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await post('admin', '/staff/accounts/nobody/disable', { confirm: 'yes' })).status).toBe(404);
    expect(await accountIdOf('x@example.jp')).toEqual([]);
  });

  it('lists accounts with Japanese roles and states', async () => {
    const html = await (await get('admin', '/staff/accounts')).text();
    expect(html).toContain('<td>viewer@example.jp</td><td>閲覧者</td>');
    expect(html).toContain('<td>有効</td>');
    expect(html).not.toMatch(/prefecture_admin<\/td>|>active</);
  });

  it('an invitation without a mailer shows the link once; a reload says it was shown', async () => {
    const { link, page } = await invite('once@example.jp');
    expect(link).toMatch(/^\/id\/link\//);
    const again = await (await get('admin', `${page}?link=shown`)).text();
    expect(again).toContain('リンクは発行の直後に一度だけ表示しました。');
    expect(again).not.toContain('/id/link/');
    expect((await accountIdOf('once@example.jp'))[0]!.status).toBe('invited');
    expect(await (await get('admin', '/staff/accounts')).text()).toContain('<td>招待中</td>');
  });

  it('a refused invitation keeps what was typed and names the field; nothing is made', async () => {
    const res = await post('admin', '/staff/accounts', { name: '部局 太郎', email: 'dept@example.jp', roles: 'department_editor' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="department-error"');
    expect(html).toContain('部局編集者には担当部局が必要です。');
    expect(html).toContain('value="部局 太郎"');
    expect(html).toMatch(/value="department_editor" checked/);
    expect(await accountIdOf('dept@example.jp')).toEqual([]);
  });

  it('scopes come from the organisation registry: selects of active units, names on the list, unknown ids refused', async () => {
    const form = await (await get('admin', '/staff/accounts')).text();
    expect(form).toContain('<option value="sogo-seisaku.dx-suishin">総合政策部DX推進課</option>');
    expect(form).toContain('<option value="02201">青森市</option>');
    const made = await post('admin', '/staff/accounts', {
      name: 'DX 担当',
      email: 'dx@example.jp',
      roles: 'department_editor',
      department: 'sogo-seisaku.dx-suishin',
      municipalityCode: '02201',
    });
    expect(made.status).toBe(303);
    const list = await (await get('admin', '/staff/accounts')).text();
    expect(list).toContain('<td>dx@example.jp</td><td>部局編集者</td><td>総合政策部DX推進課</td>');
    const [stored] = await rows(t.database, sql`select department, municipality_code from staff_accounts where email = 'dx@example.jp'`);
    // the municipality is kept only for a municipality editor
    expect(stored).toEqual({ department: 'sogo-seisaku.dx-suishin', municipality_code: null });
    for (const [field, value, role] of [
      ['department', '総合政策部DX推進課', 'department_editor'],
      ['department', '02201', 'department_editor'],
      ['municipalityCode', '02999', 'municipality_editor'],
    ] as const) {
      const res = await post('admin', '/staff/accounts', { name: 'x', email: 'bad-unit@example.jp', roles: role, [field]: value });
      expect(res.status, value).toBe(400);
      expect(await res.text()).toContain(`id="${field}-error"`);
    }
    expect(await accountIdOf('bad-unit@example.jp')).toEqual([]);
    const id = (await accountIdOf('dx@example.jp'))[0]!.id;
    const changed = await post('admin', `/staff/accounts/${id}/roles`, { roles: ['municipality_editor'], municipalityCode: '02201' });
    expect(changed.headers.get('location')).toBe(`/staff/accounts/${id}?done=roles`);
    expect(await (await get('admin', `/staff/accounts/${id}`)).text()).toContain('<dd>青森市</dd>');
  });

  it('an oversized form is refused with a Japanese page before it is read', async () => {
    const res = await post('admin', '/staff/accounts', { name: 'x'.repeat(100_000), email: 'big@example.jp', roles: 'viewer' });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('送信内容が大きすぎます。');
    expect(await accountIdOf('big@example.jp')).toEqual([]);
    expect(t.errors).toEqual([]);
  });

  it('without the CSRF token nothing is made', async () => {
    const res = await post('admin', '/staff/accounts', { name: 'x', email: 'nocsrf@example.jp', roles: 'viewer' }, null);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('フォームの有効期限が切れたか、不正な送信です。');
    expect(await accountIdOf('nocsrf@example.jp')).toEqual([]);
  });

  it('an unconfirmed disable changes nothing; disabled, the person’s staff session ends on the next request', async () => {
    const victim = await account('victim', ['viewer']);
    expect((await get('victim', '/staff')).status).toBe(200);
    expect((await post('admin', `/staff/accounts/${victim.id}/disable`, {})).status).toBe(303);
    expect((await accountIdOf('victim@example.jp'))[0]!.status).toBe('active');
    const res = await post('admin', `/staff/accounts/${victim.id}/disable`, { confirm: 'yes' });
    expect(res.headers.get('location')).toBe(`/staff/accounts/${victim.id}?done=status`);
    const next = await get('victim', '/staff');
    expect(next.status).toBe(302);
    expect(next.headers.get('location')).toBe('/staff/login');
    expect(await rows(t.database, sql`select id from staff_sessions where account_id = ${victim.id}`)).toEqual([]);
  });

  it('an administrator cannot disable themself as the last prefecture administrator: a Japanese message, no change', async () => {
    const res = await post('admin', `/staff/accounts/${sessions.admin!.id}/disable`, { confirm: 'yes' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('有効な県管理者が1人もいなくなるため');
    expect((await accountIdOf('admin@example.jp'))[0]!.status).toBe('active');
  });
});

describe('the link pages under /id', () => {
  it('an invitation: the page shows the QR code and the secret; a wrong code keeps the form; then ten recovery codes', async () => {
    const { link } = await invite('accept@example.jp');
    const page = await t.app.request(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('<svg');
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(html)![1]!;
    const wrong = await postPublic(link, { password, password2: password, code: '000000' === currentTotp(secret) ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('確認コードが正しくありません。');
    const done = await postPublic(link, { password, password2: password, code: await nextTotp(secret) });
    expect(done.status).toBe(200);
    const codes = [...(await done.text()).matchAll(/<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/code><\/li>/g)];
    expect(codes).toHaveLength(10);
    secrets.push(secret, ...codes.map((m) => m[1]!));
    expect((await accountIdOf('accept@example.jp'))[0]!.status).toBe('active');
    // used: a clear page, also for a second POST
    for (const res of [
      await t.app.request(link),
      await postPublic(link, { password, password2: password, code: await nextTotp(secret) }),
    ]) {
      expect(res.status).toBe(410);
      expect(await res.text()).toContain('このリンクはすでに使用されています。');
    }
  });

  it('garbage, expired and oversized: Japanese pages, never a 5xx', async () => {
    for (const path of ['/id/link/nonsense', `/id/link/${'a'.repeat(43)}`, '/id/setup/%00%ff', `/id/link/${'x'.repeat(5000)}`]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain('このリンクは正しくありません。');
    }
    const { link } = await invite('late@example.jp');
    // an open invitation is no setup link: its token on the setup page is unknown there
    const asSetup = await t.app.request(link.replace('/id/link/', '/id/setup/'));
    expect(asSetup.status).toBe(404);
    expect(await asSetup.text()).toContain('このリンクは正しくありません。');
    await t.database.db.execute(sql`update account_links set expires_at = now() - interval '1 second'`);
    const late = await t.app.request(link);
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('有効期限が切れています');
    const big = await postPublic(link, { password: 'x'.repeat(40_000), password2: '', code: '' });
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('送信内容が大きすぎます');
    expect(t.errors).toEqual([]);
  });

  it('guesses are slowed per address: after 20 tries in five minutes a Japanese 429, before the link is even looked up', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await postPublic(`/id/link/${'b'.repeat(43)}`, { code: '123456' })).status);
    expect(statuses.slice(0, 15).every((s) => s === 404)).toBe(true);
    const last = await postPublic(`/id/link/${'b'.repeat(43)}`, { code: '123456' });
    expect(last.status).toBe(429);
    expect(await last.text()).toContain('試行が多すぎます。');
  });

  it('the setup link does not work once an account exists', async () => {
    expect(await t.identity.commands.issueSetupLink()).toBeNull();
  });
});

describe('/staff/me', () => {
  it('shows the person’s sign-ins and recovery codes left; new codes are shown once', async () => {
    const html = await (await get('viewer', '/staff/me')).text();
    expect(html).toContain('使えるリカバリーコード: 残り0個');
    expect(html).toContain('最近のサインイン');
    const res = await post('viewer', '/staff/me/recovery-codes', {});
    expect(res.headers.get('location')).toBe('/staff/me/recovery-codes');
    const shown = await (await get('viewer', '/staff/me/recovery-codes')).text();
    expect([...shown.matchAll(/<li><code>[a-z2-9-]{14}<\/code><\/li>/g)]).toHaveLength(10);
    const reload = await get('viewer', '/staff/me/recovery-codes');
    expect(reload.status).toBe(303);
    expect(await (await get('viewer', '/staff/me')).text()).toContain('残り10個');
  });

  it('a wrong current password is refused beside its field; the right one changes it', async () => {
    const next = 'the next long password';
    secrets.push(next);
    const wrong = await post('viewer', '/staff/me/password', { current: 'nope', password: next, password2: next });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('id="current-error"');
    const ok = await post('viewer', '/staff/me/password', { current: password, password: next, password2: next });
    expect(ok.headers.get('location')).toBe('/staff/me?changed=1');
  });
});

describe('logs', () => {
  it('no password, token, TOTP secret or recovery code reaches the console or the audit log', async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const audit = JSON.stringify(await rows(t.database, sql`select * from audit_log`));
    for (const s of secrets) {
      expect(logged.join('\n')).not.toContain(s);
      expect(audit).not.toContain(s);
    }
  });
});
