import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config.ts';
import { keyFilePath, loadResidentKeys, parseKeySetting } from './keys.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'renkei-keys-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('not refused');
};

describe('residents key ring', () => {
  it('creates a key file at first start, mode 0600, in DATA_DIR, and reads the same key again', () => {
    const dir = tempDir();
    const settings = { DATA_DIR: join(dir, 'pglite') };
    const first = loadResidentKeys(settings);
    expect(first.file).toBe(join(dir, 'pglite', 'residents-keys.json'));
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    const again = loadResidentKeys(settings);
    expect(again.ring.current).toBe(first.ring.current);
    expect(again.ring.keys.get(again.ring.current)!.key.equals(first.ring.keys.get(first.ring.current)!.key)).toBe(true);
    expect(first.ring.keys.get(first.ring.current)!.key).toHaveLength(32);
  });

  it('refuses at start a key file readable by group or others, naming the path and the fix, never the key', () => {
    const dir = tempDir();
    const settings = { DATA_DIR: dir, RESIDENTS_KEY_FILE: join(dir, 'keys.json') };
    const { ring } = loadResidentKeys(settings);
    chmodSync(keyFilePath(settings), 0o644);
    const message = refusal(() => loadResidentKeys(settings));
    expect(message).toContain('0644');
    expect(message).toContain(`chmod 600 ${join(dir, 'keys.json')}`);
    expect(message).not.toContain(ring.keys.get(ring.current)!.key.toString('base64'));
    chmodSync(keyFilePath(settings), 0o640);
    expect(refusal(() => loadResidentKeys(settings))).toContain('0640');
  });

  it('refuses a malformed key file (not JSON, a short key, a current key not in it) without rewriting it', () => {
    const dir = tempDir();
    const path = join(dir, 'keys.json');
    const settings = { DATA_DIR: dir, RESIDENTS_KEY_FILE: path };
    const key = Buffer.alloc(32, 7).toString('base64');
    for (const text of [
      '{',
      JSON.stringify({ format: 'renkei-residents-keys/1', current: 'a', keys: [{ id: 'a', key: 'c2hvcnQ=', createdAt: 'x' }] }),
      JSON.stringify({ format: 'renkei-residents-keys/1', current: 'b', keys: [{ id: 'a', key, createdAt: 'x' }] }),
    ]) {
      writeFileSync(path, text, { mode: 0o600 });
      expect(refusal(() => loadResidentKeys(settings))).toContain('形式が正しくありません');
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('reads RESIDENTS_KEYS as a ring whose first key seals, and refuses a malformed one without echoing it', () => {
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64url');
    const ring = parseKeySetting(`k2:${b}, k1:${a}`);
    expect(ring.current).toBe('k2');
    expect([...ring.keys.keys()]).toEqual(['k2', 'k1']);
    expect(ring.keys.get('k1')!.key.equals(Buffer.alloc(32, 1))).toBe(true);
    for (const bad of [`k1:${a.slice(4)}`, `k.1:${a}`, `k1:${a}:x`, `k1:${a},k1:${a}`]) {
      const message = refusal(() => parseKeySetting(bad));
      expect(message).toContain('RESIDENTS_KEYS');
      expect(message).not.toContain(a.slice(4));
    }
    const dir = tempDir();
    expect(loadResidentKeys({ DATA_DIR: dir, RESIDENTS_KEYS: `k1:${a}` }).file).toBeUndefined();
  });
});
