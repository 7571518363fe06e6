// The two reads of the personal tenant (ETSI GS CIM 009 v1.8, 5.7.1 retrieve entity, 5.7.2 query
// entities) over residents' released data: the request's filters are applied in memory to the few
// residents released to the client, and the answer is rendered as any other entity is (entity.ts,
// request.ts), compacted with the request's @context, or the personal tenant's own when none is given.
import type { Context } from 'hono';
import { contextFromLink, expand, termMap, type ContextLoader, type TermMap } from './context.ts';
import { render, type StoredEntity } from './entity.ts';
import { problem } from './errors.ts';
import { limitsOf, workBudget } from './limits.ts';
import { representationOf } from './media.ts';
import { checkParams } from './params.ts';
import { compilePattern } from './pattern.ts';
import { matches } from './q.ts';
import { options, paging, send } from './request.ts';
import { entityFilter } from './select.ts';

export const PERSON = 'Person';
export const PERSON_PREFIX = `urn:ngsi-ld:${PERSON}:`;
/** What `Person` means in the personal @context: the resident the released data is about. */
const PERSON_IRI = 'https://schema.org/Person';
/** The most ids one query may name: each is one read through the gate. */
const MAX_IDS = 100;
const queryParams = ['type', 'id', 'idPattern', 'attrs', 'q', 'options', 'format', 'limit', 'offset', 'count'];
const retrieveParams = ['attrs', 'options', 'format'];

/** The hosted @context of the personal tenant: Person and the terms of the data categories. */
export const personalContext = (terms: Record<string, string>) => ({ '@context': { Person: PERSON_IRI, ...terms } });

export type Released = { pairwiseId: string; data: Record<string, unknown> };
/** Released residents; `only` is asked of each pairwise id before its data is read (and logged). */
export type ReadReleased = (only?: (pairwiseId: string) => boolean) => Promise<Released[]>;

export interface PersonalContexts {
  load: ContextLoader;
  /** The URL of the personal @context (the context store serves it). */
  url: string;
}

/**
 * A released resident as an entity in the stored (expanded) form. It is never stored, so it has no
 * creation or modification time: sysAttrs adds nothing to it.
 */
function asStored(r: Released, own: TermMap): StoredEntity {
  const noTime = undefined as unknown as string;
  const attrs = Object.entries(r.data).map(([k, value]) => [
    expand(k, own),
    [{ type: 'Property' as const, value, createdAt: noTime, modifiedAt: noTime }],
  ]);
  return {
    id: `${PERSON_PREFIX}${r.pairwiseId}`,
    types: [PERSON_IRI],
    attrs: Object.fromEntries(attrs),
    createdAt: noTime,
    modifiedAt: noTime,
  };
}

/** The request's @context (its Link header, else the personal one) and the term maps to read and render with. */
function contextOf(c: Context, contexts: PersonalContexts) {
  const link = contextFromLink(c.req.header('Link')) ?? contexts.url;
  return { link, map: termMap(link, contexts.load), own: termMap(contexts.url, contexts.load) };
}

/** Links to the previous and next pages (5.5.9, 6.3.10): the request's own URL with another offset. */
function pageLinks(c: Context, page: { limit: number; offset: number }, total: number) {
  if (page.limit === 0) return [];
  const at = (offset: number) => {
    const url = new URL(c.req.url);
    url.searchParams.set('offset', String(offset));
    return `<${url.pathname}${url.search}>`;
  };
  const links = [];
  if (page.offset > 0) links.push(`${at(Math.max(0, page.offset - page.limit))}; rel="prev"`);
  if (page.offset + page.limit < total) links.push(`${at(page.offset + page.limit)}; rel="next"`);
  return links;
}

/** GET /entities on the personal tenant: type, id, idPattern, attrs, q, limit/offset/count. */
export async function queryPersons(c: Context, read: ReadReleased, contexts: PersonalContexts) {
  checkParams(c, queryParams);
  const { link, map, own } = contextOf(c, contexts);
  const f = entityFilter(c, map);
  if (f.empty) throw problem('BadRequestData', 'Give at least one of type, id, idPattern, attrs or q (6.4.3.2).');
  if (f.ids && f.ids.length > MAX_IDS) throw problem('TooManyResults', `id names more than ${MAX_IDS} entities.`);
  const page = paging(c);
  const o = { ...options(c), attrs: f.attrs && new Set(f.attrs) };
  // Refused before any resident is read, so a request that cannot be answered logs nothing.
  representationOf(c);
  if (f.types && !f.types.includes(PERSON_IRI)) {
    if (page.count) c.header('NGSILD-Results-Count', '0');
    return send(c, [], link);
  }
  const ids = f.ids && new Set(f.ids);
  const idPattern = f.idPattern === undefined ? undefined : compilePattern(f.idPattern, 'idPattern');
  const wanted = (pairwise: string) => {
    const id = `${PERSON_PREFIX}${pairwise}`;
    return (!ids || ids.has(id)) && (!idPattern || idPattern.test(id));
  };
  const budget = workBudget(limitsOf(c).queryMs);
  const found: StoredEntity[] = [];
  for (const e of (await read(ids || idPattern ? wanted : undefined)).map((r) => asStored(r, own))) {
    await budget.step();
    if (f.attrs && !f.attrs.some((a) => a in e.attrs)) continue;
    if (f.q && !matches(e, f.q, map)) continue;
    found.push(e);
  }
  found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (page.count) c.header('NGSILD-Results-Count', String(found.length));
  const res = send(
    c,
    found.slice(page.offset, page.offset + page.limit).map((e) => render(e, map, o)),
    link,
  );
  for (const l of pageLinks(c, page, found.length)) res.headers.append('Link', l);
  return res;
}

/** GET /entities/{entityId} on the personal tenant: a released resident, or 404 ResourceNotFound. */
export async function retrievePerson(c: Context, id: string, read: ReadReleased, contexts: PersonalContexts) {
  checkParams(c, retrieveParams);
  const { link, map, own } = contextOf(c, contexts);
  const attrs = c.req.query('attrs');
  const o = { ...options(c), attrs: attrs ? new Set(attrs.split(',').map((a) => expand(a, map))) : undefined };
  representationOf(c);
  const pairwise = id.startsWith(PERSON_PREFIX) && id.length > PERSON_PREFIX.length ? id.slice(PERSON_PREFIX.length) : undefined;
  const [found] = pairwise ? await read((p) => p === pairwise) : [];
  if (!found) throw problem('ResourceNotFound', `No entity ${id} is released to this client.`);
  return send(c, render(asStored(found, own), map, o), link);
}
