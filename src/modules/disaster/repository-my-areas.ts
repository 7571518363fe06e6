// マイエリア（防災）on the account: the SQL of my-areas.tsx (schema-my-areas.ts). The matching itself
// stays in the one pipeline (repository-push.ts candidates, push/fanout.ts matchRecipients).
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { disasterPushSubscriptions } from './schema.ts';
import { disasterMyAreas, disasterPushLinks } from './schema-my-areas.ts';
import type { SealedPoint } from './my-area-points.ts';
import type { StoredPushSubscription } from './repository-push.ts';
import type { Box } from './push/geo.ts';

/** An account's area as stored: a municipality in clear, a point sealed (my-area-points.ts). */
export type StoredMyArea = { municipality: string } | (SealedPoint & { radius: number });

export async function myAreas(db: Db, residentId: string): Promise<{ id: number; area: StoredMyArea }[]> {
  const rows = await db.select().from(disasterMyAreas).where(eq(disasterMyAreas.residentId, residentId)).orderBy(asc(disasterMyAreas.id));
  return rows.flatMap<{ id: number; area: StoredMyArea }>((r) =>
    r.municipality
      ? [{ id: r.id, area: { municipality: r.municipality } }]
      : r.pointId && r.point && r.radius
        ? [{ id: r.id, area: { pointId: r.pointId, point: r.point, radius: r.radius } }]
        : [],
  );
}

/** Adds an area unless the account has `max` already (then false); the same municipality twice is one. */
export async function addMyArea(db: Db, residentId: string, area: StoredMyArea, box: Box | undefined, max: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    // One account's adds in turn (the count below is then exact).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`disaster-my-areas:${residentId}`}))`);
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(disasterMyAreas).where(eq(disasterMyAreas.residentId, residentId));
    if ('municipality' in area) {
      const same = await tx
        .select({ id: disasterMyAreas.id })
        .from(disasterMyAreas)
        .where(and(eq(disasterMyAreas.residentId, residentId), eq(disasterMyAreas.municipality, area.municipality)));
      if (same.length) return true;
    }
    if (n >= max) return false;
    await tx.insert(disasterMyAreas).values({ residentId, ...area, ...box });
    return true;
  });
}

/** Says whether the account had that area. */
export async function removeMyArea(db: Db, residentId: string, id: number): Promise<boolean> {
  const rows = await db
    .delete(disasterMyAreas)
    .where(and(eq(disasterMyAreas.residentId, residentId), eq(disasterMyAreas.id, id)))
    .returning({ id: disasterMyAreas.id });
  return rows.length > 0;
}

/**
 * Links a device's push subscription to the account: created when new (no areas of its own), kept with
 * its own areas when the device registered before; a device linked to another account moves here.
 */
export async function linkDevice(db: Db, residentId: string, endpointHash: string, subscription: StoredPushSubscription['subscription']) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(disasterPushSubscriptions)
      .values({ endpointHash, subscription, areas: [], municipalities: [] })
      .onConflictDoUpdate({ target: disasterPushSubscriptions.endpointHash, set: { subscription, updatedAt: sql`now()` } })
      .returning({ id: disasterPushSubscriptions.id });
    await tx
      .insert(disasterPushLinks)
      .values({ subscriptionId: row!.id, residentId })
      .onConflictDoUpdate({ target: disasterPushLinks.subscriptionId, set: { residentId, linkedAt: sql`now()` } });
  });
}

export async function myDevices(db: Db, residentId: string): Promise<{ id: number; linkedAt: string; ownAreas: number }[]> {
  const rows = await db
    .select({ id: disasterPushLinks.subscriptionId, linkedAt: disasterPushLinks.linkedAt, areas: disasterPushSubscriptions.areas })
    .from(disasterPushLinks)
    .innerJoin(disasterPushSubscriptions, eq(disasterPushSubscriptions.id, disasterPushLinks.subscriptionId))
    .where(eq(disasterPushLinks.residentId, residentId))
    .orderBy(asc(disasterPushLinks.linkedAt));
  return rows.map((r) => ({ id: r.id, linkedAt: r.linkedAt, ownAreas: (r.areas as unknown[]).length }));
}

/** Unlinks one of the account's devices; one with no areas of its own then has nothing to get and is deleted. */
export async function unlinkDevice(db: Db, residentId: string, subscriptionId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .delete(disasterPushLinks)
      .where(and(eq(disasterPushLinks.residentId, residentId), eq(disasterPushLinks.subscriptionId, subscriptionId)))
      .returning({ id: disasterPushLinks.subscriptionId });
    if (!rows.length) return false;
    await tx.execute(sql`delete from disaster_push_subscriptions where id = ${subscriptionId} and jsonb_array_length(areas) = 0`);
    return true;
  });
}

/** With the account (residentScreens.deletedWithAccount): its areas, and its devices' subscriptions (their links go with them). */
export async function deleteMyAreasOf(tx: Db, residentId: string) {
  await tx.delete(disasterMyAreas).where(eq(disasterMyAreas.residentId, residentId));
  await tx.execute(
    sql`delete from disaster_push_subscriptions where id in (select subscription_id from disaster_push_links where resident_id = ${residentId})`,
  );
}
