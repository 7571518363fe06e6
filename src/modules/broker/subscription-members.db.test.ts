// Subscription members beyond the basics, written from ETSI GS CIM 009 v1.8 (5.2.12 Subscription,
// 5.2.14 NotificationParams, 5.2.15 Endpoint, 4.15 language filter, 5.8 and 5.11), over HTTP with a
// real receiver on 127.0.0.1 and the real notifier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../../test/db.ts';
import { brokerRequest, linkHeader, SHELTER_CONTEXT } from '../../../test/ngsi-ld.ts';
import { notifyingBroker, notifyingOptions } from '../../../test/notifying.ts';
import { CORE_CONTEXT_URL } from './context.ts';
import { createBrokerModule } from './index.ts';

const LINK = linkHeader(SHELTER_CONTEXT);
const NULL = 'urn:ngsi-ld:null';
const brokerOptions = notifyingOptions();

let t: Awaited<ReturnType<typeof notifyingBroker>>['t'];
let rx: Awaited<ReturnType<typeof notifyingBroker>>['rx'];
let close: () => Promise<void>;
beforeAll(async () => void ({ t, rx, close } = await notifyingBroker()));
afterAll(() => close());

const req = brokerRequest(() => t.app, LINK);
const enc = encodeURIComponent;
async function subscribe(s: Record<string, unknown>) {
  const res = await req('POST', '/subscriptions', { type: 'Subscription', ...s });
  expect(
    res.status,
    JSON.stringify(
      await res
        .clone()
        .json()
        .catch(() => null),
    ),
  ).toBe(201);
  return decodeURIComponent(res.headers.get('Location')!.split('/').at(-1)!);
}
const endpoint = (path: string, extra: Record<string, unknown> = {}) => ({ endpoint: { uri: `${rx.url}${path}`, ...extra } });
const getSubscription = async (id: string) => (await (await req('GET', `/subscriptions/${enc(id)}`)).json()) as any;
async function write(entity: Record<string, unknown>) {
  const res = await req('POST', '/entityOperations/upsert?options=update', [{ type: 'Shelter', ...entity }]);
  expect(res.status).toBeLessThan(300);
}
const remove = async (path: string) => expect((await req('DELETE', path)).status).toBe(204);
const prop = (value: unknown, extra: Record<string, unknown> = {}) => ({ type: 'Property', value, ...extra });
const rel = (object: string) => ({ type: 'Relationship', object });
const langs = (languageMap: Record<string, string>) => ({ type: 'LanguageProperty', languageMap });

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const received = async (path: string, n: number) => {
  await until(() => rx.to(path).length >= n, `${path} has ${n} notifications`);
  return rx.to(path).map((d) => d.body);
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const subscriptionCount = async () =>
  (await rows<{ n: number }>(t.database, sql`select count(*)::int as n from broker_subscriptions`))[0]!.n;
const selecting = (prefix: string) => ({ entities: [{ type: 'Shelter', idPattern: `^urn:ngsi-ld:Shelter:${prefix}` }] });

describe('5.2.12 notificationTrigger', () => {
  it('5.2.12 entityCreated notifies creations only (ETSI GS CIM 009 v1.8)', async () => {
    await subscribe({ ...selecting('created'), notificationTrigger: ['entityCreated'], notification: endpoint('/created') });
    await write({ id: 'urn:ngsi-ld:Shelter:created-1', capacity: prop(1) });
    await write({ id: 'urn:ngsi-ld:Shelter:created-1', capacity: prop(2) });
    await remove(`/entities/${enc('urn:ngsi-ld:Shelter:created-1')}`);
    await write({ id: 'urn:ngsi-ld:Shelter:created-2', capacity: prop(3) });
    // Notifications arrive in order: had the update or the deletion notified, it would come second.
    expect((await received('/created', 2)).map((n) => n.data[0].capacity.value)).toEqual([1, 3]);
  });

  it('5.2.12 entityDeleted: the entity with deletedAt and each attribute as urn:ngsi-ld:null, with showChanges what it was (ETSI GS CIM 009 v1.8)', async () => {
    const deleted = { ...selecting('deleted'), notificationTrigger: ['entityDeleted'] };
    await subscribe({ ...deleted, notification: { showChanges: true, ...endpoint('/deleted') } });
    await subscribe({ ...deleted, notification: { format: 'keyValues', attributes: ['name'], ...endpoint('/deleted-kv') } });
    await subscribe({ ...deleted, notification: { sysAttrs: true, attributes: ['name'], ...endpoint('/deleted-sys') } });
    const id = 'urn:ngsi-ld:Shelter:deleted-1';
    await write({ id, name: prop('浦町小学校'), area: rel('urn:ngsi-ld:Municipality:02201'), street: langs({ ja: '本町', en: 'Honcho' }) });
    await write({ id, name: prop('浦町小') });
    await remove(`/entities/${enc(id)}`);
    const [n] = await received('/deleted', 1);
    expect(n.data).toEqual([
      {
        id,
        type: 'Shelter',
        deletedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        name: { type: 'Property', previousValue: '浦町小', value: NULL },
        area: { type: 'Relationship', previousObject: 'urn:ngsi-ld:Municipality:02201', object: NULL },
        street: { type: 'LanguageProperty', previousLanguageMap: { ja: '本町', en: 'Honcho' }, languageMap: NULL },
      },
    ]);
    expect((await received('/deleted-kv', 1))[0].data).toEqual([{ id, type: 'Shelter', deletedAt: n.data[0].deletedAt, name: NULL }]);
    const [sys] = (await received('/deleted-sys', 1))[0].data;
    const deletedAt = n.data[0].deletedAt;
    expect(sys).toEqual({ id, type: 'Shelter', createdAt: sys.createdAt, modifiedAt: sys.modifiedAt, deletedAt, name: sys.name });
    const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(sys.name).toEqual({ type: 'Property', value: NULL, createdAt: iso, modifiedAt: sys.modifiedAt, deletedAt });
    expect(Date.parse(sys.modifiedAt)).toBeGreaterThan(Date.parse(sys.createdAt));
  });

  it('5.2.12 attributeDeleted: the entity as it now is, the deleted attribute as urn:ngsi-ld:null (ETSI GS CIM 009 v1.8)', async () => {
    await subscribe({ ...selecting('attr-deleted'), notificationTrigger: ['attributeDeleted'], notification: endpoint('/attr-deleted') });
    const id = 'urn:ngsi-ld:Shelter:attr-deleted-1';
    await write({ id, name: prop('浦町小学校'), capacity: prop(500), area: rel('urn:ngsi-ld:Municipality:02201') });
    await write({ id, capacity: prop(600) });
    await remove(`/entities/${enc(id)}/attrs/area`);
    await remove(`/entities/${enc(id)}/attrs/capacity`);
    const [first, second] = await received('/attr-deleted', 2);
    expect(first.data).toEqual([
      { id, type: 'Shelter', name: prop('浦町小学校'), capacity: prop(600), area: { type: 'Relationship', object: NULL } },
    ]);
    expect(second.data).toEqual([{ id, type: 'Shelter', name: prop('浦町小学校'), capacity: { type: 'Property', value: NULL } }]);
  });

  it('5.2.12 entityUpdated stands for attributeCreated, attributeUpdated and attributeDeleted; the default for the first two (ETSI GS CIM 009 v1.8)', async () => {
    await subscribe({ ...selecting('updated'), notificationTrigger: ['entityUpdated'], notification: endpoint('/entity-updated') });
    await subscribe({ ...selecting('updated'), notification: endpoint('/default-triggers') });
    const id = 'urn:ngsi-ld:Shelter:updated-1';
    await write({ id, capacity: prop(1) });
    await write({ id, capacity: prop(2), name: prop('浦町小') });
    await remove(`/entities/${enc(id)}/attrs/name`);
    await write({ id, capacity: prop(3) });
    const all = (await received('/entity-updated', 4)).map((n) => [n.data[0].capacity.value, n.data[0].name?.value ?? null]);
    expect(all).toEqual([
      [1, null],
      [2, '浦町小'],
      [2, NULL],
      [3, null],
    ]);
    expect((await received('/default-triggers', 3)).map((n) => n.data[0].capacity.value)).toEqual([1, 2, 3]);
  });
});

describe('5.2.14 showChanges, 5.2.12 datasetId, 4.15 lang', () => {
  it('5.2.14 showChanges: previousValue, previousObject, previousLanguageMap beside what changed (ETSI GS CIM 009 v1.8)', async () => {
    await subscribe({ ...selecting('changes'), notification: { showChanges: true, ...endpoint('/changes') } });
    const id = 'urn:ngsi-ld:Shelter:changes-1';
    await write({
      id,
      name: prop('浦町小学校'),
      area: rel('urn:ngsi-ld:Municipality:02201'),
      street: langs({ ja: '本町' }),
      capacity: prop(5),
    });
    await write({
      id,
      name: prop('浦町小'),
      area: rel('urn:ngsi-ld:Municipality:02202'),
      street: langs({ ja: '本町二丁目' }),
      capacity: prop(5),
    });
    const [created, changed] = await received('/changes', 2);
    expect(created.data[0].name).toEqual(prop('浦町小学校'));
    expect(changed.data[0]).toEqual({
      id,
      type: 'Shelter',
      name: { type: 'Property', value: '浦町小', previousValue: '浦町小学校' },
      area: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02202', previousObject: 'urn:ngsi-ld:Municipality:02201' },
      street: { type: 'LanguageProperty', languageMap: { ja: '本町二丁目' }, previousLanguageMap: { ja: '本町' } },
      capacity: prop(5),
    });
  });

  it('5.2.12 datasetId: only the instances of those datasetIds trigger and are sent, also with notification.attributes (ETSI GS CIM 009 v1.8)', async () => {
    const ja = 'urn:ngsi-ld:Dataset:ja';
    await subscribe({ ...selecting('dataset'), datasetId: [ja], notification: endpoint('/dataset') });
    await subscribe({
      ...selecting('dataset'),
      datasetId: ['@none'],
      notification: { attributes: ['name'], ...endpoint('/dataset-none') },
    });
    const id = 'urn:ngsi-ld:Shelter:dataset-1';
    await write({ id, name: [prop('Uramachi'), prop('浦町', { datasetId: ja })], capacity: prop(5) });
    await write({ id, name: [prop('Uramachi school'), prop('浦町', { datasetId: ja })] });
    await write({ id, name: [prop('Uramachi school'), prop('浦町小', { datasetId: ja })] });
    expect((await received('/dataset', 2)).map((n) => n.data)).toEqual([
      [{ id, type: 'Shelter', name: prop('浦町', { datasetId: ja }) }],
      [{ id, type: 'Shelter', name: prop('浦町小', { datasetId: ja }) }],
    ]);
    expect((await received('/dataset-none', 2)).map((n) => n.data)).toEqual([
      [{ id, type: 'Shelter', name: prop('Uramachi') }],
      [{ id, type: 'Shelter', name: prop('Uramachi school') }],
    ]);
  });

  it('4.15 lang: a LanguageProperty is sent as a Property in the first language it has (ETSI GS CIM 009 v1.8)', async () => {
    await subscribe({ ...selecting('lang'), lang: 'fr,ja', notification: endpoint('/lang') });
    await subscribe({ ...selecting('lang'), lang: 'en', notification: { format: 'keyValues', ...endpoint('/lang-kv') } });
    await subscribe({ ...selecting('lang'), lang: '*', notification: endpoint('/lang-all') });
    const id = 'urn:ngsi-ld:Shelter:lang-1';
    await write({ id, street: langs({ ja: '本町', en: 'Honcho' }) });
    expect((await received('/lang', 1))[0].data[0].street).toEqual({ type: 'Property', value: '本町', lang: 'ja' });
    expect((await received('/lang-kv', 1))[0].data[0].street).toBe('Honcho');
    expect((await received('/lang-all', 1))[0].data[0].street).toEqual(langs({ ja: '本町', en: 'Honcho' }));
  });
});

describe('5.2.12 timeInterval: periodic notifications', () => {
  const gaps = (list: any[]) => list.slice(1).map((n, k) => Date.parse(n.notifiedAt) - Date.parse(list[k].notifiedAt));

  it('5.2.12 every timeInterval seconds the entities as they now are; changes alone notify nothing (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Shelter:periodic-1';
    await write({ id, capacity: prop(1) });
    const sub = await subscribe({ entities: [{ type: 'Shelter', id }], timeInterval: 1, notification: endpoint('/periodic') });
    expect((await getSubscription(sub)).timeInterval).toBe(1);
    const [first] = await received('/periodic', 1);
    expect(first.data).toEqual([{ id, type: 'Shelter', capacity: prop(1) }]);
    await write({ id, capacity: prop(2) });
    await write({ id, capacity: prop(3) });
    const list = await received('/periodic', 3);
    expect(list[1].data[0].capacity.value).toBe(3);
    const { lastNotification } = (await getSubscription(sub)).notification;
    expect(Date.parse(lastNotification)).toBeGreaterThanOrEqual(Date.parse(list[2].notifiedAt));
    for (const gap of gaps(list)) expect(gap).toBeGreaterThanOrEqual(900);
    expect((await req('DELETE', `/subscriptions/${enc(sub)}`)).status).toBe(204);
  });

  it('5.2.12 with two servers on one database, each period is sent once (ETSI GS CIM 009 v1.8)', async () => {
    const other = createBrokerModule({
      db: t.database.db,
      baseUrl: 'http://127.0.0.1:9',
      ...brokerOptions,
      tokenScopes: async () => new Set(),
    });
    other.commands.startNotifier();
    try {
      const id = 'urn:ngsi-ld:Shelter:periodic-shared';
      await write({ id, capacity: prop(1) });
      const sub = await subscribe({ entities: [{ type: 'Shelter', id }], timeInterval: 1, notification: endpoint('/periodic-shared') });
      const list = await received('/periodic-shared', 3);
      for (const gap of gaps(list)) expect(gap).toBeGreaterThanOrEqual(900);
      expect((await req('DELETE', `/subscriptions/${enc(sub)}`)).status).toBe(204);
    } finally {
      await other.commands.stopNotifier();
    }
  });

  it('5.8.2 a paused periodic subscription sends nothing until it is active again (ETSI GS CIM 009 v1.8)', async () => {
    const id = 'urn:ngsi-ld:Shelter:periodic-paused';
    await write({ id, capacity: prop(1) });
    const sub = await subscribe({
      entities: [{ type: 'Shelter', id }],
      timeInterval: 1,
      isActive: false,
      notification: endpoint('/periodic-paused'),
    });
    await pause(1500);
    expect(rx.to('/periodic-paused')).toEqual([]);
    expect((await req('PATCH', `/subscriptions/${enc(sub)}`, { isActive: true })).status).toBe(204);
    await received('/periodic-paused', 1);
    expect((await req('DELETE', `/subscriptions/${enc(sub)}`)).status).toBe(204);
  });
});

