// SQL for targets per period (schema-targets.ts).
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { planNodes } from './schema.ts';
import { indicatorPeriodTargets } from './schema-targets.ts';

export type PeriodTargetRow = typeof indicatorPeriodTargets.$inferSelect;

export async function insertPeriodTargets(db: Db, rows: (typeof indicatorPeriodTargets.$inferInsert)[]) {
  if (rows.length) await db.insert(indicatorPeriodTargets).values(rows);
}

/** A plan's targets per period, per indicator (node id), oldest period first. */
export async function periodTargetsOf(db: Db, planId: string): Promise<Map<number, PeriodTargetRow[]>> {
  const rows = await db
    .select({ t: indicatorPeriodTargets })
    .from(indicatorPeriodTargets)
    .innerJoin(planNodes, eq(planNodes.id, indicatorPeriodTargets.indicatorId))
    .where(eq(planNodes.planId, planId))
    .orderBy(asc(indicatorPeriodTargets.periodEnd), asc(indicatorPeriodTargets.id));
  const map = new Map<number, PeriodTargetRow[]>();
  for (const { t } of rows) map.set(t.indicatorId, [...(map.get(t.indicatorId) ?? []), t]);
  return map;
}
