// The staff CLI's messages: Japanese, naming the option; and the CLI itself exits 1 with them, run
// with tsx against a throwaway embedded database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { accountOptionProblem, argumentProblem } from './messages.ts';

const ok = { email: 'kikaku@example.jp', name: '企画 花子', roles: ['viewer'] };
const roleList = 'prefecture_admin, plan_admin, department_editor, municipality_editor, approver, viewer';

describe('accountOptionProblem', () => {
  it('accepts good options', () => {
    expect(accountOptionProblem(ok)).toBeNull();
    expect(accountOptionProblem({ ...ok, roles: ['department_editor'], department: '総合政策部DX推進課' })).toBeNull();
    expect(accountOptionProblem({ ...ok, roles: ['municipality_editor'], municipality: '02201' })).toBeNull();
  });

  it('names the option and says what is allowed, in Japanese', () => {
    expect(accountOptionProblem({ ...ok, roles: ['admin'] })).toBe(
      `--roles: 「admin」という役割はありません。役割は ${roleList} のいずれかです。`,
    );
    expect(accountOptionProblem({ ...ok, roles: [] })).toBe(
      `--roles: 役割を1つ以上、カンマ区切りで指定してください。役割は ${roleList} のいずれかです。`,
    );
    expect(accountOptionProblem({ ...ok, email: 'kikaku.example.jp' })).toBe(
      '--email: 「kikaku.example.jp」はメールアドレスの形式ではありません（例: kikaku@example.jp）。',
    );
    expect(accountOptionProblem({ ...ok, email: undefined })).toMatch(/^--email: メールアドレスを指定してください/);
    expect(accountOptionProblem({ ...ok, name: ' ' })).toMatch(/^--name: 氏名を指定してください/);
    expect(accountOptionProblem({ ...ok, roles: ['department_editor'] })).toMatch(/^--department: 部局編集者/);
    expect(accountOptionProblem({ ...ok, roles: ['municipality_editor'] })).toMatch(/^--municipality: 市町村編集者/);
    expect(accountOptionProblem({ ...ok, municipality: '2201' })).toMatch(/^--municipality: 市町村コードは5桁の数字です/);
  });
});

describe('argumentProblem', () => {
  const error = (args: string[]) => {
    try {
      parseArgs({ args, allowPositionals: true, options: { email: { type: 'string' } } });
    } catch (err) {
      return argumentProblem(err);
    }
    return 'no error';
  };
  it('an unknown option or a missing value, in Japanese with the option', () => {
    expect(error(['create', '--role', 'viewer'])).toBe('--role: そのようなオプションはありません。使い方は npm run staff で表示します。');
    expect(error(['create', '--email'])).toBe('--email: 値を指定してください。');
  });
});

describe('the CLI (tsx, a throwaway embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: join(dir, 'pglite') };
    delete env.DATABASE_URL;
    return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/staff.ts', ...args], { env, encoding: 'utf8', timeout: 60_000 });
  };

  it('a bad role, a bad e-mail, an unknown option: a Japanese line naming the option, exit code 1, no account', () => {
    const role = run('create', '--email', 'kikaku@example.jp', '--name', '企画 花子', '--roles', 'viewer,editor');
    expect(role.status).toBe(1);
    expect(role.stderr.trim().split('\n').at(-1)).toBe(
      `エラー: --roles: 「editor」という役割はありません。役割は ${roleList} のいずれかです。`,
    );
    const email = run('create', '--email', 'kikaku', '--name', '企画 花子', '--roles', 'viewer');
    expect(email.status).toBe(1);
    expect(email.stderr).toContain('エラー: --email: 「kikaku」はメールアドレスの形式ではありません');
    const unknown = run('create', '--role', 'viewer');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('エラー: --role: そのようなオプションはありません。');
    for (const r of [role, email, unknown]) expect(r.stderr).not.toMatch(/Invalid|Unknown option|at .+\.ts:\d+/);
    // the same e-mail is still free: the refused runs created nothing
    const good = run('create', '--email', 'kikaku@example.jp', '--name', '企画 花子', '--roles', 'viewer');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('アカウントを作成しました（招待中）: kikaku@example.jp');
    // an invitation link, not a password: the person chooses the password in the browser
    expect(good.stdout).toMatch(/^http:\/\/127\.0\.0\.1:3000\/id\/link\/[A-Za-z0-9_-]{43}$/m);
    expect(good.stdout).not.toContain('パスワード（');
  }, 120_000);
});
