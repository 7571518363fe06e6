// The context store (/ngsi-ld/v1/jsonldContexts, ETSI GS CIM 009 v1.8 clause 5.13): clients add
// @context documents that the broker then hosts and uses, so nobody needs the internet to resolve
// them. The documents of NGSI_LD_CONTEXTS are listed as cached copies; the core context too. The broker's
// own documents (`builtIn`: the personal tenant's) are hosted at their local id and cannot be deleted.
import { randomBytes } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { dataVersion } from '../../platform/cache.ts';
import type { Db } from '../../platform/db.ts';
import { CORE_CONTEXT_URL, clearTermMaps, coreDocument, type ContextLoader } from './context.ts';
import { problem } from './errors.ts';
import { pathSegment, readJson } from './request.ts';
import * as repo from './repository.ts';

export function contextStore(
  db: Db,
  baseUrl: string,
  configured: Record<string, unknown>,
  maxHosted: number,
  builtIn: Record<string, unknown> = {},
) {
  const prefix = `${baseUrl}/ngsi-ld/v1/jsonldContexts/`;
  /** The URL each built-in document is served at, by local id. */
  const urlOf = (id: string) => prefix + pathSegment(id);
  const own = new Map(Object.entries(builtIn).map(([id, document]) => [urlOf(id), document]));
  /** Hosted documents by URL, read from the database again when a request names one this process has not seen. */
  const hosted = new Map<string, { id: string; document: unknown; createdAt: string }>();
  const reload = async () => {
    hosted.clear();
    for (const r of await repo.hostedContexts(db)) hosted.set(r.url, { id: r.id, document: r.document, createdAt: r.createdAt });
  };
  let loaded: Promise<void> | undefined;
  // A context added or deleted through another server process: reloaded within a quarter second.
  const fresh = dataVersion(db, 'broker_contexts');
  fresh.onChange(() => {
    loaded = reload();
    clearTermMaps();
  });

  const load: ContextLoader = (url) => configured[url] ?? own.get(url) ?? hosted.get(url)?.document;

  /** Hosted contexts a request names are in memory (another process may have added them). */
  const prepare = async (c: Context) => {
    const checking = fresh.check();
    if (checking) await checking;
    loaded ??= reload();
    await loaded;
    const link = c.req.header('Link') ?? '';
    const known = [...own.keys(), ...hosted.keys()];
    if (link.includes(prefix) && !known.some((u) => link.includes(`<${u}>`))) await reload();
  };
  const ready: MiddlewareHandler = async (c, next) => {
    await prepare(c);
    return next();
  };

  const routes = new Hono();
  const entries = () => [
    { URL: CORE_CONTEXT_URL, localId: 'urn:ngsi-ld:context:core', kind: 'Cached' },
    ...Object.keys(configured).map((url) => ({ URL: url, localId: `urn:ngsi-ld:context:configured:${url}`, kind: 'Cached' })),
    ...Object.keys(builtIn).map((id) => ({ URL: urlOf(id), localId: id, kind: 'Hosted' })),
    ...[...hosted].map(([url, h]) => ({ URL: url, localId: h.id, kind: 'Hosted', createdAt: h.createdAt })),
  ];
  const byId = (id: string) => entries().find((e) => e.localId === id);

  routes.get('/ngsi-ld/v1/jsonldContexts', (c) => {
    const kind = c.req.query('kind');
    if (kind && !['Hosted', 'Cached', 'ImplicitlyCreated'].includes(kind))
      throw problem('BadRequestData', 'kind must be Hosted, Cached or ImplicitlyCreated.');
    const list = entries().filter((e) => !kind || e.kind === kind);
    return c.json(c.req.query('details') === 'true' ? list : list.map((e) => e.URL));
  });

  routes.post('/ngsi-ld/v1/jsonldContexts', async (c) => {
    const { json } = await readJson(c);
    const context = (json as { '@context'?: unknown } | null)?.['@context'];
    if (!context || typeof context !== 'object' || Array.isArray(context))
      throw problem('BadRequestData', 'The body must be a JSON-LD context document: {"@context": {"term": "IRI", …}}.');
    for (const [term, iri] of Object.entries(context)) {
      const id = typeof iri === 'string' ? iri : (iri as { '@id'?: unknown } | null)?.['@id'];
      if (typeof id !== 'string') throw problem('BadRequestData', `The term ${term} must map to an IRI (a string or {"@id": …}).`);
    }
    // Hosted documents are kept in every process's memory: their number is bounded (their size by the body limit).
    await reload();
    if (hosted.size >= maxHosted)
      throw problem('BadRequestData', `The context store holds at most ${maxHosted} hosted @contexts; delete one first.`);
    const id = `urn:ngsi-ld:context:${randomBytes(8).toString('hex')}`;
    const url = prefix + pathSegment(id);
    await repo.insertContext(db, { id, url, document: json });
    hosted.set(url, { id, document: json, createdAt: new Date().toISOString() });
    c.header('Location', url);
    return c.body(null, 201);
  });

  routes.get('/ngsi-ld/v1/jsonldContexts/:id', (c) => {
    const entry = byId(c.req.param('id'));
    if (!entry) throw problem('ResourceNotFound', `No @context ${c.req.param('id')} in the context store.`);
    if (c.req.query('details') === 'true') return c.json(entry);
    const document = entry.URL === CORE_CONTEXT_URL ? coreDocument : load(entry.URL);
    return c.json(document, 200, { 'Content-Type': 'application/ld+json' });
  });

  routes.delete('/ngsi-ld/v1/jsonldContexts/:id', async (c) => {
    const entry = byId(c.req.param('id'));
    if (!entry) throw problem('ResourceNotFound', `No @context ${c.req.param('id')} in the context store.`);
    if (c.req.query('reload') === 'true')
      throw problem('OperationNotSupported', 'This broker never downloads contexts, so it cannot reload one.');
    if (entry.kind !== 'Hosted' || own.has(entry.URL))
      throw problem('OperationNotSupported', 'The core context, the broker’s own and those of NGSI_LD_CONTEXTS cannot be deleted here.');
    await repo.deleteContext(db, entry.localId);
    hosted.delete(entry.URL);
    clearTermMaps();
    return c.body(null, 204);
  });

  return { load, prepare, ready, routes, urlOf };
}
