// Registers a machine client of the common ID (a sensor gateway, a municipality's system) that gets
// NGSI-LD access tokens with the client credentials grant. The secret is shown once.
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../../platform/audit.ts';
import { isTenantName, scopeOf } from '../../broker/index.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import { destroyPayload, findPayload, findPayloads, upsertPayload } from '../repository.ts';

/** What a client may ask for on a tenant ('' is the default tenant, of open data). */
const brokerScopes = (tenant: string, write: boolean) =>
  write ? [scopeOf('read', tenant), scopeOf('write', tenant)] : [scopeOf('read', tenant)];

export async function createBrokerClient(
  db: Db,
  input: { name: string; tenants: string[]; readOnly?: boolean },
  actorId: string | null = null,
) {
  const name = input.name.trim();
  if (!name || name.length > 100) throw badRequest('クライアント名を1〜100文字で指定してください。');
  if (!input.tenants.length) throw badRequest('テナントを1つ以上指定してください（既定テナントは default）。');
  const tenants = input.tenants.map((t) => (t === 'default' ? '' : t));
  const badTenant = tenants.find((t) => t && !isTenantName(t));
  if (badTenant !== undefined) throw badRequest(`テナント名「${badTenant}」は英数字・「_」・「-」の64文字以内です。`);
  const clientId = `broker-${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const scope = tenants.flatMap((t) => brokerScopes(t, !input.readOnly)).join(' ');
  await db.transaction(async (tx) => {
    await upsertPayload(tx, {
      kind: 'Client',
      id: clientId,
      payload: {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: name,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
        broker_scope: scope,
      },
      expiresAt: null,
    });
    await appendAudit(tx, { actorId, action: 'create', entity: 'broker_client', entityId: clientId, after: { name, scope } });
  });
  return { clientId, clientSecret, scope };
}

/** The broker clients registered, newest first (their secrets are never shown again). */
export async function listBrokerClients(db: Db) {
  return (await findPayloads(db, 'Client'))
    .filter((r) => typeof r.payload.broker_scope === 'string')
    .map((r) => ({ clientId: r.id, name: String(r.payload.client_name ?? ''), scope: String(r.payload.broker_scope) }));
}

/** Removes a broker client: it gets no more tokens, and the broker refuses its tokens within a minute. */
export async function revokeBrokerClient(db: Db, clientId: string, actorId: string | null) {
  await db.transaction(async (tx) => {
    const client = await findPayload(tx, 'Client', { id: clientId });
    if (!client || typeof client.payload.broker_scope !== 'string') throw notFound('クライアント');
    await destroyPayload(tx, 'Client', clientId);
    await appendAudit(tx, {
      actorId,
      action: 'delete',
      entity: 'broker_client',
      entityId: clientId,
      before: { name: client.payload.client_name, scope: client.payload.broker_scope },
    });
  });
}
