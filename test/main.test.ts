// The server as `npm start` runs it: a warning while NGSI-LD access tokens are off, none otherwise;
// a restart after kill -9 on the embedded database.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processIdentity } from '../src/platform/db.ts';
import { children, freshDir, serverEnv, startServer, stopServers } from './npm-start.ts';

const fresh = freshDir;
const start = startServer;
afterEach(stopServers);
const state = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
};

/** `npm start` that is expected to stop: its exit code and what it wrote. */
async function refusal(dir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: serverEnv(dir, { PORT: '0', ...env }),
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  // Node's own warnings (an unsupported runtime for a dependency) are not the server's.
  return { code, stdout, stderr: stderr.replace(/^.*WARNING.*\n/gm, '') };
}

async function startOutput(env: Record<string, string>): Promise<string> {
  const server = await start(fresh(), env);
  server.child.kill('SIGTERM');
  await server.closed;
  return server.output();
}

describe('npm start', () => {
  it('a fresh installation prints the first administrator’s setup link once; once an account exists it prints none', async () => {
    const dir = fresh();
    const first = await start(dir);
    const lines = first
      .output()
      .split('\n')
      .filter((l) => l.includes('/id/setup/'));
    expect(lines).toHaveLength(1);
    const link =
      /アカウントがまだありません。最初の管理者を次のURLで登録してください（72時間有効）: (http:\/\/127\.0\.0\.1:\d+\/id\/setup\/[A-Za-z0-9_-]{43})$/.exec(
        lines[0]!,
      )![1]!;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('最初の管理者の登録');
    first.child.kill('SIGTERM');
    await first.closed;
    const base: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir };
    delete base.DATABASE_URL;
    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/staff.ts', 'create-admin', '--email', 'a@example.jp', '--name', '管理 者'],
      {
        cwd: new URL('..', import.meta.url).pathname,
        env: base,
        encoding: 'utf8',
      },
    );
    expect(cli.status).toBe(0);
    const second = await start(dir);
    expect(second.output()).not.toContain('/id/setup/');
    second.child.kill('SIGTERM');
    await second.closed;
  }, 120_000);

  it('warns while NGSI_LD_AUTH=off, and not when it is on', async () => {
    expect(await startOutput({ NGSI_LD_AUTH: 'off' })).toContain(
      'NGSI_LD_AUTH=off のため、NGSI-LD の読み書きにアクセストークンを求めません',
    );
    expect(await startOutput({})).not.toContain('NGSI_LD_AUTH=off');
  }, 60_000);

  it('a bad NGSI_LD_CONTEXTS file: one line naming the variable, the file and the problem; exit 1 before the database is opened', async () => {
    const dir = fresh();
    const contexts = join(dir, 'contexts.json');
    writeFileSync(contexts, '{\n  "https://example.jp/ctx.jsonld": "ctx.jsonld",\n}\n');
    const data = join(dir, 'data');
    const { code, stdout, stderr } = await refusal(data, { NGSI_LD_CONTEXTS: contexts });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^設定エラー / configuration error: NGSI_LD_CONTEXTS \\(${contexts}\\): JSON として読めません / not valid JSON — .* \\(line 3, column 1\\)\n$`,
      ),
    );
    expect(stdout).not.toContain('Renkei: http');
    expect(existsSync(data)).toBe(false);
  }, 60_000);

  it('a residents key file readable by others: one line naming the file and chmod 600, exit 1 before the database is opened', async () => {
    const dir = fresh();
    const keys = join(dir, 'keys.json');
    const key = Buffer.alloc(32, 3).toString('base64');
    writeFileSync(keys, JSON.stringify({ format: 'renkei-residents-keys/1', current: 'k1', keys: [{ id: 'k1', key, createdAt: 'x' }] }), {
      mode: 0o644,
    });
    chmodSync(keys, 0o644);
    const data = join(dir, 'data');
    const { code, stdout, stderr } = await refusal(data, { RESIDENTS_KEY_FILE: keys });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^設定エラー / configuration error: 個人データの鍵ファイル ${keys} .*モード 0644.*chmod 600 ${keys}.*\n$`),
    );
    expect(stderr + stdout).not.toContain(key);
    expect(existsSync(data)).toBe(false);
  }, 60_000);

  it('stored personal data under a key the ring lacks (a lost key file): one line naming the key id, exit 1', async () => {
    const dir = fresh();
    // A profile sealed under the first start's key file, which is then lost.
    const seed = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { openPglite } = await import('./src/platform/db.ts');
         const r = await import('./src/modules/residents/index.ts');
         const { ring } = r.loadResidentKeys({ DATA_DIR: process.argv[1] });
         const db = await openPglite({ dataDir: process.argv[1] });
         await db.migrate();
         await (await import('./src/modules/residents/profiles.ts')).saveProfile(db.db, ring, { residentId: 'r1', municipalityCode: '02201', name: '青森 花子' });
         await db.close();
         console.log(ring.current);`,
        dir,
      ],
      { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8' },
    );
    expect(seed.status).toBe(0);
    const lost = seed.stdout.trim();
    rmSync(join(dir, 'residents-keys.json'));
    const { code, stdout, stderr } = await refusal(dir, {});
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^設定エラー / configuration error: 保存済みの個人データの鍵（鍵ID ${lost}）が鍵リングにありません。.*\\n$`),
    );
    expect(stdout).not.toContain('Renkei: http');
  }, 60_000);

  it('an embedded database in use by a live process: one line, exit 1', async () => {
    const data = fresh();
    writeFileSync(join(data, 'renkei.pid'), processIdentity(process.pid) ?? String(process.pid));
    const { code, stderr } = await refusal(data, {});
    expect(code).toBe(1);
    expect(stderr).toBe(
      `埋め込みデータベース（${data}）はプロセス ${process.pid} が使用中です。サーバーを停止してから実行してください。\n`,
    );
  }, 60_000);

  it('starts again on the same embedded database after kill -9, every time, also when the killed server stays a zombie', async () => {
    const dir = fresh();
    const zombies = existsSync('/proc/self/stat');
    for (let round = 0; round < 4; round++) {
      const unreaped = zombies && round % 2 === 1;
      const server = await start(dir, {}, unreaped);
      const healthy = await fetch(new URL('/healthz', server.output().match(/http:\/\/[\d.:]+\//)![0]));
      expect(healthy.status).toBe(200);
      process.kill(server.pid, 'SIGKILL');
      if (unreaped) await expect.poll(() => state(server.pid), { timeout: 5000 }).toBe('Z');
      else await server.closed;
    }
  }, 180_000);
});
