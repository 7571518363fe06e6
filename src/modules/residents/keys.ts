// The residents key ring: from RESIDENTS_KEYS, or else from a key file made at first start. Key
// material is never logged: every message names a path or a key id only.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../config.ts';
import { keyIdPattern, newKey, type KeyRing, type ResidentKey } from './crypto.ts';

export interface KeySettings {
  DATA_DIR: string;
  RESIDENTS_KEYS?: string;
  RESIDENTS_KEY_FILE?: string;
}

/** Where the ring came from: rotation writes a key file itself, but RESIDENTS_KEYS is the operator's to edit. */
export type KeySource = { ring: KeyRing; file: string } | { ring: KeyRing; file?: undefined };

// By default in DATA_DIR (like renkei.pid; with PostgreSQL nothing else is there), so a test's or a
// fresh installation's directory holds it; production sets RESIDENTS_KEY_FILE apart from the backups.
export const keyFilePath = (s: KeySettings) => resolve(s.RESIDENTS_KEY_FILE ?? join(s.DATA_DIR, 'residents-keys.json'));

const keyBytes = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(v), '鍵は32バイトのbase64です');
const keyFile = z.object({
  format: z.literal('renkei-residents-keys/1'),
  current: z.string().regex(keyIdPattern),
  keys: z
    .array(z.object({ id: z.string().regex(keyIdPattern), key: keyBytes, createdAt: z.string(), retiredAt: z.string().optional() }))
    .min(1),
});
export type KeyFile = z.infer<typeof keyFile>;

/** `RESIDENTS_KEYS=<id>:<base64 32 bytes>,…`: the first seals new values, the others still open old ones. */
export function parseKeySetting(value: string): KeyRing {
  const keys = new Map<string, ResidentKey>();
  for (const entry of value.split(',').map((e) => e.trim())) {
    const [id = '', key = '', extra] = entry.split(':');
    if (extra !== undefined || !keyIdPattern.test(id) || !keyBytes.safeParse(key).success)
      throw new ConfigError(
        `設定エラー / configuration error: RESIDENTS_KEYS: 「<鍵ID>:<32バイトのbase64>」をカンマ区切りで指定してください（${keys.size + 1}番目が不正です）。`,
      );
    if (keys.has(id)) throw new ConfigError(`設定エラー / configuration error: RESIDENTS_KEYS: 鍵ID ${id} が重複しています。`);
    keys.set(id, { id, key: Buffer.from(key, 'base64') });
  }
  return { current: [...keys.keys()][0]!, keys };
}

export function ringOf(file: KeyFile): KeyRing {
  const keys = new Map(file.keys.map((k) => [k.id, { id: k.id, key: Buffer.from(k.key, 'base64'), retiredAt: k.retiredAt }]));
  return { current: file.current, keys };
}

export function readKeyFile(path: string): KeyFile {
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077)
    throw new ConfigError(
      `設定エラー / configuration error: 個人データの鍵ファイル ${path} がグループまたは他のユーザーから読めます（モード ${mode.toString(8).padStart(4, '0')}）。` +
        `所有者だけが読めるように chmod 600 ${path} を実行してから起動してください。`,
    );
  let parsed: ReturnType<typeof keyFile.safeParse>;
  try {
    parsed = keyFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    parsed = { success: false } as typeof parsed;
  }
  if (!parsed.success || !parsed.data.keys.some((k) => k.id === parsed.data.current))
    throw new ConfigError(
      `設定エラー / configuration error: 個人データの鍵ファイル ${path} の形式が正しくありません。バックアップから戻してください（作り直すと保存済みの個人データは読めなくなります）。`,
    );
  return parsed.data;
}

/** Written whole to a temporary file and renamed, so a crash leaves the old file or the new one, never half. */
export function writeKeyFile(path: string, file: KeyFile) {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, path);
}

export const keyFileEntry = (k: ResidentKey, createdAt = new Date().toISOString()) => ({
  id: k.id,
  key: k.key.toString('base64'),
  createdAt,
});

/** The ring the server and the CLI use; a key file is created (mode 0600) when neither exists yet. */
export function loadResidentKeys(s: KeySettings): KeySource {
  if (s.RESIDENTS_KEYS) return { ring: parseKeySetting(s.RESIDENTS_KEYS) };
  const path = keyFilePath(s);
  let exists = true;
  try {
    statSync(path);
  } catch {
    exists = false;
  }
  if (!exists) {
    // Linked into place, which fails if another process starting at the same time made one first:
    // then both use that one, never two different keys.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const key = newKey();
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ format: 'renkei-residents-keys/1', current: key.id, keys: [keyFileEntry(key)] }, null, 2)}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    try {
      linkSync(tmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
  }
  return { ring: ringOf(readKeyFile(path)), file: path };
}
