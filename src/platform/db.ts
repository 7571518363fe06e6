import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { AppError } from './errors.ts';

export type Db = PgDatabase<PgQueryResultHKT>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  /**
   * Waits until no other process holds `name`, then holds it until the returned function is called:
   * servers starting together on one PostgreSQL migrate and load default data one at a time.
   */
  lock(name: string): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * PGlite runs inside one process: a second process opening the same directory would not see the
 * first one's writes and could damage the files. The directory is claimed with a pid file.
 */
function claimDataDir(dataDir: string): () => void {
  const pidFile = join(dataDir, 'renkei.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      // no such process: a stale claim left by a crash
    }
    if (alive)
      throw new AppError(
        409,
        'data_dir_in_use',
        `埋め込みデータベース（${dataDir}）はプロセス ${pid} が使用中です。サーバーを停止してから実行してください。`,
      );
  }
  writeFileSync(pidFile, String(process.pid));
  return () => rmSync(pidFile, { force: true });
}

/** Embedded PostgreSQL (PGlite): a data directory on disk, a tarball to start from, or memory. */
export async function openPglite(source?: { dataDir?: string; loadDataDir?: Blob }): Promise<Database & { client: PGlite }> {
  let release = () => {};
  if (source?.dataDir) {
    mkdirSync(source.dataDir, { recursive: true });
    release = claimDataDir(source.dataDir);
  }
  const client = await PGlite.create(source?.dataDir, source?.loadDataDir ? { loadDataDir: source.loadDataDir } : {});
  const db = drizzlePglite(client) as unknown as Db;
  return {
    db,
    client,
    kind: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    // The data directory is claimed by this process already.
    lock: async () => async () => {},
    close: async () => {
      await client.close();
      release();
    },
  };
}

/** A PostgreSQL server (15 or later) at `url`. */
export async function openPostgres(url: string, max = 10): Promise<Database & { pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection the server ends (a restart, a dropped database) is replaced on next use; without
  // a listener node-postgres would throw it and end the process.
  pool.on('error', (err) => console.error(`PostgreSQL: an idle connection ended (${err.message})`));
  // numeric stays a string in node-postgres; drizzle's numeric({ mode: 'number' }) converts it.
  await pool.query('select 1');
  const db = drizzlePg(pool) as unknown as Db;
  return {
    db,
    pool,
    kind: 'postgres',
    migrate: () => migratePg(db as never, { migrationsFolder }),
    async lock(name) {
      // A session lock, on a connection kept aside; should the process die, the server releases it.
      const client = await pool.connect();
      await client.query('select pg_advisory_lock(hashtext($1))', [name]);
      return async () => {
        await client.query('select pg_advisory_unlock(hashtext($1))', [name]);
        client.release();
      };
    },
    close: () => pool.end(),
  };
}

export function openDatabase(config: { DATABASE_URL?: string; DATA_DIR: string }): Promise<Database> {
  return config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : openPglite({ dataDir: config.DATA_DIR });
}
