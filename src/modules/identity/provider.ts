// The platform's identity service (共通ID): an OpenID Connect provider (oidc-provider) at /id.
// Staff screens sign in through it as an ordinary client; citizen services will too, each with
// its own pairwise subject identifier.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, {
  errors,
  interactionPolicy,
  type Adapter,
  type AdapterPayload,
  type ClientMetadata,
  type Configuration,
} from 'oidc-provider';
import type { Db } from '../../platform/db.ts';
import { interruptedHtml, restartUrl } from './interrupted.tsx';
import * as repo from './repository.ts';
import { canSignIn } from './rules.ts';
import { logoutSource, postLogoutSuccessSource } from './sign-out.tsx';

class DbAdapter implements Adapter {
  constructor(
    private db: Db,
    private kind: string,
  ) {}
  async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
    await repo.upsertPayload(this.db, {
      kind: this.kind,
      id,
      payload: payload as Record<string, unknown>,
      grantId: payload.grantId ?? null,
      uid: payload.uid ?? null,
      userCode: payload.userCode ?? null,
      expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    });
  }
  private async get(where: { id?: string; uid?: string; userCode?: string }) {
    const row = await repo.findPayload(this.db, this.kind, where);
    return row
      ? ({ ...row.payload, ...(row.consumedAt ? { consumed: Math.floor(row.consumedAt.getTime() / 1000) } : {}) } as AdapterPayload)
      : undefined;
  }
  find = (id: string) => this.get({ id });
  findByUid = (uid: string) => this.get({ uid });
  findByUserCode = (userCode: string) => this.get({ userCode });
  consume = (id: string) => repo.consumePayload(this.db, this.kind, id);
  destroy = (id: string) => repo.destroyPayload(this.db, this.kind, id);
  revokeByGrantId = (grantId: string) => repo.revokeGrant(this.db, grantId);
}

export const STAFF_CLIENT_ID = 'renkei-staff';

/**
 * Access tokens for the NGSI-LD broker: a client's `broker_scope` metadata lists what it may ask for,
 * `ngsi-ld:write` (the default tenant) and `ngsi-ld:write:<tenant>` / `ngsi-ld:read:<tenant>`.
 */
export const brokerAudience = (baseUrl: string) => `${baseUrl}/ngsi-ld`;

export interface IdentityOptions {
  db: Db;
  /** Public base URL of this server, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  /** Further trusted clients: the platform's services, or another Renkei that federates to this one. */
  clients?: ClientMetadata[];
  /** Whether a resident account (residents module) is active: a client with `audience: 'residents'` signs in only these. */
  isActiveResident?: (id: string) => Promise<boolean>;
}

/** A client of the citizen services: its sign-in is マイページ's, its accounts residents', never staff. */
export const isResidentClient = (client: { metadata(): Record<string, unknown> } | undefined) =>
  client?.metadata().audience === 'residents';

