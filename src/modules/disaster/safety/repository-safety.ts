// 安否確認's SQL (schema-safety.ts). Values arrive here already sealed.
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db.ts';
import { safetyCodes, safetyImports, safetyLinks, safetyStatuses } from '../schema-safety.ts';

export type StatusRow = typeof safetyStatuses.$inferSelect;
export type ImportRow = typeof safetyImports.$inferSelect;

export async function findStatus(db: Db, residentId: string): Promise<StatusRow | undefined> {
  const [row] = await db.select().from(safetyStatuses).where(eq(safetyStatuses.residentId, residentId));
  return row;
}

export async function findByRecord(db: Db, recordId: string): Promise<StatusRow | undefined> {
  const [row] = await db.select().from(safetyStatuses).where(eq(safetyStatuses.recordId, recordId));
  return row;
}

/** The resident's row, made empty the first time (its record id is random once and kept). */
export async function ensureStatus(db: Db, residentId: string, recordId: string): Promise<void> {
  await db
    .insert(safetyStatuses)
    .values({ residentId, recordId, updatedAt: sql`now()` })
    .onConflictDoNothing();
}

export async function updateStatus(db: Db, residentId: string, set: Partial<Omit<StatusRow, 'residentId' | 'recordId'>>) {
  await db
    .update(safetyStatuses)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(safetyStatuses.residentId, residentId));
}

/** Everyone linked with the resident, by either side of the pair. */
export async function linkedIds(db: Db, residentId: string): Promise<string[]> {
  const rows = await db
    .select({ a: safetyLinks.a, b: safetyLinks.b })
    .from(safetyLinks)
    .where(or(eq(safetyLinks.a, residentId), eq(safetyLinks.b, residentId)))
    .orderBy(asc(safetyLinks.createdAt));
  return rows.map((r) => (r.a === residentId ? r.b : r.a));
}

const pair = (x: string, y: string) => (x < y ? { a: x, b: y } : { a: y, b: x });

export async function insertLink(db: Db, x: string, y: string) {
  await db
    .insert(safetyLinks)
    .values({ ...pair(x, y), createdAt: sql`now()` })
    .onConflictDoNothing();
}

export async function deleteLink(db: Db, x: string, y: string): Promise<boolean> {
  const { a, b } = pair(x, y);
  const gone = await db
    .delete(safetyLinks)
    .where(and(eq(safetyLinks.a, a), eq(safetyLinks.b, b)))
    .returning({ a: safetyLinks.a });
  return gone.length > 0;
}

export async function statusesOf(db: Db, residentIds: string[]): Promise<StatusRow[]> {
  if (residentIds.length === 0) return [];
  return db.select().from(safetyStatuses).where(inArray(safetyStatuses.residentId, residentIds));
}

/** A new code replaces the resident's earlier ones of its kind: at most one is outstanding. */
export async function replaceCode(db: Db, row: { hash: string; kind: string; residentId: string; hours: number }) {
  await db.transaction(async (tx) => {
    await tx.delete(safetyCodes).where(and(eq(safetyCodes.residentId, row.residentId), eq(safetyCodes.kind, row.kind)));
    await tx.insert(safetyCodes).values({
      hash: row.hash,
      kind: row.kind,
      residentId: row.residentId,
      createdAt: sql`now()`,
      expiresAt: sql`now() + make_interval(hours => ${row.hours})`,
    });
  });
}

/** The owner of a valid code, without using it up. */
export async function peekCode(db: Db, hash: string, kind: string): Promise<string | undefined> {
  const [row] = await db
    .select({ residentId: safetyCodes.residentId })
    .from(safetyCodes)
    .where(and(eq(safetyCodes.hash, hash), eq(safetyCodes.kind, kind), gt(safetyCodes.expiresAt, sql`now()`)));
  return row?.residentId;
}

