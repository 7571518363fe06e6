// Distributed operations (ETSI GS CIM 009 v1.8, clause 4.3.6): GET /entities and GET /entities/{id}
// also ask the context sources whose registrations match, and merge what they answer with the local
// entities. A source that fails, answers badly or is too slow leaves its part out and is named in an
// NGSILD-Warning header; it never fails the request.
import type { Context } from 'hono';
import { compact, contextFromLink, expand, termMap, type ContextLoader, type TermMap } from './context.ts';
import { toStored, type Instance, type StoredEntity } from './entity.ts';
import { AppError } from '../../platform/errors.ts';
import { problem } from './errors.ts';
import { allowsOperation, coversEntity, matchingInformation, registeredNames, type Selection } from './registration-match.ts';
import type { Mode, RegistrationBody, RegistrationInfo } from './registration.ts';
import type { RegistrationCache } from './registration-cache.ts';
import { readAtMost } from '../../platform/body.ts';

export interface ForwardOptions {
  /** Every request to a context source goes through it (the outbound policy's fetch in production). */
  fetch: typeof globalThis.fetch;
  /** This broker in Via headers (clause 6.3.18), to detect forwarding loops. */
  self: string;
  /** The longest wait for a source, in milliseconds; a registration's management.timeout may shorten it. */
  timeoutMs: number;
}

/** The most sources asked for one request, and the most bytes read from each. */
const MAX_SOURCES = 16;
const MAX_BYTES = 8 * 1024 * 1024;
/** The most entities asked of each source (and read locally) to fill one page. */
const MAX_WINDOW = 1000;

interface Target {
  reg: RegistrationBody;
  infos: RegistrationInfo[];
}
type Answer = { entities: StoredEntity[] } | { failure: string };

const list = (c: Context, name: string) => c.req.query(name)?.split(',').filter(Boolean);

const newer = (a: Instance, b: Instance) => !!a.observedAt && (!b.observedAt || Date.parse(a.observedAt) > Date.parse(b.observedAt));

/**
 * An entity from a source merged into what is known so far (clause 4.3.6.2). Attributes only one side
 * has are joined. For an instance (same datasetId) both have: an auxiliary source never replaces it,
 * an exclusive or redirect source always does (the attribute is the source's), an inclusive source
 * does when its observedAt is later — otherwise the local (or earlier) one stays.
 */
export function mergeEntity(known: StoredEntity | undefined, remote: StoredEntity, mode: Mode): StoredEntity {
  if (!known) return remote;
  const attrs = { ...known.attrs };
  for (const [name, incoming] of Object.entries(remote.attrs)) {
    const mine = attrs[name];
    if (!mine) {
      attrs[name] = incoming;
      continue;
    }
    if (mode === 'auxiliary') continue;
    const out = [...mine];
    for (const i of incoming) {
      const k = out.findIndex((x) => x.datasetId === i.datasetId);
      if (k < 0) out.push(i);
      else if (mode !== 'inclusive' || newer(i, out[k]!)) out[k] = i;
    }
    attrs[name] = out;
  }
  return { ...known, types: [...new Set([...known.types, ...remote.types])], attrs };
}

const viaEntries = (via: string | undefined) => (via ?? '').split(',').map((v) => v.trim().split(/\s+/)[1]);

