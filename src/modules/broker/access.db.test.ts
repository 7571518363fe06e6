// Access to the broker with tokens from the common ID (client credentials grant), over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApp } from '../../../test/db.ts';
import { createBrokerClient, revokeBrokerClient } from '../identity/index.ts';

let t: Awaited<ReturnType<typeof serveTestApp>>;
beforeAll(async () => {
  t = await serveTestApp('empty');
});
afterAll(() => t.close());

async function tokenFor(client: { clientId: string; clientSecret: string }, scope?: string) {
  const res = await fetch(`${t.url}/id/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
  });
  return { status: res.status, body: (await res.json()) as { access_token?: string; scope?: string; error?: string } };
}

const entity = (id: string) => ({ id, type: 'Sensor', temperature: { type: 'Property', value: 3.5 } });
const call = (method: string, path: string, token?: string, tenant?: string, body?: unknown) =>
  fetch(`${t.url}/ngsi-ld/v1${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(tenant ? { 'NGSILD-Tenant': tenant } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('access tokens from the common ID', () => {
  it('a client gets a token with the scopes it was registered for, and no others', async () => {
    const client = await createBrokerClient(t.database.db, { name: '青森市 センサー', tenants: ['aomori'] });
    expect(client.scope).toBe('ngsi-ld:read:aomori ngsi-ld:write:aomori');
    const all = await tokenFor(client, 'ngsi-ld:write:aomori ngsi-ld:write:hirosaki ngsi-ld:write');
    expect(all.status).toBe(200);
    expect(all.body.scope).toBe('ngsi-ld:write:aomori');
    const wrongSecret = await tokenFor({ ...client, clientSecret: 'x'.repeat(43) }, 'ngsi-ld:write:aomori');
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.access_token).toBeUndefined();
  });

  it('writes and private reads need a token with the tenant’s scope; open-data reads need none', async () => {
    const city = await createBrokerClient(t.database.db, { name: '青森市', tenants: ['aomori'] });
    const reader = await createBrokerClient(t.database.db, { name: '閲覧', tenants: ['aomori'], readOnly: true });
    const open = await createBrokerClient(t.database.db, { name: '県オープンデータ', tenants: ['default'] });
    const cityToken = (await tokenFor(city, 'ngsi-ld:write:aomori')).body.access_token!;
    const readToken = (await tokenFor(reader, 'ngsi-ld:read:aomori')).body.access_token!;
    const openToken = (await tokenFor(open, 'ngsi-ld:write')).body.access_token!;

    const anonymous = await call('POST', '/entities', undefined, 'aomori', entity('urn:ngsi-ld:Sensor:1'));
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { detail: string }).detail).toContain('ngsi-ld:write:aomori');
    expect((await call('POST', '/entities', 'not-a-token', 'aomori', entity('urn:ngsi-ld:Sensor:1'))).status).toBe(401);
    expect((await call('POST', '/entities', openToken, 'aomori', entity('urn:ngsi-ld:Sensor:1'))).status).toBe(403);
    expect((await call('POST', '/entities', readToken, 'aomori', entity('urn:ngsi-ld:Sensor:1'))).status).toBe(403);
    expect((await call('GET', '/entities?type=Sensor', undefined, 'aomori')).status).toBe(401);
    expect((await call('GET', '/temporal/entities/urn:ngsi-ld:Sensor:1', undefined, 'aomori')).status).toBe(401);
    expect((await call('DELETE', '/temporal/entities/urn:ngsi-ld:Sensor:1', readToken, 'aomori')).status).toBe(403);
    expect((await call('POST', '/jsonldContexts', cityToken, undefined, { '@context': { a: 'urn:a' } })).status).toBe(403);
    // Nothing was written by the refused requests.
    expect(await (await call('GET', '/entities?type=Sensor', readToken, 'aomori')).json()).toEqual([]);

    expect((await call('POST', '/entities', cityToken, 'aomori', entity('urn:ngsi-ld:Sensor:1'))).status).toBe(201);
    expect((await call('GET', '/entities/urn:ngsi-ld:Sensor:1', readToken, 'aomori')).status).toBe(200);
    expect((await call('GET', '/entities/urn:ngsi-ld:Sensor:1', cityToken, 'aomori')).status).toBe(200);

    expect((await call('POST', '/entities', cityToken, undefined, entity('urn:ngsi-ld:Sensor:2'))).status).toBe(403);
    expect((await call('POST', '/entities', openToken, undefined, entity('urn:ngsi-ld:Sensor:2'))).status).toBe(201);
    expect((await call('GET', '/entities/urn:ngsi-ld:Sensor:2')).status).toBe(200);
    // Subscriptions name their receivers: even on the open-data tenant, reading them needs a token.
    expect((await call('GET', '/subscriptions')).status).toBe(401);
    expect((await call('GET', '/subscriptions', openToken)).status).toBe(200);
    expect((await call('GET', '/subscriptions', cityToken, 'aomori')).status).toBe(200);
  });

  it('5.9 registrations name endpoints and their headers: reading them needs a token, on open data too (ETSI GS CIM 009 v1.8)', async () => {
    const open = await createBrokerClient(t.database.db, { name: '県の連携先登録', tenants: ['default'] });
    const reader = await createBrokerClient(t.database.db, { name: '登録の閲覧', tenants: ['default'], readOnly: true });
    const writeToken = (await tokenFor(open, 'ngsi-ld:write')).body.access_token!;
    const readToken = (await tokenFor(reader, 'ngsi-ld:read')).body.access_token!;
    const registration = {
      type: 'ContextSourceRegistration',
      information: [{ entities: [{ type: 'Sensor' }] }],
      endpoint: 'http://source.example.jp',
      contextSourceInfo: [{ key: 'X-Api-Key', value: 'secret' }],
    };
    expect((await call('POST', '/csourceRegistrations', undefined, undefined, registration)).status).toBe(401);
    expect((await call('POST', '/csourceRegistrations', readToken, undefined, registration)).status).toBe(403);
    expect((await call('POST', '/csourceRegistrations', writeToken, undefined, registration)).status).toBe(201);
    for (const path of ['/csourceRegistrations?type=Sensor', '/csourceSubscriptions']) {
      expect((await call('GET', path)).status, path).toBe(401);
      expect((await call('GET', path, readToken)).status, path).toBe(200);
    }
  });

  it('refuses a token whose signature does not match', async () => {
    const open = await createBrokerClient(t.database.db, { name: '改ざん確認', tenants: ['default'] });
    const token = (await tokenFor(open, 'ngsi-ld:write')).body.access_token!;
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, scope: 'ngsi-ld:write:aomori' })).toString('base64url')}.${s}`;
    expect((await call('POST', '/entities', forged, 'aomori', entity('urn:ngsi-ld:Sensor:3'))).status).toBe(401);
  });

  it('refuses the tokens of a revoked client', async () => {
    const client = await createBrokerClient(t.database.db, { name: '取り消し確認', tenants: ['default'] });
    const token = (await tokenFor(client, 'ngsi-ld:write')).body.access_token!;
    expect((await call('POST', '/entities', token, undefined, entity('urn:ngsi-ld:Sensor:4'))).status).toBe(201);
    await revokeBrokerClient(t.database.db, client.clientId, null);
    t.identity.forgetBrokerTokens();
    expect((await call('POST', '/entities', token, undefined, entity('urn:ngsi-ld:Sensor:5'))).status).toBe(401);
    expect((await tokenFor(client, 'ngsi-ld:write')).status).toBe(401);
  });

  it('refuses bad client registrations in Japanese', async () => {
    await expect(createBrokerClient(t.database.db, { name: '', tenants: ['aomori'] })).rejects.toThrow('クライアント名');
    await expect(createBrokerClient(t.database.db, { name: 'x', tenants: [] })).rejects.toThrow('テナント');
    await expect(createBrokerClient(t.database.db, { name: 'x', tenants: ['青森'] })).rejects.toThrow('テナント名');
  });
});
