// The broker for the other modules of this server (disaster, later snow and childcare): the same
// store, validation and change listeners (geo index, history, subscriptions) as the NGSI-LD API,
// without an HTTP round trip or an access token, in the core @context's terms. A module's own
// authorization (which municipality's staff may write which tenant) is checked before it calls this.
import { expand, termMap } from './context.ts';
import { attributesOf, render, toStored, type StoredEntity } from './entity.ts';
import * as repo from './repository.ts';
import type { Db } from '../../platform/db.ts';
import type { EntityStore } from './store.ts';

/** An entity in NGSI-LD normalized form with the core @context's terms (type: 'Property', value ...). */
export type LocalEntity = Record<string, unknown> & { id: string; type: string };

export interface LocalQuery {
  types: string[];
  ids?: string[];
  /** Entities whose geo index box for `location` overlaps [minLon, minLat, maxLon, maxLat]. */
  box?: [number, number, number, number];
  /** At most this many (default 10,000): a municipality's shelters, facilities or road segments. */
  limit?: number;
}

export type LocalBroker = ReturnType<typeof localBroker>;

/** A changed entity (a ChangeListener's before/after) as the local queries give it, keyValues by default. */
export const localEntity = (e: StoredEntity, keyValues = true) =>
  render(
    e,
    termMap(undefined, () => undefined),
    { keyValues, sysAttrs: true },
  ) as LocalEntity;

export function localBroker(db: Db, store: EntityStore) {
  const map = () => termMap(undefined, () => undefined);
  const out = localEntity;
  return {
    /** Entities of a tenant ('' is the default, open-data tenant), normalized or keyValues, in id order. */
    async query(tenant: string, q: LocalQuery, keyValues = false): Promise<LocalEntity[]> {
      const box = q.box && { attr: expand('location', map()), op: '&&' as const, box: q.box };
      const { entities } = await repo.queryEntities(
        db,
        tenant,
        { types: q.types.map((t) => expand(t, map())), ids: q.ids, box, limit: q.limit ?? 10_000, offset: 0 },
        false,
      );
      return entities.map((e) => out(e, keyValues));
    },

    /** One entity, or undefined. */
    async find(tenant: string, id: string, keyValues = false): Promise<LocalEntity | undefined> {
      const e = await store.find(tenant, id);
      return e && out(e, keyValues);
    },

    /** Creates the entity, or replaces all its attributes (keeping createdAt) when it exists. */
    async put(tenant: string, entity: LocalEntity): Promise<void> {
      const now = new Date().toISOString();
      const after = toStored(entity, map(), now);
      if ((await store.create(tenant, [after])).size) return;
      await store.modify(tenant, entity.id, (before) => ({ ...after, createdAt: before.createdAt }));
    },

    /** Adds or replaces the given attributes of an existing entity (NGSI-LD 5.6.3 semantics). */
    async update(tenant: string, id: string, attrs: Record<string, unknown>): Promise<void> {
      const now = new Date().toISOString();
      const changed = attributesOf(attrs, map(), now);
      await store.modify(tenant, id, (before) => ({ ...before, attrs: { ...before.attrs, ...changed }, modifiedAt: now }));
    },

    /** Puts and deletes entities (over tenants) in one transaction with `within` (an audit entry): all or none. */
    async batch(
      ops: ({ tenant: string; put: LocalEntity } | { tenant: string; remove: string })[],
      within?: (tx: Db) => Promise<void>,
    ): Promise<void> {
      const now = new Date().toISOString();
      await store.batch(
        ops.map((op) => ('put' in op ? { tenant: op.tenant, put: toStored(op.put, map(), now) } : op)),
        within,
      );
    },

    /** Deletes the entity; ResourceNotFound when there is none. */
    remove: (tenant: string, id: string) => store.remove(tenant, id),
  };
}
