// Registers a machine client of the common ID (a sensor gateway, a municipality's system) that gets
// NGSI-LD access tokens with the client credentials grant. The secret is shown once.
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../../platform/audit.ts';
import { isTenantName, PERSONAL_TENANT, scopeOf } from '../../broker/index.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest } from '../../../platform/errors.ts';
import { purposeOf } from '../../residents/index.ts';
import { upsertPayload } from '../repository.ts';
import type { UnitLookup } from './scope.ts';

/** A client to register: its name, the tenants it may use ('default' is the tenant of open data). */
export interface NewBrokerClient {
  name: string;
  tenants: string[];
  readOnly?: boolean;
  /** For the personal tenant: the registry unit the client reads for, and the purpose (purposes.ts id). */
  organisation?: string;
  purpose?: string;
}

/** What a client may ask for on a tenant ('' is the default tenant, of open data). */
const brokerScopes = (tenant: string, write: boolean) =>
  write ? [scopeOf('read', tenant), scopeOf('write', tenant)] : [scopeOf('read', tenant)];

export async function createBrokerClient(db: Db, input: NewBrokerClient, actorId: string | null = null, units?: UnitLookup) {
  const name = input.name.trim();
  if (!name || name.length > 100) throw badRequest('クライアント名を1〜100文字で指定してください。');
  const tenants = input.tenants.map((t) => (t === 'default' ? '' : t));
  const badTenant = tenants.find((t) => t && !isTenantName(t));
  if (badTenant !== undefined) throw badRequest(`テナント名「${badTenant}」は英数字・「_」・「-」の64文字以内です。`);
  if (tenants.includes(PERSONAL_TENANT))
    throw badRequest('personal テナントはテナントとしてではなく、組織と利用目的を指定して登録してください。');
  const organisation = input.organisation?.trim() || undefined;
  const purpose = input.purpose?.trim() || undefined;
  if (!organisation !== !purpose) throw badRequest('組織と利用目的は両方を指定してください。');
  if (!input.tenants.length && !purpose) throw badRequest('テナントを1つ以上指定してください（既定テナントは default）。');
  if (purpose && !purposeOf(purpose)) throw badRequest(`利用目的「${purpose}」は登録されていません。`);
  if (organisation && units && (await units(organisation))?.retired !== false)
    throw badRequest(`組織「${organisation}」は組織レジストリにありません。`);
  const clientId = `broker-${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const scope = [...tenants.flatMap((t) => brokerScopes(t, !input.readOnly)), ...(purpose ? [scopeOf('read', PERSONAL_TENANT)] : [])].join(
    ' ',
  );
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
        ...(organisation ? { organisation, purpose } : {}),
      },
      expiresAt: null,
    });
    await appendAudit(tx, {
      actorId,
      action: 'create',
      entity: 'broker_client',
      entityId: clientId,
      after: { name, scope, organisation, purpose },
    });
  });
  return { clientId, clientSecret, scope };
}

export type CreatedBrokerClient = Awaited<ReturnType<typeof createBrokerClient>>;