describe('5.2.12 jsonldContext, 5.2.15 receiverInfo, status', () => {
  it('5.2.12 jsonldContext: notifications are compacted with it and name it (ETSI GS CIM 009 v1.8)', async () => {
    await subscribe({ ...selecting('jsonld'), jsonldContext: CORE_CONTEXT_URL, notification: endpoint('/jsonld') });
    await write({ id: 'urn:ngsi-ld:Shelter:jsonld-1', capacity: prop(7) });
    const [n] = await received('/jsonld', 1);
    expect(n.data).toEqual([
      {
        id: 'urn:ngsi-ld:Shelter:jsonld-1',
        type: 'https://smartdatamodels.org/dataModel.Emergency/Shelter',
        'https://smartdatamodels.org/capacity': prop(7),
      },
    ]);
    expect(rx.to('/jsonld')[0]!.headers.link).toContain(`<${CORE_CONTEXT_URL}>`);
    const unknown = await req('POST', '/subscriptions', {
      type: 'Subscription',
      ...selecting('x'),
      jsonldContext: 'https://example.jp/none.jsonld',
      notification: endpoint('/x'),
    });
    expect(unknown.status).toBe(503);
    expect(((await unknown.json()) as any).type).toBe('https://uri.etsi.org/ngsi-ld/errors/LdContextNotAvailable');
  });

  it('5.2.15 receiverInfo: sent as headers of each notification; notifierInfo kept (ETSI GS CIM 009 v1.8)', async () => {
    const receiverInfo = [
      { key: 'X-Api-Key', value: 'aomori-123' },
      { key: 'Authorization', value: 'Bearer abc' },
    ];
    const notifierInfo = [{ key: 'MQTT-QoS', value: '1' }];
    const sub = await subscribe({ ...selecting('headers'), notification: endpoint('/headers', { receiverInfo, notifierInfo }) });
    expect((await getSubscription(sub)).notification.endpoint).toEqual({
      uri: `${rx.url}/headers`,
      accept: 'application/json',
      receiverInfo,
      notifierInfo,
    });
    await write({ id: 'urn:ngsi-ld:Shelter:headers-1', capacity: prop(1) });
    await received('/headers', 1);
    const { headers } = rx.to('/headers')[0]!;
    expect([headers['x-api-key'], headers.authorization, headers['content-type']]).toEqual([
      'aomori-123',
      'Bearer abc',
      'application/json',
    ]);
  });

  it('5.8.2 an expired subscription is active again once expiresAt moves on (ETSI GS CIM 009 v1.8)', async () => {
    const sub = await subscribe({
      ...selecting('expiry'),
      expiresAt: new Date(Date.now() + 800).toISOString(),
      notification: endpoint('/expiry'),
    });
    await pause(900);
    await write({ id: 'urn:ngsi-ld:Shelter:expiry-1', capacity: prop(1) });
    expect((await getSubscription(sub)).status).toBe('expired');
    const later = new Date(Date.now() + 3600_000).toISOString();
    expect((await req('PATCH', `/subscriptions/${enc(sub)}`, { expiresAt: later })).status).toBe(204);
    expect((await getSubscription(sub)).status).toBe('active');
    await write({ id: 'urn:ngsi-ld:Shelter:expiry-1', capacity: prop(2) });
    expect((await received('/expiry', 1)).map((n) => n.data[0].capacity.value)).toEqual([2]);
  });
});

