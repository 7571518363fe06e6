// Hostile NGSI-LD requests (issue 9): entity writes, queries and subscriptions that must each be
// refused or only read, never stored: every write carries at least one change that makes it invalid.
import fc from 'fast-check';
import { dateish, enc, hostile, numberish, often, query, some, type Req } from './values.ts';

/** The entity and subscription the fuzzed server holds, which no request may change. */
export const ENTITY = 'urn:ngsi-ld:Fuzz:kept';
export const SUBSCRIPTION = 'urn:ngsi-ld:Subscription:fuzz-kept';

// Entities: a valid base and at least one change that makes it invalid, so nothing may be stored.
const square = [
  [
    [140, 40],
    [141, 40],
    [141, 41],
    [140, 41],
    [140, 40],
  ],
];
const breakers: fc.Arbitrary<(e: Record<string, unknown>) => void>[] = [
  fc
    .constantFrom(' ', 'a b', 'urn:x:\u0000', `urn:x:${'x'.repeat(300)}`, 'no-scheme', 123, null, [], {}, 'urn:x: 1')
    .map((id) => (e) => void (e.id = id)),
  fc.constantFrom(' ', 'a b', '', 123, [], [''], null, 'x"y', '\u0000').map((type) => (e) => void (e.type = type)),
  fc.constantFrom('a b', ' ', 'x;y', 'n'.repeat(300), '\u0000', '(').map((name) => (e) => void (e[name] = { type: 'Property', value: 1 })),
  fc
    .constantFrom<unknown>(
      { type: 'Property' },
      { type: 'Nope', value: 1 },
      { type: 'Relationship', object: 'not a uri' },
      { type: 'GeoProperty', value: { type: 'Point', coordinates: [999, 999] } },
      {
        type: 'GeoProperty',
        value: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
              [1, 0],
              [0, 1],
              [0, 0],
            ],
          ],
        },
      },
      {
        type: 'GeoProperty',
        value: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [0, 0],
            ],
          ],
        },
      },
      { type: 'GeoProperty', value: { type: 'Circle', coordinates: [0, 0] } },
      { type: 'Property', value: 1, observedAt: '0000-01-01T00:00:00Z' },
      { type: 'Property', value: 1, observedAt: '2025-01-01T00:00:00+23:00' },
      { type: 'Property', value: 1, observedAt: 12 },
      { type: 'Property', value: 'x\u0000' },
      { type: 'Property', value: { ['\u0000']: 1 } },
      { type: 'Property', value: '\ud800' },
      [
        { type: 'Property', value: 1 },
        { type: 'Property', value: 2 },
      ],
      { type: 'LanguageProperty', languageMap: { ja: 1 } },
      { type: 'Property', value: 1, datasetId: 'not a uri' },
      { type: 'Property', value: 1, unitCode: 5 },
      'just a string',
      null,
    )
    .map((a) => (e) => void (e.attr = a)),
  fc.constant((e: Record<string, unknown>) => void (e.location = { type: 'Property', value: { type: 'Point', coordinates: [999, 999] } })),
  fc.constant(
    (e: Record<string, unknown>) =>
      void (e.operationSpace = {
        type: 'GeoProperty',
        value: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [2, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
        },
      }),
  ),
];
const entity = fc
  .tuple(
    fc.dictionary(
      fc.stringMatching(/^[a-z][A-Za-z0-9]{0,8}$/),
      fc.jsonValue({ maxDepth: 3 }).map((value) => ({ type: 'Property', value: value ?? 0 })),
      { maxKeys: 4 },
    ),
    fc.array(fc.oneof(...breakers), { minLength: 1, maxLength: 3 }),
  )
  .map(([attrs, breaks]) => {
    const e: Record<string, unknown> = {
      id: 'urn:ngsi-ld:Fuzz:new',
      type: 'Fuzz',
      ...attrs,
      area: { type: 'GeoProperty', value: { type: 'Polygon', coordinates: square } },
    };
    breaks.forEach((b) => b(e));
    return e;
  });
