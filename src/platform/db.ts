import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

export type Db = PgDatabase<PgQueryResultHKT>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Embedded PostgreSQL (PGlite): a data directory on disk, a tarball to start from, or memory. */
export async function openPglite(source?: { dataDir?: string; loadDataDir?: Blob }): Promise<Database & { client: PGlite }> {
  if (source?.dataDir) mkdirSync(source.dataDir, { recursive: true });
  const client = await PGlite.create(source?.dataDir, source?.loadDataDir ? { loadDataDir: source.loadDataDir } : {});
  const db = drizzlePglite(client) as unknown as Db;
  return {
    db,
    client,
    kind: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: () => client.close(),
  };
}

/** A PostgreSQL server (15 or later) at `url`. */
export async function openPostgres(url: string, max = 10): Promise<Database & { pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: url, max });
  // numeric stays a string in node-postgres; drizzle's numeric({ mode: 'number' }) converts it.
  await pool.query('select 1');
  const db = drizzlePg(pool) as unknown as Db;
  return {
    db,
    pool,
    kind: 'postgres',
    migrate: () => migratePg(db as never, { migrationsFolder }),
    close: () => pool.end(),
  };
}

export function openDatabase(config: { DATABASE_URL?: string; DATA_DIR: string }): Promise<Database> {
  return config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : openPglite({ dataDir: config.DATA_DIR });
}