describe('5.2.12 bad members are BadRequestData and change nothing', () => {
  const good = { type: 'Subscription', ...selecting('bad'), notification: { endpoint: { uri: 'http://127.0.0.1:9/x' } } };
  const withEndpoint = (extra: Record<string, unknown>) => ({
    ...good,
    notification: { endpoint: { uri: 'http://127.0.0.1:9/x', ...extra } },
  });
  it.each([
    ['an unknown notificationTrigger', { ...good, notificationTrigger: ['entityTouched'] }],
    ['an empty notificationTrigger', { ...good, notificationTrigger: [] }],
    ['a trigger named twice', { ...good, notificationTrigger: ['entityCreated', 'entityCreated'] }],
    ['showChanges that is not a boolean', { ...good, notification: { ...good.notification, showChanges: 'yes' } }],
    ['a timeInterval of 0', { ...good, timeInterval: 0 }],
    ['a timeInterval that is a string', { ...good, timeInterval: '10' }],
    ['timeInterval with watchedAttributes', { ...good, timeInterval: 10, watchedAttributes: ['capacity'] }],
    ['timeInterval with throttling', { ...good, timeInterval: 10, throttling: 5 }],
    ['timeInterval with notificationTrigger', { ...good, timeInterval: 10, notificationTrigger: ['entityCreated'] }],
    ['a jsonldContext that is not a URL', { ...good, jsonldContext: 'my context' }],
    ['a lang that is not language tags', { ...good, lang: 'ja en' }],
    ['an empty datasetId', { ...good, datasetId: [] }],
    ['a datasetId that is not a URI', { ...good, datasetId: ['dataset 1'] }],
    ['status (set by the broker)', { ...good, status: 'active' }],
    ['receiverInfo that is not an array', withEndpoint({ receiverInfo: { key: 'X-A', value: 'b' } })],
    ['a receiverInfo key that is not a header name', withEndpoint({ receiverInfo: [{ key: 'Bad Name', value: 'b' }] })],
    ['a receiverInfo value with a line break', withEndpoint({ receiverInfo: [{ key: 'X-A', value: 'b\r\nHost: evil' }] })],
    ['a receiverInfo value that is not a string', withEndpoint({ receiverInfo: [{ key: 'X-A', value: 1 }] })],
    ['receiverInfo setting Host', withEndpoint({ receiverInfo: [{ key: 'Host', value: 'internal' }] })],
    ['receiverInfo setting Content-Length', withEndpoint({ receiverInfo: [{ key: 'content-length', value: '0' }] })],
    ['receiverInfo setting Transfer-Encoding', withEndpoint({ receiverInfo: [{ key: 'Transfer-Encoding', value: 'chunked' }] })],
    ['receiverInfo setting Proxy-Authorization', withEndpoint({ receiverInfo: [{ key: 'Proxy-Authorization', value: 'x' }] })],
    ['receiverInfo setting Link', withEndpoint({ receiverInfo: [{ key: 'Link', value: '<x>' }] })],
    [
      'a receiverInfo key given twice',
      withEndpoint({
        receiverInfo: [
          { key: 'X-A', value: '1' },
          { key: 'x-a', value: '2' },
        ],
      }),
    ],
    ['a receiverInfo pair with another member', withEndpoint({ receiverInfo: [{ key: 'X-A', value: '1', colour: 'blue' }] })],
    ['notifierInfo with a bad key', withEndpoint({ notifierInfo: [{ key: 'a:b', value: '1' }] })],
  ])('5.2.12 %s (ETSI GS CIM 009 v1.8)', async (_label, body) => {
    const before = await subscriptionCount();
    const res = await req('POST', '/subscriptions', body);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as any;
    expect(problem.type).toBe('https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    expect(problem.detail).toMatch(/\w+ \w+/);
    expect(await subscriptionCount()).toBe(before);
  });

  it('5.8.2 an update that would pair timeInterval with watchedAttributes changes nothing (ETSI GS CIM 009 v1.8)', async () => {
    const sub = await subscribe({ ...selecting('bad-update'), timeInterval: 60, notification: endpoint('/never') });
    const before = await getSubscription(sub);
    expect((await req('PATCH', `/subscriptions/${enc(sub)}`, { watchedAttributes: ['capacity'] })).status).toBe(400);
    expect((await req('PATCH', `/subscriptions/${enc(sub)}`, { timeInterval: -1 })).status).toBe(400);
    expect(await getSubscription(sub)).toEqual(before);
  });
});