const notJson = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.constantFrom('{', '{"id":', '[1,2', '{"a":1}}', "{'id':1}", '\u0000', '{"id":"urn:x:1","type":"T",}'),
  fc.integer({ min: 100, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc
    .integer({ min: 100, max: 20_000 })
    .map((n) => `{"id":"urn:x:1","type":"T","a":{"type":"Property","value":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}}`),
  fc.constant(JSON.stringify({ id: 'urn:x:big', type: 'T', a: { type: 'Property', value: 'x'.repeat(70 * 1024) } })),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/ld+json',
  'application/xml',
  'text/plain',
  '',
  'application/json; charset=utf-16',
  'multipart/form-data',
);
const tenant = some(fc.oneof(fc.constantFrom('fuzz', 'a'.repeat(65), 'a b', '../x', '\u00e9'), fc.string({ maxLength: 8 })));
const id = fc.oneof(fc.constant(ENTITY), fc.constant('urn:ngsi-ld:Fuzz:none'), hostile);
export const writes: fc.Arbitrary<Req> = fc
  .record({
    target: fc.constantFrom('create', 'batch', 'replace', 'append', 'update', 'attr', 'attrPut', 'upsert', 'batchUpdate', 'batchDelete'),
    entity,
    raw: some(notJson, 3),
    id,
    contentType,
    tenant,
    options: some(fc.constantFrom('noOverwrite', 'update', 'replace', 'bogus', '')),
  })
  .map(({ target, entity, raw, id: target_id, contentType, tenant, options }) => {
    const e = enc(target_id);
    const path = {
      create: '/entities',
      batch: '/entityOperations/create',
      upsert: '/entityOperations/upsert',
      batchUpdate: '/entityOperations/update',
      batchDelete: '/entityOperations/delete',
      replace: `/entities/${e}`,
      append: `/entities/${e}/attrs`,
      update: `/entities/${e}/attrs`,
      attr: `/entities/${e}/attrs/name`,
      attrPut: `/entities/${e}/attrs/name`,
    }[target];
    const method = { replace: 'PUT', update: 'PATCH', attr: 'PATCH', attrPut: 'PUT' }[target as string] ?? 'POST';
    const { id: _, type: __, ...fragment } = entity;
    const payload =
      target === 'batchDelete'
        ? [typeof entity.id === 'string' && entity.id !== 'urn:ngsi-ld:Fuzz:new' ? entity.id : 'not a uri']
        : target.startsWith('batch') || target === 'upsert'
          ? [entity, entity]
          : ['append', 'update'].includes(target)
            ? { ...fragment, bad: entity.attr ?? { type: 'Nope' } }
            : target.startsWith('attr')
              ? { type: 'Property', value: 'x\u0000', observedAt: '0000-01-01T00:00:00Z' }
              : entity;
    const body = raw ?? JSON.stringify(payload);
    const headers: Record<string, string> = { 'Content-Type': contentType };
    if (tenant !== undefined) headers['NGSILD-Tenant'] = tenant;
    if (contentType === 'application/ld+json' && raw === undefined && !Array.isArray(payload))
      return {
        method,
        path: `/ngsi-ld/v1${path}`,
        headers,
        body: JSON.stringify({ ...(payload as object), '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld' }),
      };
    return { method, path: `/ngsi-ld/v1${path}${options ? `?options=${options}` : ''}`, headers, body };
  });

// Queries: any combination of the parameters, with hostile values.
const geometry = fc.oneof(
  hostile,
  fc.constantFrom(
    '[140,40]',
    '[999,999]',
    '[[[0,0],[1,1],[1,0],[0,1],[0,0]]]',
    JSON.stringify(square),
    '[1e308,0]',
    '[[1,2],[3,4]]',
    `[${'['.repeat(500)}${']'.repeat(500)}]`,
  ),
  fc.array(fc.tuple(fc.double(), fc.double()), { maxLength: 20 }).map((p) => JSON.stringify([p])),
);
export const reads: fc.Arbitrary<Req> = fc
  .record({
    base: fc.oneof(
      { weight: 4, arbitrary: fc.constant('/ngsi-ld/v1/entities') },
      { weight: 2, arbitrary: fc.constant('/ngsi-ld/v1/temporal/entities') },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          `/ngsi-ld/v1/entities/${enc(ENTITY)}`,
          '/ngsi-ld/v1/subscriptions',
          '/ngsi-ld/v1/types',
          '/ngsi-ld/v1/attributes',
          '/ngsi-ld/v1/jsonldContexts',
        ),
      },
    ),
    // Mostly a valid restriction, so that the other parameters are read rather than the request refused early.
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constant('Fuzz') },
      { weight: 1, arbitrary: hostile },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    id: some(hostile, 6),
    idPattern: some(hostile, 6),
    q: some(
      fc.oneof(
        hostile,
        fc.constantFrom(
          'name~="(.*.*)*!"',
          'name==1..',
          '((((name',
          'name[a][b]==1',
          'a.b.c!=true',
          `name==${'('.repeat(100)}`,
          'name=="x\u0000"',
        ),
      ),
      6,
    ),
    attrs: some(hostile, 6),
    // The geo-query and the temporal query come as groups, often complete, so their values are checked together.
    geo: some(
      fc.record({
        georel: often(
          fc.oneof(
            hostile,
            fc.constantFrom('near;maxDistance==1000', 'near;maxDistance==1e400', 'within', 'intersects', 'disjoint', 'equals', 'near'),
          ),
        ),
        geometry: often(fc.constantFrom('Point', 'Polygon', 'LineString', 'Circle', '')),
        coordinates: often(geometry),
      }),
      3,
    ),
    limit: some(numberish, 4),
    offset: some(numberish, 4),
    time: some(
      fc.record({
        timerel: often(fc.constantFrom('before', 'after', 'between', 'x')),
        timeAt: often(dateish),
        endTimeAt: some(dateish, 3),
      }),
      3,
    ),
    options: some(fc.constantFrom('keyValues', 'sysAttrs', 'temporalValues', 'aggregatedValues', 'bogus'), 6),
    aggrMethods: some(hostile, 6),
    count: some(fc.constantFrom('true', 'x'), 6),
    tenant,
    link: some(fc.oneof(hostile, fc.constant('<https://example.org/missing.jsonld>; rel="http://www.w3.org/ns/json-ld#context"')), 6),
  })
  .map((p) => {
    const { base, tenant, link, geo, time, ...rest } = p;
    const params = { ...rest, ...geo, ...time };
    const headers: Record<string, string> = {};
    if (tenant !== undefined) headers['NGSILD-Tenant'] = tenant;
    if (link !== undefined) headers.Link = link;
    const qs = query(Object.entries(params) as [string, string | undefined][]);
    return { method: 'GET', path: `${base}?${qs}`, headers };
  });