/** Uses a code up: one conditional delete, so of two requests with one code exactly one gets its owner. */
export async function takeCode(db: Db, hash: string, kind: string): Promise<string | undefined> {
  const [row] = await db
    .delete(safetyCodes)
    .where(and(eq(safetyCodes.hash, hash), eq(safetyCodes.kind, kind), gt(safetyCodes.expiresAt, sql`now()`)))
    .returning({ residentId: safetyCodes.residentId });
  return row?.residentId;
}

/** The residents' statuses told to these municipalities (all: undefined), with a name and a status. */
export function municipalityStatuses(db: Db, municipalities: string[] | undefined): Promise<StatusRow[]> {
  if (municipalities?.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(safetyStatuses)
    .where(
      and(
        isNotNull(safetyStatuses.status),
        isNotNull(safetyStatuses.displayName),
        municipalities ? inArray(safetyStatuses.municipality, municipalities) : isNotNull(safetyStatuses.municipality),
      ),
    )
    .orderBy(asc(safetyStatuses.markedAt));
}

/** PFIF expiry_date (§3.3): imported persons past it are deleted; every read below leaves them out anyway. */
export async function deleteExpiredImports(db: Db): Promise<void> {
  await db.delete(safetyImports).where(lte(safetyImports.expiresAt, sql`now()`));
}
const notExpired = or(isNull(safetyImports.expiresAt), gt(safetyImports.expiresAt, sql`now()`));

export async function deleteImport(db: Db, municipality: string, personRecordId: string): Promise<void> {
  await db.delete(safetyImports).where(and(eq(safetyImports.municipality, municipality), eq(safetyImports.personRecordId, personRecordId)));
}

export function municipalityImports(db: Db, municipalities: string[] | undefined): Promise<ImportRow[]> {
  if (municipalities?.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(safetyImports)
    .where(and(notExpired, municipalities ? inArray(safetyImports.municipality, municipalities) : undefined))
    .orderBy(asc(safetyImports.importedAt), asc(safetyImports.personRecordId));
}

/** How many records an export of these municipalities holds, by status (no value is opened). */
export async function countByStatus(db: Db, municipalities: string[] | undefined) {
  if (municipalities?.length === 0) return [];
  const r = safetyStatuses;
  const i = safetyImports;
  const [mine, imported] = [
    await db
      .select({ status: r.status, n: sql<number>`count(*)::int` })
      .from(r)
      .where(
        and(
          isNotNull(r.status),
          isNotNull(r.displayName),
          municipalities ? inArray(r.municipality, municipalities) : isNotNull(r.municipality),
        ),
      )
      .groupBy(r.status),
    await db
      .select({ status: i.status, n: sql<number>`count(*)::int` })
      .from(i)
      .where(and(notExpired, municipalities ? inArray(i.municipality, municipalities) : undefined))
      .groupBy(i.status),
  ];
  return [...mine.map((x) => ({ ...x, imported: false })), ...imported.map((x) => ({ ...x, imported: true }))];
}

export async function findImportId(db: Db, municipality: string, personRecordId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: safetyImports.id })
    .from(safetyImports)
    .where(and(eq(safetyImports.municipality, municipality), eq(safetyImports.personRecordId, personRecordId)));
  return row?.id;
}

export async function upsertImport(db: Db, row: ImportRow) {
  await db
    .insert(safetyImports)
    .values(row)
    .onConflictDoUpdate({ target: safetyImports.id, set: { ...row, id: undefined } });
}

/** Account deletion (residents' deletedWithAccount): the status, the codes and every link of either side. */
export async function deleteSafetyOf(tx: Db, residentId: string) {
  await tx.delete(safetyStatuses).where(eq(safetyStatuses.residentId, residentId));
  await tx.delete(safetyCodes).where(eq(safetyCodes.residentId, residentId));
  await tx.delete(safetyLinks).where(or(eq(safetyLinks.a, residentId), eq(safetyLinks.b, residentId)));
}
