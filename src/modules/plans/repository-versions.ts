// The plans module's SQL for a vision's versions (版): the versions, each project's number in them and
// the documented changes.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { planVersions, versionChanges, versionProjects } from './schema.ts';

export async function insertVersion(db: Db, row: typeof planVersions.$inferInsert): Promise<number> {
  const [inserted] = await db.insert(planVersions).values(row).returning({ id: planVersions.id });
  return inserted!.id;
}

export async function insertVersionProjects(db: Db, rows: (typeof versionProjects.$inferInsert)[]) {
  if (rows.length) await db.insert(versionProjects).values(rows);
}

export async function insertVersionChanges(db: Db, rows: (typeof versionChanges.$inferInsert)[]) {
  if (rows.length) await db.insert(versionChanges).values(rows);
}

export async function currentVersion(db: Db, planId: string) {
  const [row] = await db
    .select()
    .from(planVersions)
    .where(and(eq(planVersions.planId, planId), eq(planVersions.isCurrent, true)));
  return row;
}

export async function versionNumbers(db: Db, versionId: number) {
  return db.select().from(versionProjects).where(eq(versionProjects.versionId, versionId));
}

export async function makeCurrent(db: Db, planId: string, versionId: number) {
  await db.update(planVersions).set({ isCurrent: false }).where(eq(planVersions.planId, planId));
  await db.update(planVersions).set({ isCurrent: true }).where(eq(planVersions.id, versionId));
}

export async function removeFromVersion(db: Db, versionId: number, nodeId: number) {
  await db.delete(versionProjects).where(and(eq(versionProjects.versionId, versionId), eq(versionProjects.nodeId, nodeId)));
}
