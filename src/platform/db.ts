import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { conflict } from './errors.ts';

/** What a raw statement gives on both drivers: node-postgres' QueryResult and PGlite's Results both carry its rows. */
interface RawResult<Row> {
  rows: Row[];
}
interface RowsResultHKT extends PgQueryResultHKT {
  readonly type: RawResult<this['row']>;
}
/** Either driver's database: `execute` gives `{ rows }`, checked against both drivers' result types. */
export type Db = PgDatabase<RowsResultHKT>;

/** The rows of a raw statement; `Row` says what its select list gives (the SQL is not checked against it). */
export async function rows<Row extends Record<string, unknown>>(db: Db, query: SQL): Promise<Row[]> {
  return (await db.execute<Row>(query)).rows;
}

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

const procfs = existsSync('/proc/self/stat');
const bootId = (() => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'boot';
  }
})();

/**
 * A process as a claim names it: its pid and, on Linux, when it started (this boot's id and
 * /proc/<pid>/stat field 22), since pids are reused. Undefined when no such process runs — a zombie
 * (state Z, killed but not yet reaped by its parent) or a dead one (X) does not — and without /proc.
 */
export function processIdentity(pid: number): string | undefined {
  if (!procfs) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, the fields after it do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : `${pid} ${bootId}/${fields[19]}`;
  } catch {
    return undefined;
  }
}

/** The pid of the live process holding a claim file's text, or undefined when the claim is stale. */
function holder(claim: string): number | undefined {
  const [first, started] = claim.trim().split(' ', 2);
  const pid = Number(first);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  if (procfs) {
    const now = processIdentity(pid);
    // A claim written by an older version holds only the pid.
    return now && (started === undefined || now === `${pid} ${started}`) ? pid : undefined;
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/**
 * PGlite runs inside one process: a second process opening the same directory would not see the
 * first one's writes and could damage the files. The directory is claimed with a file naming this
 * process; a claim whose process is gone — killed, a zombie, its pid now another program's — is taken over.
 */
export function claimDataDir(dataDir: string): () => void {
  const pidFile = join(dataDir, 'renkei.pid');
  const me = processIdentity(process.pid) ?? String(process.pid);
  const read = () => {
    try {
      return readFileSync(pidFile, 'utf8');
    } catch {
      return '';
    }
  };
  // Created exclusively, so of two servers started at once only one holds the claim.
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(pidFile, me, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err;
    }
    const pid = holder(read());
    if (pid !== undefined)
      throw conflict(
        'data_dir_in_use',
        `埋め込みデータベース（${dataDir}）はプロセス ${pid} が使用中です。サーバーを停止してから実行してください。`,
      );
    rmSync(pidFile, { force: true });
  }
  return () => {
    if (read() === me) rmSync(pidFile, { force: true });
  };
}

/** Embedded PostgreSQL (PGlite): a data directory on disk, a tarball to start from, or memory. */
export async function openPglite(source?: { dataDir?: string; loadDataDir?: Blob }): Promise<Database & { client: PGlite }> {
  let release = () => {};
  if (source?.dataDir) {
    mkdirSync(source.dataDir, { recursive: true });
    release = claimDataDir(source.dataDir);
  }
  const client = await PGlite.create(source?.dataDir, source?.loadDataDir ? { loadDataDir: source.loadDataDir } : {});
  const db = drizzlePglite(client);
  return {
    db,
    client,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
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
  const db = drizzlePg(pool);
  return {
    db,
    pool,
    kind: 'postgres',
    migrate: () => migratePg(db, { migrationsFolder }),
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
