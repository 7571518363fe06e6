// Which context source registrations a request selects (ETSI GS CIM 009 v1.8, clauses 4.3.6 and
// 5.10.2): by entities and attribute names, operation, location and time interval. Pure: no I/O.
import { geoMatches, type GeoQuery } from './geo.ts';
import { compilePattern } from './pattern.ts';
import { groups, type EntityInfo, type RegistrationBody, type RegistrationInfo } from './registration.ts';

// Every entity query matches the tenant's registrations: compilePattern keeps their compiled patterns.
const patternMatches = (pattern: string, id: string) => compilePattern(pattern, 'idPattern').test(id);

/** What a query or discovery request asks for, names expanded. */
export interface Selection {
  types?: string[];
  ids?: string[];
  idPattern?: string;
  attrs?: string[];
}

const entityMatches = (e: EntityInfo, s: Selection) =>
  (!s.types || s.types.includes(e.type)) &&
  (!s.ids || s.ids.some((id) => (e.id ? e.id === id : !e.idPattern || patternMatches(e.idPattern, id)))) &&
  // An idPattern against a registered pattern cannot be decided: such a source may hold matches.
  (!s.idPattern || !e.id || patternMatches(s.idPattern, e.id));

const namesOf = (i: RegistrationInfo) => [...(i.propertyNames ?? []), ...(i.relationshipNames ?? [])];

/**
 * The parts of a registration's information that can answer a selection (clause 5.10.2: matching
 * entities, and attributes when both sides name them); empty when it cannot.
 */
export function matchingInformation(r: RegistrationBody, s: Selection): RegistrationInfo[] {
  return r.information.filter((i) => {
    if (i.entities && !i.entities.some((e) => entityMatches(e, s))) return false;
    const names = namesOf(i);
    return !s.attrs || !names.length || names.some((n) => s.attrs!.includes(n));
  });
}

/** Whether the registration lets the broker forward this operation to its source. */
export const allowsOperation = (r: RegistrationBody, op: string) => r.operations.some((o) => o === op || groups[o]?.includes(op));

/** Whether an entity received from the source is one the registration's matching information covers. */
export const coversEntity = (infos: RegistrationInfo[], id: string, types: string[]) =>
  infos.some((i) => !i.entities || i.entities.some((e) => types.includes(e.type) && entityMatches(e, { ids: [id] })));

/** The attribute names the matching information restricts the source to; undefined: any. */
export function registeredNames(infos: RegistrationInfo[]): Set<string> | undefined {
  if (infos.some((i) => !namesOf(i).length)) return undefined;
  return new Set(infos.flatMap(namesOf));
}

/** The geo part of a discovery request: the registration's location (or observation/operation space). */
export function registrationGeoHolds(r: RegistrationBody, geoproperty: string, q: GeoQuery): boolean {
  const g =
    geoproperty === 'location' || geoproperty === 'observationSpace' || geoproperty === 'operationSpace' ? r[geoproperty] : undefined;
  return !!g && geoMatches(g, q);
}

/** The temporal part of a discovery request, against observationInterval (observedAt) or managementInterval. */
export function registrationTimeHolds(
  r: RegistrationBody,
  timeproperty: 'observedAt' | 'createdAt' | 'modifiedAt',
  timerel: 'before' | 'after' | 'between',
  timeAt: string,
  endTimeAt?: string,
): boolean {
  const i = timeproperty === 'observedAt' ? r.observationInterval : r.managementInterval;
  if (!i) return false;
  const start = Date.parse(i.startAt);
  const end = i.endAt ? Date.parse(i.endAt) : Infinity;
  const at = Date.parse(timeAt);
  if (timerel === 'before') return start < at;
  if (timerel === 'after') return end > at;
  return start < Date.parse(endTimeAt!) && end > at;
}
