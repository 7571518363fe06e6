// The embedded database's directory belongs to one process at a time.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPglite } from './db.ts';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-claim-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the embedded database directory', () => {
  it('is refused, in Japanese, while another live process holds it', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'renkei.pid'), String(process.ppid));
    await expect(openPglite({ dataDir: dir })).rejects.toThrow('使用中です。サーバーを停止してから実行してください');
    expect(readFileSync(join(dir, 'renkei.pid'), 'utf8')).toBe(String(process.ppid));
  });

  it('is claimed when the holder is gone, and released on close', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'renkei.pid'), '2147483646'); // no such process
    const database = await openPglite({ dataDir: dir });
    expect(readFileSync(join(dir, 'renkei.pid'), 'utf8')).toBe(String(process.pid));
    await database.close();
    expect(existsSync(join(dir, 'renkei.pid'))).toBe(false);
  });
});
