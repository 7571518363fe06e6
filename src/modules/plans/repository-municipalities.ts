// The plans module's SQL for municipalities: the municipalities, the plan's members and a project's partners.
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { municipalities, planMunicipalities, projectPartners } from './schema.ts';

export async function insertMunicipalities(db: Db, rows: { code: string; name: string }[]) {
  if (rows.length)
    await db
      .insert(municipalities)
      .values(rows.map(({ code, name }) => ({ code, name })))
      .onConflictDoNothing();
}

export async function insertPlanMunicipalities(db: Db, rows: (typeof planMunicipalities.$inferInsert)[]) {
  if (rows.length) await db.insert(planMunicipalities).values(rows);
}

export async function planMunicipalityCodes(db: Db, planId: string) {
  return db.select().from(planMunicipalities).where(eq(planMunicipalities.planId, planId));
}

export async function insertProjectPartners(db: Db, rows: (typeof projectPartners.$inferInsert)[]) {
  if (rows.length) await db.insert(projectPartners).values(rows);
}

export async function setPartners(db: Db, nodeId: number, codes: string[]) {
  await db.delete(projectPartners).where(eq(projectPartners.nodeId, nodeId));
  if (codes.length) await db.insert(projectPartners).values(codes.map((municipalityCode) => ({ nodeId, municipalityCode })));
}

export async function partnerCodes(db: Db, nodeId: number) {
  return (await db.select().from(projectPartners).where(eq(projectPartners.nodeId, nodeId))).map((p) => p.municipalityCode);
}
