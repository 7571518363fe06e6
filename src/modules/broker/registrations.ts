// The NGSI-LD context source registration API (ETSI GS CIM 009 v1.8, clauses 5.9 and 5.10) at
// /ngsi-ld/v1/csourceRegistrations. A change tells the registration cache (registration-cache.ts) and
// queues the registration subscriptions' notifications (csource-notify.ts).
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import { expand, type ContextLoader, type TermMap } from './context.ts';
import { notifyRegistrationChange } from './csource-notify.ts';
import { isDateTime, isUri } from './entity.ts';
import { problem } from './errors.ts';
import { parseGeoQuery } from './geo.ts';
import { parseQ } from './q.ts';
import { matchingInformation, registrationGeoHolds, registrationTimeHolds } from './registration-match.ts';
import { completeRegistration, readRegistration, renderRegistration, type RegistrationBody } from './registration.ts';
import type { RegistrationCache } from './registration-cache.ts';
import * as repo from './repository-registrations.ts';
import {
  checkOutbound,
  checkSameId,
  idParam,
  newId,
  options,
  paging,
  pathSegment,
  readBody,
  readContext,
  send,
  tenantOf,
} from './request.ts';
import type { Outbound } from '../../platform/outbound.ts';
import { compilePattern } from './pattern.ts';

export interface RegistrationDeps {
  db: Db;
  loadContext: ContextLoader;
  /** Endpoints are checked against it as written (they are called through it). */
  outbound: Outbound;
  registrations: RegistrationCache;
  /** Tells the notifier that a registration change queued notifications (after the commit). */
  wake: () => void;
}

/** The discovery filters of GET /csourceRegistrations (clause 5.10.2), checked. */
function discoveryFilter(c: Context, map: TermMap) {
  const list = (name: string) => c.req.query(name)?.split(',').filter(Boolean);
  const types = list('type')?.map((t) => expand(t, map));
  const attrs = list('attrs')?.map((a) => expand(a, map));
  const ids = list('id');
  const idPattern = c.req.query('idPattern');
  if (ids?.some((id) => !isUri(id))) throw problem('BadRequestData', 'Each id must be a URI.');
  if (idPattern) compilePattern(idPattern, 'idPattern');
  const q = c.req.query('q');
  if (q !== undefined) parseQ(q);
  const georel = c.req.query('georel');
  const geo = georel !== undefined ? parseGeoQuery(georel, c.req.query('geometry'), c.req.query('coordinates')) : undefined;
  const geoproperty = c.req.query('geoproperty') ?? 'location';
  if (!['location', 'observationSpace', 'operationSpace'].includes(geoproperty))
    throw problem('BadRequestData', 'geoproperty must be location, observationSpace or operationSpace.');
  const timerel = c.req.query('timerel');
  const timeAt = c.req.query('timeAt');
  const endTimeAt = c.req.query('endTimeAt');
  const timeproperty = c.req.query('timeproperty') || 'observedAt';
  if (timerel !== undefined) {
    if (!['before', 'after', 'between'].includes(timerel)) throw problem('BadRequestData', 'timerel must be before, after or between.');
    if (!isDateTime(timeAt)) throw problem('BadRequestData', 'A temporal query needs timeAt, an ISO 8601 date-time.');
    if (timerel === 'between' && (!isDateTime(endTimeAt) || Date.parse(endTimeAt) <= Date.parse(timeAt)))
      throw problem('BadRequestData', 'timerel=between needs endTimeAt, a date-time after timeAt.');
    if (!['observedAt', 'createdAt', 'modifiedAt'].includes(timeproperty))
      throw problem('BadRequestData', 'timeproperty must be observedAt, createdAt or modifiedAt.');
  }
  if (!types && !attrs) throw problem('BadRequestData', 'Give at least one of type or attrs to query registrations.');
  // q and csf select by the registrations' own properties, which this broker does not store.
  if (q !== undefined || c.req.query('csf') !== undefined)
    throw problem('OperationNotSupported', 'q and csf are not supported on registrations.');
  return (r: RegistrationBody) =>
    matchingInformation(r, { types, ids, idPattern, attrs }).length > 0 &&
    (!geo || registrationGeoHolds(r, geoproperty, geo)) &&
    (!timerel || registrationTimeHolds(r, timeproperty as 'observedAt', timerel as 'before', timeAt!, endTimeAt));
}

