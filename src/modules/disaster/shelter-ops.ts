// Shelter operations (issue 14 point 1): a municipality's staff open and close its shelters, set the
// capacity (GSI's data has none), and record supplies, shortages, the sick and injured, and incidents.
// Every change is an attribute with observedAt on the shelter's broker entity, so the broker's history
// (temporal API) keeps each value with its time:
// - public: shelterStatus, openedAt, closedAt, capacity on the open data tenant's shelter entity (the map
//   reads them; its watcher drops the map cache, so the public pages show them at once). `occupancy` is
//   the check-in part's, never written here.
// - staff-only: supplies, shortages, sickCount, injuredCount, incidents on the entity of the same id
//   and type in the municipality's own tenant ({code}), which open data never reads.
// Writes are attribute updates under the broker's row lock (a check-in's occupancy is never
// overwritten); the audit entry is appended by the watcher inside the broker write's transaction.
import { appendAudit, type AuditEntry } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';
import type { BrokerModule, ChangeListener, LocalEntity } from '../broker/index.ts';
import { canOperateShelter } from './rules.ts';
import type { MapDataSource, Shelter } from './shelters.ts';

export interface Timed<T> {
  value: T;
  /** observedAt (ISO 8601) */
  at: string | null;
}

export interface Incident {
  at: string;
  text: string;
}

/** The staff-only side of a shelter (its municipality's tenant); null: never recorded. */
export interface ShelterOps {
  supplies: Timed<string> | null;
  shortages: Timed<string> | null;
  sickCount: Timed<number> | null;
  injuredCount: Timed<number> | null;
  /** Newest first. */
  incidents: Incident[];
  openedAt: string | null;
  closedAt: string | null;
}

export interface StatusInput {
  status: 'open' | 'closed';
  capacity: number | null;
}
export interface NeedsInput {
  supplies: string;
  shortages: string;
  sickCount: number | null;
  injuredCount: number | null;
}

/** Incidents kept on the entity (older ones stay in the broker's history). */
export const MAX_INCIDENTS = 200;

const prop = (value: unknown, at: string) => ({ type: 'Property', value, observedAt: at });

