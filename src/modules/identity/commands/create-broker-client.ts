// Registers a machine client of the common ID (a sensor gateway, a municipality's system) that gets
// NGSI-LD access tokens with the client credentials grant. The secret is shown once.
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../../platform/audit.ts';
import { isTenantName, scopeOf } from '../../broker/index.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest } from '../../../platform/errors.ts';
import { upsertPayload } from '../repository.ts';

/** A client to register: its name, the tenants it may use ('default' is the tenant of open data). */
export interface NewBrokerClient {
  name: string;
  tenants: string[];
  readOnly?: boolean;
}

/** What a client may ask for on a tenant ('' is the default tenant, of open data). */
const brokerScopes = (tenant: string, write: boolean) =>
  write ? [scopeOf('read', tenant), scopeOf('write', tenant)] : [scopeOf('read', tenant)];

export async function createBrokerClient(db: Db, input: NewBrokerClient, actorId: string | null = null) {
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

export type CreatedBrokerClient = Awaited<ReturnType<typeof createBrokerClient>>;
