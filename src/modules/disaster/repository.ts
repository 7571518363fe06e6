// The disaster module's only SQL (parts append their own repository-<topic>.ts beside it).
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';

/** The map data's version (cache_versions 'disaster-map'): bumped in the broker write's transaction, so every process drops its map cache. */
export const MAP_VERSION = 'disaster-map';

/** Staff-side data not on the open data tenant (shelters' staff-only needs, 写真投稿): the dashboard watches it. */
export const STAFF_VERSION = 'disaster-staff';

export async function bumpVersion(tx: Db, name: string): Promise<void> {
  await tx.execute(
    sql`insert into cache_versions (name, version) values (${name}, 1) on conflict (name) do update set version = cache_versions.version + 1`,
  );
}
