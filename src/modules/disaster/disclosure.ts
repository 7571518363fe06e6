// 開示 (個人情報保護法 第76条, the resident's request handled on the data-protection page): what the
// disaster module keeps about a resident account, for the residents module's disclosure export
// (ResidentScreens.disclosed). The sealed values — 安否's name, place and note, 罹災証明書's name, address
// and description, マイエリア's points — are opened in one `fields.open` call for the purpose
// disclosure-request (one access-log row, channel export); nothing is opened when there is nothing sealed.
import type { Db } from '../../platform/db.ts';
import { DISCLOSURE, type GateActor, type HeldFields, type HeldValue } from '../residents/index.ts';
import { rowsOfResident } from './repository-disclosure.ts';

const place = (table: string, column: string, rowId: string) => ({ table, column, rowId });

export async function discloseResident(db: Db, fields: HeldFields, reader: GateActor, residentId: string) {
  const rows = await rowsOfResident(db, residentId);
  const sealed: HeldValue[] = [];
  let opened: string[] = [];
  /** Queues a sealed value; the returned getter reads it once everything is opened. */
  const later = (value: string | null, at: ReturnType<typeof place>, category: string) => {
    if (value === null) return () => null;
    const i = sealed.push({ value, place: at, category }) - 1;
    return () => opened[i] ?? null;
  };

  const status = rows.statuses[0];
  const statusOf = status && {
    displayName: later(status.displayName, place('disaster_safety_statuses', 'display_name', residentId), 'name'),
    place: later(status.place, place('disaster_safety_statuses', 'place', residentId), 'safetyNote'),
    note: later(status.note, place('disaster_safety_statuses', 'note', residentId), 'safetyNote'),
  };
  const certificates = rows.certificates.map((c) => ({
    row: c,
    name: later(c.name, place('disaster_certificates', 'name', c.id), 'name'),
    address: later(c.address, place('disaster_certificates', 'address', c.id), 'address'),
    description: later(c.description, place('disaster_certificates', 'description', c.id), 'address'),
  }));
  const areas = rows.areas.map((a) => ({
    row: a,
    point: a.pointId ? later(a.point, place('disaster_my_areas', 'point', a.pointId), 'myAreaPoint') : () => null,
  }));
  if (sealed.length) opened = await fields.open(db, reader, residentId, DISCLOSURE, sealed, 'export');

  return {
    evacuationCard: rows.cards[0] ? { issuedAt: rows.cards[0].issuedAt } : null,
    checkins: rows.checkins.map((c) => ({
      shelterId: c.shelterId,
      municipality: c.municipality,
      method: c.method,
      people: c.people,
      needsCare: c.needsCare,
      ages: { age0to14: c.age0to14, age15to64: c.age15to64, age65to74: c.age65to74, age75plus: c.age75plus, ageUnknown: c.ageUnknown },
      homeMunicipality: c.homeMunicipality,
      checkedInAt: c.checkedInAt,
      checkedOutAt: c.checkedOutAt,
    })),
    safety: statusOf
      ? {
          displayName: statusOf.displayName(),
          status: status.status,
          place: statusOf.place(),
          note: statusOf.note(),
          source: status.source,
          markedAt: status.markedAt,
          // The people linked with the resident, by their account id (受付番号): their own data is theirs.
          linkedWith: rows.links.map((l) => (l.a === residentId ? l.b : l.a)),
        }
      : null,
    photoReports: rows.reports,
    certificates: certificates.map(({ row, name, address, description }) => ({
      id: row.id,
      municipality: row.municipality,
      name: name(),
      address: address(),
      damageType: row.damageType,
      damagedOn: row.damagedOn,
      description: description(),
      reportIds: row.reportIds,
      status: row.status,
      surveyOn: row.surveyOn,
      grade: row.grade,
      createdAt: row.createdAt,
      issuedAt: row.issuedAt,
    })),
    myAreas: areas.map(({ row, point }) => {
      const p = point();
      return row.municipality
        ? { municipality: row.municipality, createdAt: row.createdAt }
        : { point: p && JSON.parse(p), radius: row.radius, createdAt: row.createdAt };
    }),
    pushDevices: rows.pushLinks.length,
  };
}
