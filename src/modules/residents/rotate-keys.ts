// Key rotation: every sealed value moves under the ring's current key, one transaction per batch, so
// a stop part-way leaves each value under the old key or the new one, both still in the ring.
import type { Db } from '../../platform/db.ts';
import { ConfigError } from '../../config.ts';
import { AppError } from '../../platform/errors.ts';
import { newKey, open, seal, type KeyRing } from './crypto.ts';
import { heldPlace, heldSealedColumns } from './held.ts';
import { keyFileEntry, readKeyFile, ringOf, writeKeyFile, type KeySource } from './keys.ts';
import { itemPlace, openProfile, sealProfile } from './profiles.ts';
import { lockHeldNotUnder, updateHeldRow } from './repository-held.ts';
import { lockItemsNotUnder, updateItemValue } from './repository-mydata.ts';
import { lockProfilesNotUnder, sealedValuesByKey, updateSealedFields } from './repository.ts';

/** Reseals every profile and data item with a value under another key than the current one; answers how many rows. */
export async function resealAll(db: Db, ring: KeyRing, batch = 100): Promise<number> {
  const profiles = await inBatches(db, batch, async (tx) => {
    const rows = await lockProfilesNotUnder(tx, ring.current, batch);
    for (const row of rows) await updateSealedFields(tx, sealProfile(ring, openProfile(ring, row)));
    return rows.length;
  });
  const items = await inBatches(db, batch, async (tx) => {
    const rows = await lockItemsNotUnder(tx, ring.current, batch);
    for (const row of rows) {
      const place = itemPlace(row.residentId, row.category);
      await updateItemValue(tx, { ...row, value: seal(ring, open(ring, row.value, place), place) });
    }
    return rows.length;
  });
  return profiles + items;
}

/** A held value rotation could not open: left as it was (its key stays in use), reported by place, never by value. */
export interface HeldFailure {
  table: string;
  column: string;
  rowId: string;
  /** resident_data_unreadable (changed or misplaced) or resident_key_missing (its key is not in the ring). */
  code: string;
}

/**
 * Reseals the values other modules hold (every table and column of heldSealedColumns), each opened and
 * sealed again in its own place, in batches of `batch` rows, one transaction per batch. A value that
 * does not open is reported and skipped (the run goes on after it), never dropped or overwritten.
 */
export async function resealHeld(db: Db, ring: KeyRing, batch = 100): Promise<{ resealed: number; failed: HeldFailure[] }> {
  let resealed = 0;
  const failed: HeldFailure[] = [];
  for (const t of heldSealedColumns) {
    let after = '';
    for (;;) {
      const n = await db.transaction(async (tx) => {
        const rows = await lockHeldNotUnder(tx, t, ring.current, after, batch);
        for (const row of rows) {
          const next: Record<string, string> = {};
          for (const [column, value] of Object.entries(row.values)) {
            if (!value?.startsWith('v1.') || value.split('.')[1] === ring.current) continue;
            const place = heldPlace(t, column, row.rowId);
            try {
              next[column] = seal(ring, open(ring, value, place), place);
            } catch (err) {
              if (!(err instanceof AppError)) throw err;
              failed.push({ table: t.table, column, rowId: row.rowId, code: err.code });
            }
          }
          await updateHeldRow(tx, t, row.rowId, next);
          if (Object.keys(next).length) resealed++;
          after = row.rowId;
        }
        return rows.length;
      });
      if (n < batch) break;
    }
  }
  return { resealed, failed };
}

async function inBatches(db: Db, batch: number, step: (tx: Db) => Promise<number>): Promise<number> {
  let done = 0;
  for (;;) {
    const n = await db.transaction(step);
    done += n;
    if (n < batch) return done;
  }
}

export interface Rotation {
  newKeyId: string;
  /** Rows resealed: profiles, data items and held rows. */
  resealed: number;
  /** Held values that did not open (left under their key, which therefore stays in use). */
  failed: HeldFailure[];
  /** Keys no value uses any more: removable (remove-retired-keys). */
  unused: string[];
}

/**
 * With a key file: a new key is added and made current (written before any value moves), every value
 * (the residents' own, then the held ones) is resealed, then the older keys are marked retired. With RESIDENTS_KEYS the operator has put the
 * new key first; only the resealing is done here.
 */
export async function rotateKeys(db: Db, source: KeySource, batch?: number): Promise<Rotation> {
  let ring = source.ring;
  if (source.file) {
    const file = readKeyFile(source.file);
    const key = newKey();
    writeKeyFile(source.file, { ...file, current: key.id, keys: [...file.keys, keyFileEntry(key)] });
    ring = ringOf(readKeyFile(source.file));
  }
  const own = await resealAll(db, ring, batch);
  const held = await resealHeld(db, ring, batch);
  const used = await sealedValuesByKey(db);
  if (source.file) {
    const file = readKeyFile(source.file);
    const now = new Date().toISOString();
    writeKeyFile(source.file, {
      ...file,
      keys: file.keys.map((k) => (k.id === ring.current ? k : { ...k, retiredAt: k.retiredAt ?? now })),
    });
  }
  const unused = [...ring.keys.keys()].filter((id) => id !== ring.current && !used.get(id));
  return { newKeyId: ring.current, resealed: own + held.resealed, failed: held.failed, unused };
}

/** Drops retired keys from the key file once no stored value uses them; answers the ids removed and those still in use. */
export async function removeRetiredKeys(db: Db, file: string) {
  const used = await sealedValuesByKey(db);
  const keys = readKeyFile(file);
  const retired = keys.keys.filter((k) => k.retiredAt && k.id !== keys.current);
  const removed = retired.filter((k) => !used.get(k.id)).map((k) => k.id);
  const inUse = retired.filter((k) => used.get(k.id)).map((k) => k.id);
  writeKeyFile(file, { ...keys, keys: keys.keys.filter((k) => !removed.includes(k.id)) });
  return { removed, inUse };
}

/**
 * Refuses to start when stored values name keys the ring lacks: a lost or replaced key file (a new
 * one would be made silently) or a process given another ring than its peers on one database.
 */
export async function checkKeysCover(db: Db, ring: KeyRing) {
  const missing = [...(await sealedValuesByKey(db)).keys()].filter((id) => !ring.keys.has(id));
  if (missing.length)
    throw new ConfigError(
      `設定エラー / configuration error: 保存済みの個人データの鍵（鍵ID ${missing.join(', ')}）が鍵リングにありません。` +
        '鍵ファイルをバックアップから戻すか、RESIDENTS_KEYS に加えてください（同じデータベースを使うサーバーはすべて同じ鍵を使います）。',
    );
}