function timed<T>(e: LocalEntity | undefined, name: string, is: (v: unknown) => v is T): Timed<T> | null {
  const a = e?.[name] as { value?: unknown; observedAt?: string } | undefined;
  return a && is(a.value) ? { value: a.value, at: a.observedAt ?? null } : null;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function incidentsOf(e: LocalEntity | undefined): Incident[] {
  const list = (e?.incidents as { json?: unknown } | undefined)?.json;
  if (!Array.isArray(list)) return [];
  return list.filter((i): i is Incident => !!i && typeof i.at === 'string' && typeof i.text === 'string');
}

/** The staff-only attributes of a shelter's entity on its municipality's tenant (normalized form). */
export const needsOf = (own: LocalEntity | undefined) => ({
  supplies: timed(own, 'supplies', isString),
  shortages: timed(own, 'shortages', isString),
  sickCount: timed(own, 'sickCount', isNumber),
  injuredCount: timed(own, 'injuredCount', isNumber),
  incidents: incidentsOf(own).sort((a, b) => b.at.localeCompare(a.at)),
});

export function shelterOps(broker: Pick<BrokerModule, 'queries' | 'commands'>, map: MapDataSource) {
  const audits = new Map<string, AuditEntry>();

  /** The shelters the actor operates (the prefecture: all), by municipality then name. */
  async function list(actor: Actor): Promise<Shelter[]> {
    const data = await map.get();
    return [...data.shelters.values()]
      .filter((s) => canOperateShelter(actor, s.municipality))
      .sort((a, b) => a.municipality.localeCompare(b.municipality) || a.name.localeCompare(b.name, 'ja'));
  }

  /** A shelter the actor operates, else 404 (missing and forbidden look the same). */
  async function shelter(actor: Actor, slug: string): Promise<Shelter> {
    const s = (await map.get()).shelters.get(slug);
    if (!s || !canOperateShelter(actor, s.municipality)) throw notFound('避難所');
    return s;
  }

  async function read(actor: Actor, slug: string): Promise<{ shelter: Shelter; ops: ShelterOps }> {
    const s = await shelter(actor, slug);
    const [pub, own] = await Promise.all([broker.queries.entity('', s.id), broker.queries.entity(s.municipality, s.id)]);
    return {
      shelter: s,
      ops: {
        ...needsOf(own),
        openedAt: timed(pub, 'openedAt', isString)?.value ?? null,
        closedAt: timed(pub, 'closedAt', isString)?.value ?? null,
      },
    };
  }

  /** Updates the given attributes of the entity, audited in the same transaction; nothing given, nothing written. */
  async function write(tenant: string, id: string, attrs: Record<string, unknown>, entry: AuditEntry) {
    if (!Object.keys(attrs).length) return false;
    const key = `${tenant}|${id}`;
    audits.set(key, entry);
    try {
      await broker.commands.update(tenant, id, attrs);
    } finally {
      audits.delete(key);
    }
    return true;
  }

  /** The staff-only entity, made (same id and type, name and municipality) the first time. */
  async function ownEntity(s: Shelter): Promise<LocalEntity | undefined> {
    const own = await broker.queries.entity(s.municipality, s.id);
    if (own) return own;
    const pub = await broker.queries.entity('', s.id);
    if (!pub) throw notFound('避難所');
    await broker.commands.put(s.municipality, { id: s.id, type: pub.type, name: pub.name, municipality: pub.municipality });
    return broker.queries.entity(s.municipality, s.id);
  }

  const auditOf = (actor: Actor, action: string, s: Shelter, before: unknown, after: unknown): AuditEntry => ({
    actorId: actor.id,
    action,
    entity: 'disaster_shelter',
    entityId: s.id,
    before,
    after,
  });

  return {
    list,
    read,
    /** Opens or closes the shelter and sets its capacity (public attributes). */
    async setStatus(actor: Actor, slug: string, input: StatusInput): Promise<boolean> {
      const s = await shelter(actor, slug);
      const now = new Date().toISOString();
      const attrs: Record<string, unknown> = {};
      if (input.status !== s.status) {
        attrs.shelterStatus = prop(input.status, now);
        attrs[input.status === 'open' ? 'openedAt' : 'closedAt'] = prop(now, now);
      }
      if (input.capacity !== null && input.capacity !== s.capacity) attrs.capacity = prop(input.capacity, now);
      const before = { status: s.status, capacity: s.capacity };
      return write('', s.id, attrs, auditOf(actor, 'update_shelter_status', s, before, input));
    },
    /** Supplies, shortages, the sick and injured (staff-only attributes); only what changed is written. */
    async setNeeds(actor: Actor, slug: string, input: NeedsInput): Promise<boolean> {
      const s = await shelter(actor, slug);
      const own = await ownEntity(s);
      const now = new Date().toISOString();
      const attrs: Record<string, unknown> = {};
      const before: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(input) as [keyof NeedsInput, string | number | null][]) {
        const old = timed(own, name, (v): v is unknown => v !== undefined)?.value ?? null;
        if (value === null || value === old || (value === '' && old === null)) continue;
        attrs[name] = prop(value, now);
        before[name] = old;
      }
      return write(s.municipality, s.id, attrs, auditOf(actor, 'update_shelter_needs', s, before, input));
    },
    /** Records an incident (text with its time; staff-only), newest kept on the entity. */
    async addIncident(actor: Actor, slug: string, text: string): Promise<Incident> {
      const s = await shelter(actor, slug);
      const own = await ownEntity(s);
      const incident = { at: new Date().toISOString(), text };
      const incidents = [incident, ...incidentsOf(own)].slice(0, MAX_INCIDENTS);
      await write(
        s.municipality,
        s.id,
        { incidents: { type: 'JsonProperty', json: incidents, observedAt: incident.at } },
        auditOf(actor, 'add_shelter_incident', s, null, incident),
      );
      return incident;
    },
    /** Appends a command's audit entry in the broker write's transaction. */
    watcher: (async (tx, changes) => {
      for (const c of changes) {
        const key = `${c.tenant}|${(c.after ?? c.before)!.id}`;
        const entry = audits.get(key);
        if (!entry) continue;
        // Once: a check-in writing the same entity meanwhile is not this command's change.
        audits.delete(key);
        await appendAudit(tx, entry);
      }
    }) satisfies ChangeListener,
  };
}

export type ShelterOpsService = ReturnType<typeof shelterOps>;
