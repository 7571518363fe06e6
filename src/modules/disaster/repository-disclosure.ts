// 開示's SQL (disclosure.ts): every row the disaster module keeps about one resident account, as stored
// (sealed columns still sealed). The photo bytes stay out: the list names each photo, not its image.
import { eq, or } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { disasterCertificates } from './schema-certificates.ts';
import { disasterCards, disasterCheckins } from './schema-checkin.ts';
import { disasterMyAreas, disasterPushLinks } from './schema-my-areas.ts';
import { disasterReports } from './schema-reports.ts';
import { safetyLinks, safetyStatuses } from './schema-safety.ts';

export async function rowsOfResident(db: Db, residentId: string) {
  const r = disasterReports;
  const [cards, checkins, statuses, links, reports, certificates, areas, pushLinks] = await Promise.all([
    db.select({ issuedAt: disasterCards.issuedAt }).from(disasterCards).where(eq(disasterCards.residentId, residentId)),
    db.select().from(disasterCheckins).where(eq(disasterCheckins.residentId, residentId)).orderBy(disasterCheckins.checkedInAt),
    db.select().from(safetyStatuses).where(eq(safetyStatuses.residentId, residentId)),
    db
      .select()
      .from(safetyLinks)
      .where(or(eq(safetyLinks.a, residentId), eq(safetyLinks.b, residentId))),
    db
      .select({
        id: r.id,
        municipality: r.municipality,
        lon: r.lon,
        lat: r.lat,
        locationSource: r.locationSource,
        category: r.category,
        note: r.note,
        takenAt: r.takenAt,
        createdAt: r.createdAt,
        status: r.status,
        reason: r.reason,
        decidedAt: r.decidedAt,
      })
      .from(r)
      .where(eq(r.residentId, residentId))
      .orderBy(r.createdAt),
    db.select().from(disasterCertificates).where(eq(disasterCertificates.residentId, residentId)).orderBy(disasterCertificates.createdAt),
    db.select().from(disasterMyAreas).where(eq(disasterMyAreas.residentId, residentId)).orderBy(disasterMyAreas.id),
    db.select({ linkedAt: disasterPushLinks.linkedAt }).from(disasterPushLinks).where(eq(disasterPushLinks.residentId, residentId)),
  ]);
  return { cards, checkins, statuses, links, reports, certificates, areas, pushLinks };
}
