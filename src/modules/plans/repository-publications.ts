// The plans module's SQL for publications (公表版): written once, read by the dashboard and the API.
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { publications } from './schema.ts';
import { readSnapshot, type Snapshot } from './snapshot.ts';

export async function insertPublication(db: Db, row: typeof publications.$inferInsert) {
  const [inserted] = await db.insert(publications).values(row).returning({ id: publications.id });
  return inserted!.id;
}

export function listPublications(db: Db, planId: string) {
  return db
    .select({
      id: publications.id,
      asOf: publications.asOf,
      label: publications.label,
      publishedAt: publications.publishedAt,
      provenance: publications.provenance,
    })
    .from(publications)
    .where(eq(publications.planId, planId))
    .orderBy(desc(publications.asOf));
}

/** The publication at `asOf` (or the latest) and the one before it. */
export async function publicationPair(
  db: Db,
  planId: string,
  asOf?: string,
): Promise<{ current: Snapshot; previous: Snapshot | null } | null> {
  const rows = await db
    .select({ snapshot: publications.snapshot })
    .from(publications)
    .where(asOf ? and(eq(publications.planId, planId), lte(publications.asOf, asOf)) : eq(publications.planId, planId))
    .orderBy(desc(publications.asOf))
    .limit(2);
  const [current, previous] = rows;
  if (!current || (asOf && current.snapshot.asOf !== asOf)) return null;
  return { current: readSnapshot(current.snapshot), previous: previous ? readSnapshot(previous.snapshot) : null };
}

/** Every publication of a plan with its snapshot, oldest first: the history the trend pages read. */
export async function publicationHistory(db: Db, planId: string) {
  const rows = await db
    .select({ asOf: publications.asOf, label: publications.label, snapshot: publications.snapshot })
    .from(publications)
    .where(eq(publications.planId, planId))
    .orderBy(asc(publications.asOf));
  return rows.map((r) => ({ asOf: r.asOf, label: r.label, snapshot: readSnapshot(r.snapshot) }));
}