// Subscriptions: a valid one with at least one invalid member (endpoint URIs are the outbound policy's).
const subBreakers: fc.Arbitrary<(s: Record<string, unknown>) => void>[] = [
  fc.constantFrom('((', 'name~="(a)\\\\1"', 'name==', '', 5, 'x'.repeat(5000)).map((q) => (s) => void (s.q = q)),
  fc
    .constantFrom<unknown>(
      { georel: 'near', geometry: 'Point', coordinates: [140, 40] },
      {
        georel: 'within',
        geometry: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [1, 0],
            [0, 1],
            [0, 0],
          ],
        ],
      },
      { georel: 'within', geometry: 'Point', coordinates: [999, 999] },
      { georel: 'x', geometry: 'Point', coordinates: [1, 1] },
      'geo',
    )
    .map((g) => (s) => void (s.geoQ = g)),
  fc
    .constantFrom('0000-01-01T00:00:00Z', '2999-01-01T00:00:00+23:00', '2000-01-01T00:00:00Z', 'soon', 1)
    .map((x) => (s) => void (s.expiresAt = x)),
  // (null would remove it on an update, which is valid.)
  fc.constantFrom(-1, 'x', [1]).map((x) => (s) => void (s.throttling = x)),
  fc
    .constantFrom<unknown>([], [{ type: ' ' }], [{ type: 'a b' }], [{ type: 'T', idPattern: '(?=x)' }], [{ type: 'T', id: 'no uri' }], 'T')
    .map((x) => (s) => void (s.entities = x)),
  fc.constantFrom<unknown>(['a b'], [], [''], 'name').map((x) => (s) => void (s.watchedAttributes = x)),
  fc.constantFrom('x\u0000', '\ud800').map((x) => (s) => void (s.description = x)),
  fc.constantFrom('yes', 1).map((x) => (s) => void (s.isActive = x)),
  fc.constantFrom('bogus', 'notification').map((k) => (s) => void (k === 'bogus' ? (s.bogus = 1) : (s.notification = 'none'))),
  fc
    .constantFrom('text/xml', 5)
    .map((accept) => (s) => void (s.notification = { endpoint: { uri: 'http://receiver.example.jp/n', accept } })),
];
export const subscriptions: fc.Arbitrary<Req> = fc
  .record({
    breaks: fc.array(fc.oneof(...subBreakers), { minLength: 1, maxLength: 3 }),
    method: fc.constantFrom('POST', 'PATCH'),
    raw: some(notJson, 4),
    tenant,
  })
  .map(({ breaks, method, raw, tenant }) => {
    const s: Record<string, unknown> = {
      type: 'Subscription',
      entities: [{ type: 'Fuzz' }],
      notification: { endpoint: { uri: 'http://receiver.example.jp/n' } },
    };
    if (method === 'POST') s.id = 'urn:ngsi-ld:Subscription:fuzz-new';
    breaks.forEach((b) => b(s));
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (tenant !== undefined) headers['NGSILD-Tenant'] = tenant;
    const path = method === 'POST' ? '/ngsi-ld/v1/subscriptions' : `/ngsi-ld/v1/subscriptions/${enc(SUBSCRIPTION)}`;
    return { method, path, headers, body: raw ?? JSON.stringify(s) };
  });