export async function createProvider({ db, baseUrl, clients = [], isActiveResident }: IdentityOptions) {
  const cookieKeys = await repo.secret(db, 'oidc-cookie-keys', () => [randomBytes(32).toString('base64url')]);
  const pairwiseSalt = await repo.secret(db, 'oidc-pairwise-salt', () => randomBytes(32).toString('base64url'));
  const staffClientSecret = await repo.secret(db, 'staff-client-secret', () => randomBytes(32).toString('base64url'));
  const jwk = await repo.secret(db, 'oidc-signing-key', () => ({
    ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
    kid: randomBytes(8).toString('hex'),
    alg: 'ES256',
    use: 'sig',
  }));
  const secure = baseUrl.startsWith('https://');

  const configuration: Configuration = {
    adapter: (name: string) => new DbAdapter(db, name),
    clients: [
      {
        client_id: STAFF_CLIENT_ID,
        client_secret: staffClientSecret,
        redirect_uris: [`${baseUrl}/staff/callback`],
        post_logout_redirect_uris: [`${baseUrl}/staff/signed-out`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
      ...clients.map((c) => ({ id_token_signed_response_alg: 'ES256' as const, ...c })),
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: cookieKeys, long: { signed: true, secure, sameSite: 'lax' }, short: { signed: true, secure, sameSite: 'lax' } },
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      createHash('sha256')
        .update(`${client.sectorIdentifier ?? client.clientId}|${accountId}|${pairwiseSalt}`)
        .digest('base64url'),
    findAccount: async (ctx, id) => {
      if (isResidentClient(ctx.oidc.client)) {
        // Only the subject: what else a service may know about a resident goes through consent.
        return isActiveResident && (await isActiveResident(id)) ? { accountId: id, claims: () => ({ sub: id }) } : undefined;
      }
      const account = await repo.findAccountById(db, id);
      // A disabled or reset account has no session at the common ID, even one made before.
      return account && canSignIn(account)
        ? { accountId: account.id, claims: () => ({ sub: account.id, email: account.email, name: account.name }) }
        : undefined;
    },
    interactions: {
      policy: signInPolicy(),
      url: (ctx, interaction) =>
        isResidentClient(ctx.oidc.client) ? `/my/sign-in?interaction=${interaction.uid}` : `/id/interaction/${interaction.uid}`,
    },
    extraClientMetadata: { properties: ['broker_scope', 'audience', 'organisation', 'purpose'] },
    // organisation + purpose: a client reading the broker's personal tenant acts for one registry unit
    // and one purpose (purposes.ts); both ride in its access tokens so the broker needs no lookup.
    extraTokenClaims: async (ctx, token) => {
      if (token.kind !== 'ClientCredentials') return undefined;
      const client = await ctx.oidc.provider.Client.find(String(token.clientId));
      const { organisation, purpose } = (client?.metadata() ?? {}) as Record<string, unknown>;
      return typeof organisation === 'string' && typeof purpose === 'string' ? { organisation, purpose } : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      // Our Japanese pages; why one button and not none: sign-out.tsx.
      rpInitiatedLogout: { enabled: true, logoutSource: logoutSource(db), postLogoutSuccessSource },
      clientCredentials: { enabled: true },
      // Only the broker is a resource server; its tokens are JWTs it verifies without a lookup.
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, client) => (client?.metadata().broker_scope ? brokerAudience(baseUrl) : undefined) as string,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          const scope = client.metadata().broker_scope;
          if (resource !== brokerAudience(baseUrl) || typeof scope !== 'string') throw new errors.InvalidTarget();
          return { scope, audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: 3600, jwt: { sign: { alg: 'ES256' } } };
        },
      },
    },
    pkce: { required: () => true },
    // The configured clients are the platform's own, trusted by configuration: no consent screen.
    loadExistingGrant: async (ctx) => {
      const clientId = ctx.oidc.client!.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    ttl: {
      Session: 8 * 3600,
      Interaction: 600,
      Grant: 8 * 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
      ClientCredentials: 3600,
    },
    renderError: async (ctx, out, error) => {
      ctx.type = 'html';
      // The resume step (/id/auth/:uid) after the sign-in pages, with its cookie or interaction gone.
      if (error instanceof errors.SessionNotFound) {
        const uid = (ctx.params as Record<string, string> | undefined)?.uid;
        ctx.body = await interruptedHtml(`/id${ctx.path}`, await restartUrl(ctx.oidc.provider, uid));
        return;
      }
      // A sign-out request that does not validate (RP-Initiated Logout §4): nothing ended, no redirect.
      const detail = ctx.path.startsWith('/session/end')
        ? 'サインアウトの要求を確認できなかったため、サインアウトしていません。職員ページからもう一度サインアウトしてください。'
        : String(out.error_description ?? out.error);
      ctx.body = `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>認証エラー</title></head><body><main><h1>認証でエラーが発生しました</h1><p>${escapeHtml(detail)}</p><p><a href="/staff">職員ページへ戻る</a></p></main></body></html>`;
    },
  };
  const provider = new Provider(`${baseUrl}/id`, configuration);
  const { d: _private, ...publicJwk } = jwk as Record<string, string>;
  return { provider, staffClientSecret, publicJwk };
}

/**
 * The default prompts, with one more login check: the session's account must be one this client
 * accepts (findAccount answers per client: a staff session is no resident's sign-in, nor the
 * reverse, and a disabled account has none). Without it the provider goes on to the consent check
 * with no account and fails.
 */
function signInPolicy() {
  const policy = interactionPolicy.base();
  const { Check } = interactionPolicy;
  policy
    .get('login')!
    .checks.add(
      new Check('account_for_client', 'the session is not of an account this client accepts', 'login_required', (ctx) =>
        ctx.oidc.account ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
      ),
    );
  return policy;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