export function registrationRoutes(deps: RegistrationDeps) {
  const app = new Hono();
  const { db, loadContext, registrations, wake } = deps;
  const base = '/ngsi-ld/v1/csourceRegistrations';
  const notFound = (id: string) => problem('ResourceNotFound', `Registration ${id} was not found.`);

  app.post(base, async (c) => {
    const tenant = tenantOf(c);
    const { body, map } = await readBody(c, loadContext);
    const now = new Date().toISOString();
    const id = newId(body, 'registration', 'ContextSourceRegistration');
    const f = readRegistration(body, map, now, false);
    checkOutbound(deps.outbound, f.members.endpoint, 'endpoint');
    const r = completeRegistration({ id, type: 'ContextSourceRegistration', ...f.members });
    const write = { body: r, expiresAt: f.expiresAt ?? null };
    const queued = await db.transaction(async (tx) => {
      if (!(await repo.insertRegistration(tx, tenant, write, now))) throw problem('AlreadyExists', `Registration ${id} already exists.`);
      return notifyRegistrationChange(tx, loadContext, tenant, undefined, { ...write, createdAt: now, modifiedAt: now }, now);
    });
    registrations.changed(tenant);
    if (queued) wake();
    c.header('Location', `${base}/${pathSegment(id)}`);
    return c.body(null, 201);
  });

  app.get(base, async (c) => {
    const tenant = tenantOf(c);
    const { link, map } = readContext(c, loadContext);
    const { sysAttrs } = options(c);
    const page = paging(c);
    const selects = discoveryFilter(c, map);
    const found = (await repo.liveRegistrations(db, tenant, new Date().toISOString())).filter((r) => selects(r.body));
    if (page.count) c.header('NGSILD-Results-Count', String(found.length));
    const shown = found.slice(page.offset, page.offset + page.limit).map((r) => renderRegistration(r, map, sysAttrs));
    return send(c, shown, link);
  });

  // The collection itself is only read and added to: 405 names the methods it has (an update without an id).
  app.on(['PUT', 'PATCH', 'DELETE'], base, (c) => c.body(null, 405, { Allow: 'GET, POST' }));

  app.get(`${base}/:id`, async (c) => {
    const tenant = tenantOf(c);
    const { link, map } = readContext(c, loadContext);
    const r = await repo.findRegistration(db, tenant, idParam(c, 'registration'));
    if (!r) throw notFound(c.req.param('id'));
    return send(c, renderRegistration(r, map, options(c).sysAttrs), link);
  });

  // Update (5.9.3): the members given replace the stored ones; null removes an optional one.
  app.patch(`${base}/:id`, async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'registration');
    const { body, map } = await readBody(c, loadContext);
    checkSameId(body, id);
    if (!Object.keys(body).some((k) => k !== 'id' && k !== '@context'))
      throw problem('BadRequestData', 'The update names no member of the registration.');
    const now = new Date().toISOString();
    const f = readRegistration(body, map, now, true);
    checkOutbound(deps.outbound, f.members.endpoint, 'endpoint');
    const queued = await db.transaction(async (tx) => {
      const old = await repo.findRegistration(tx, tenant, id, true);
      if (!old) throw notFound(id);
      const merged: Partial<RegistrationBody> = { ...old.body, ...f.members };
      for (const k of f.removed) delete merged[k as keyof RegistrationBody];
      const write = { body: completeRegistration(merged), expiresAt: f.expiresAt === undefined ? old.expiresAt : f.expiresAt };
      await repo.updateRegistration(tx, tenant, write, now);
      return notifyRegistrationChange(tx, loadContext, tenant, old, { ...old, ...write, modifiedAt: now }, now);
    });
    registrations.changed(tenant);
    if (queued) wake();
    return c.body(null, 204);
  });

  app.delete(`${base}/:id`, async (c) => {
    const tenant = tenantOf(c);
    const id = idParam(c, 'registration');
    const queued = await db.transaction(async (tx) => {
      const old = await repo.deleteRegistration(tx, tenant, id);
      if (!old) throw notFound(id);
      return notifyRegistrationChange(tx, loadContext, tenant, old, undefined, new Date().toISOString());
    });
    registrations.changed(tenant);
    if (queued) wake();
    return c.body(null, 204);
  });

  return app;
}
