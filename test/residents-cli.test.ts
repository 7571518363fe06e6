// npm run residents: key rotation from the command line on an embedded database, messages in Japanese.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDir, serverEnv, stopServers } from './npm-start.ts';

afterEach(stopServers);
const cli = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/residents.ts', ...args], {
    cwd: new URL('..', import.meta.url).pathname,
    env: serverEnv(dir, {}),
    encoding: 'utf8',
  });
const keyFile = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'residents-keys.json'), 'utf8')) as { current: string; keys: { id: string; retiredAt?: string }[] };

describe('npm run residents', () => {
  it('rotate-key adds a key and retires the old one; remove-retired-keys then drops it; anything else shows the usage', () => {
    const dir = freshDir();
    const rotated = cli(dir, 'rotate-key');
    expect(rotated.stderr.replace(/^.*WARNING.*\n/gm, '')).toBe('');
    expect(rotated.status).toBe(0);
    const file = keyFile(dir);
    const [old, current] = file.keys;
    expect(file.current).toBe(current!.id);
    expect(old!.retiredAt).toBeTruthy();
    expect(rotated.stdout).toContain(
      `新しい鍵 ${current!.id} を ${join(dir, 'residents-keys.json')} に追加し、0件の行（プロフィール・登録データ・各機能が保管する個人データ）を再暗号化しました。`,
    );
    expect(rotated.stdout).toContain(`使われなくなった鍵: ${old!.id}`);

    const removed = cli(dir, 'remove-retired-keys');
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain(`削除した鍵: ${old!.id}`);
    expect(keyFile(dir).keys.map((k) => k.id)).toEqual([current!.id]);

    const wrong = cli(dir, 'rotate');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('使い方: npm run residents -- rotate-key | remove-retired-keys');
  }, 120_000);
});