export function contextSources(registrations: RegistrationCache, loadContext: ContextLoader, o: ForwardOptions) {
  /** The registrations to ask, auxiliary ones last so that they only fill gaps. */
  async function targets(c: Context, tenant: string, op: string, sel: Selection): Promise<Target[]> {
    if (c.req.query('local') === 'true') return [];
    const found: Target[] = [];
    for (const r of await registrations.live(tenant)) {
      if (!allowsOperation(r.body, op)) continue;
      const infos = matchingInformation(r.body, sel);
      if (infos.length) found.push({ reg: r.body, infos });
    }
    if (found.length && viaEntries(c.req.header('Via')).includes(o.self))
      throw problem('LoopDetected', 'This request has passed through this broker already (Via); forwarding it again would loop.');
    found.sort((a, b) => Number(a.reg.mode === 'auxiliary') - Number(b.reg.mode === 'auxiliary'));
    return found.slice(0, MAX_SOURCES);
  }

  /** The attributes to ask a source for: those requested that it registered, or all it registered. */
  function attrsFor(t: Target, requested: string[] | undefined, map: TermMap) {
    const names = registeredNames(t.infos);
    const wanted = requested ? requested.filter((a) => !names || names.has(a)) : names && [...names];
    return wanted?.map((a) => compact(a, map)).join(',');
  }

  async function ask(c: Context, t: Target, path: string, params: URLSearchParams): Promise<Answer> {
    const url = new URL(t.reg.endpoint.replace(/\/+$/, '') + path);
    // In name order: a source (or a test double) that compares query strings sees one form.
    params.sort();
    url.search = params.toString();
    const headers = new Headers({ Accept: 'application/json' });
    const via = c.req.header('Via');
    headers.set('Via', `${via ? `${via}, ` : ''}1.1 ${o.self}`);
    const link = c.req.header('Link');
    if (link) headers.set('Link', link);
    if (t.reg.tenant) headers.set('NGSILD-Tenant', t.reg.tenant);
    for (const { key, value } of t.reg.contextSourceInfo ?? []) {
      if (key === 'jsonldContext')
        headers.set('Link', `<${value}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`);
      else headers.set(key, value);
    }
    const ms = Math.min(o.timeoutMs, t.reg.management?.timeout ?? Infinity);
    try {
      const res = await o.fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(ms) });
      if (res.status === 404) return (await res.body?.cancel(), { entities: [] });
      if (res.status !== 200) return (await res.body?.cancel(), { failure: `answered ${res.status}` });
      const json = JSON.parse(await readAtMost(res.body, MAX_BYTES, () => new Error(`answered more than ${MAX_BYTES} bytes`))) as unknown;
      const items = Array.isArray(json) ? json : [json];
      const ld = (res.headers.get('Content-Type') ?? '').startsWith('application/ld+json');
      const linkMap = ld ? undefined : termMap(contextFromLink(res.headers.get('Link') ?? undefined), loadContext);
      const now = new Date().toISOString();
      const names = registeredNames(t.infos);
      const entities = items.map((item) => {
        const e = toStored(item, linkMap ?? termMap((item as { '@context'?: unknown })?.['@context'], loadContext), now);
        // What the registration does not cover is not the source's to say.
        if (names) e.attrs = Object.fromEntries(Object.entries(e.attrs).filter(([a]) => names.has(a)));
        return e;
      });
      return { entities: entities.filter((e) => coversEntity(t.infos, e.id, e.types)) };
    } catch (err) {
      const reason =
        err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
          ? `did not answer within ${ms} ms`
          : err instanceof AppError
            ? `answered what the broker cannot read: ${err.message}`
            : `could not be read: ${err instanceof Error ? err.message : String(err)}`;
      return { failure: reason };
    }
  }

  /** Each source that left its part out, named in an NGSILD-Warning header (199, as RFC 7234's Warning). */
  function warn(c: Context, ts: Target[], answers: Answer[]) {
    answers.forEach((a, k) => {
      if (!('failure' in a)) return;
      const detail = `context source ${ts[k]!.reg.id} ${a.failure}`.replace(/["\\\r\n]/g, ' ');
      c.header('NGSILD-Warning', `199 - "${detail}"`, { append: true });
    });
  }

  return {
    /** GET /entities: the local page merged with the matching sources' entities, in id order. */
    async query<P extends { limit: number; offset: number; count: boolean }>(
      c: Context,
      tenant: string,
      f: Selection,
      map: TermMap,
      page: P,
      local: (page: P) => Promise<{ entities: StoredEntity[]; total: number | null }>,
    ) {
      const ts = await targets(c, tenant, 'queryEntity', f);
      if (!ts.length) return local(page);
      // Merging in id order needs every side's first offset + limit entities: deeper pages are local.
      if (page.offset + page.limit > MAX_WINDOW) {
        c.header('NGSILD-Warning', `199 - "context sources are asked for the first ${MAX_WINDOW} entities only"`, { append: true });
        return local(page);
      }
      const window = page.offset + page.limit;
      const paged = c.req.query('limit') !== undefined || c.req.query('offset') !== undefined;
      const params = (t: Target) => {
        const p = new URLSearchParams();
        const registered = t.infos.every((i) => i.entities) ? new Set(t.infos.flatMap((i) => i.entities!.map((e) => e.type))) : undefined;
        const types = f.types?.filter((x) => !registered || registered.has(x));
        if (types?.length) p.set('type', types.map((x) => compact(x, map)).join(','));
        for (const k of ['id', 'idPattern', 'q', 'georel', 'geometry', 'coordinates', 'geoproperty']) {
          const v = c.req.query(k);
          if (v !== undefined) p.set(k, v);
        }
        const attrs = attrsFor(t, f.attrs, map);
        if (attrs) p.set('attrs', attrs);
        if (paged) p.set('limit', String(window));
        if (t.reg.management?.localOnly) p.set('local', 'true');
        return p;
      };
      const [mine, ...answers] = await Promise.all([
        local({ ...page, limit: window, offset: 0 }),
        ...ts.map((t) => ask(c, t, '/ngsi-ld/v1/entities', params(t))),
      ]);
      warn(c, ts, answers);
      const byId = new Map(mine!.entities.map((e) => [e.id, e]));
      let added = 0;
      answers.forEach((a, k) => {
        if ('failure' in a) return;
        for (const e of a.entities) {
          if (!byId.has(e.id)) added++;
          byId.set(e.id, mergeEntity(byId.get(e.id), e, ts[k]!.reg.mode));
        }
      });
      const all = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return { entities: all.slice(page.offset, page.offset + page.limit), total: mine!.total === null ? null : mine!.total + added };
    },

    /** GET /entities/{id}: the local entity (if any) merged with what the matching sources hold of it. */
    async retrieve(c: Context, tenant: string, id: string, local: StoredEntity | undefined, map: TermMap) {
      // A local entity's types narrow the sources down: a retrieval by id seldom names the type.
      const types = list(c, 'type')?.map((t) => expand(t, map)) ?? local?.types;
      const attrs = list(c, 'attrs')?.map((a) => expand(a, map));
      const ts = await targets(c, tenant, 'retrieveEntity', { ids: [id], types, attrs });
      if (!ts.length) return local;
      const answers = await Promise.all(
        ts.map((t) => {
          const p = new URLSearchParams();
          const a = attrsFor(t, attrs, map);
          if (a) p.set('attrs', a);
          if (t.reg.management?.localOnly) p.set('local', 'true');
          return ask(c, t, `/ngsi-ld/v1/entities/${encodeURIComponent(id)}`, p);
        }),
      );
      warn(c, ts, answers);
      let e = local;
      answers.forEach((a, k) => {
        if ('failure' in a) return;
        for (const r of a.entities) if (r.id === id) e = mergeEntity(e, r, ts[k]!.reg.mode);
      });
      return e;
    },
  };
}
export type ContextSources = ReturnType<typeof contextSources>;
