/**
 * identity — the platform's common ID (共通ID): an OpenID Connect provider at /id with staff
 * accounts (argon2id passwords and TOTP), the sign-in pages, federation to organisations' own
 * providers, and the broker's machine clients (client credentials).
 *
 * Owns: staff_accounts, account_links, recovery_codes, sign_in_events, sign_in_steps, oidc_payloads (oidc-provider's state and the broker
 * clients), platform_secrets (keys made at first start).
 * Needs: the database; from the broker only its scope names (`scopeOf`, `isTenantName`); from the
 * platform the audit log and the sign-in rate limit.
 *
 * The manifest (`createIdentityModule`) is the common shape: `routes.public` (the pages Renkei
 * renders under `renderedPaths`: sign-in, federation, and the one-time links of invitations, resets,
 * re-enrolments and the first administrator's setup), `commands`, `queries`. Beyond it, what app.ts
 * needs to hand the rest of /id to oidc-provider's Node handler and the staff screens need to be
 * its client: `provider`, `issuer`, `staffClientSecret`, `forgetBrokerTokens` (see IdentityProvider).
 *
 * The db-first functions exported below (`createAccount(db, …)`, …) are the same commands for code
 * that has a database but no module: the CLI, tests, and `platformSecret`, which app.ts needs before
 * identity exists.
 */
import type { ClientMetadata } from 'oidc-provider';
import { importJWK, jwtVerify } from 'jose';
import type { Db } from '../../platform/db.ts';
import type { Mailer } from '../../platform/mailer.ts';
import type { Module, Routes } from '../../platform/module.ts';
import { createAccount, type NewAccount } from './commands/create-account.ts';
import { createBrokerClient, type NewBrokerClient } from './commands/create-broker-client.ts';
import { revokeBrokerClient } from './commands/revoke-broker-client.ts';
import { signInFederated, type FederatedSignIn } from './commands/sign-in-federated.ts';
import { signInWithPassword, type PasswordAttempt } from './commands/sign-in-with-password.ts';
import { verifyTotp, type CodeAttempt } from './commands/verify-totp.ts';
import { inviteAccount, type Invitation } from './commands/invite-account.ts';
import type { DeliveredLink, LinkDelivery } from './commands/links.ts';
import { changeRoles, reenrolTotp, resetAccount, setDisabled, type RolesChange } from './commands/manage-account.ts';
import { changePassword, regenerateRecoveryCodes, type PasswordChange } from './commands/own-account.ts';
import type { UnitLookup } from './commands/scope.ts';
import { acceptInvitation, completeReenrolment, completeSetup, issueSetupLink, linkState, type NewPassword } from './commands/use-link.ts';
import { federationRoutes, type FederatedProvider } from './federation.ts';
import { interactionRoutes } from './interaction.tsx';
import { linkRoutes } from './links.tsx';
import { brokerAudience, createProvider, STAFF_CLIENT_ID } from './provider.ts';
import {
  findAccountById,
  findPayload,
  listAccounts,
  listBrokerClients,
  recentSignIns,
  remainingRecoveryCodes,
  type StaffAccount,
} from './repository.ts';
import { RECENT_SIGN_INS } from './rules.ts';
import type Provider from 'oidc-provider';

export { STAFF_CLIENT_ID };
export { federatedProvider, type FederatedProvider } from './federation.ts';
export type { StaffAccount, NewAccount, NewBrokerClient, PasswordAttempt, CodeAttempt, FederatedSignIn };
export type { Invitation, RolesChange, PasswordChange, DeliveredLink, UnitLookup };
export { invitationInput, inviteAccount } from './commands/invite-account.ts';
export { statusLabels } from './rules.ts';
export type { AccountStatus } from './rules.ts';
export type { SignInMethod } from './schema.ts';
export type { CreatedBrokerClient } from './commands/create-broker-client.ts';
export { accountInput } from './commands/create-account.ts';
export { createAccount, createBrokerClient, listBrokerClients, revokeBrokerClient, listAccounts };
/**
 * platform_secrets stays identity's table (nearly every row is the provider's: cookie keys, the
 * signing key, client secrets); app.ts borrows it for the staff cookie secret before identity
 * exists, so it is exported on its own rather than moved to platform/ with a schema of its own.
 */
export { secret as platformSecret, lockedSecret as lockedPlatformSecret, setSecret as setPlatformSecret } from './repository.ts';
export { currentTotp } from './credentials.ts';
export { finishResidentInteraction } from './resident-interaction.ts';
// Residents' accounts use the same credentials as staff's (argon2id, RFC 6238, hashed link tokens).
export {
  hashPassword,
  verifyPassword,
  passwordProblem,
  newTotpSecret,
  totpUri,
  totpMatches,
  totpStep,
  newLinkToken,
  sha256,
} from './credentials.ts';
export { isAbandonedSignIn } from './interrupted.tsx';
export type { Actor, Role } from './actor.ts';
export { roleLabels } from './actor.ts';

/** The paths under /id whose pages Renkei renders; app.ts hands the rest of /id to oidc-provider. */
export const renderedPaths = ['/id/interaction/', '/id/federated/', '/id/link/', '/id/setup/'] as const;

export interface IdentityDeps {
  db: Db;
  baseUrl: string;
  cookieSecret: string;
  /** Organisations' own OpenID Connect providers their staff may sign in with. */
  federation?: FederatedProvider[];
  /** Further trusted clients of this provider. */
  clients?: ClientMetadata[];
  /** Reverse proxies in front (TRUST_PROXY): the sign-in rate limit counts the address they report. */
  trustProxy?: number;
  /** Where invitation links are mailed (SMTP_URL); without it the administrator sees the link once. */
  mailer?: Mailer;
  /** How long one-time links stay valid (ACCOUNT_LINK_HOURS). */
  linkHours?: number;
  /** The organisation registry's unit lookup: an account's department or municipality must be an active unit. */
  units?: UnitLookup;
  /** Residents' accounts for clients with `audience: 'residents'` (the residents module's isActiveAccount). */
  isActiveResident?: (id: string) => Promise<boolean>;
}

export interface IdentityCommands {
  /** A staff account with a new TOTP secret; `actorId` null for the CLI's first administrator. */
  createAccount(input: NewAccount, actorId?: string | null): ReturnType<typeof createAccount>;
  createBrokerClient(input: NewBrokerClient, actorId?: string | null): ReturnType<typeof createBrokerClient>;
  /** Also forgets this process's checked tokens, so the revoked client is refused here at once. */
  revokeBrokerClient(clientId: string, actorId: string | null): Promise<void>;
  signInWithPassword: (attempt: PasswordAttempt) => ReturnType<typeof signInWithPassword>;
  verifyTotp: (attempt: CodeAttempt) => ReturnType<typeof verifyTotp>;
  signInFederated: (input: FederatedSignIn) => ReturnType<typeof signInFederated>;
  // Accounts, by an administrator (the workspace checks who may).
  inviteAccount(input: Invitation, actorId: string): Promise<{ id: string } & DeliveredLink>;
  changeRoles(id: string, change: RolesChange, actorId: string): Promise<void>;
  setDisabled(id: string, disabled: boolean, actorId: string): Promise<void>;
  resetAccount(id: string, actorId: string): Promise<DeliveredLink>;
  reenrolTotp(id: string, actorId: string): Promise<DeliveredLink>;
  // One's own account.
  changePassword(accountId: string, form: PasswordChange): Promise<void>;
  regenerateRecoveryCodes(accountId: string): Promise<string[]>;
  // The one-time links' pages.
  linkState: (token: string) => ReturnType<typeof linkState>;
  acceptInvitation: (token: string, form: NewPassword) => ReturnType<typeof acceptInvitation>;
  completeReenrolment: (token: string, form: { password: string; code: string }) => ReturnType<typeof completeReenrolment>;
  completeSetup: (token: string, form: NewPassword & { email: string; name: string }) => ReturnType<typeof completeSetup>;
  /** At start: the first administrator's setup link while no account exists, else null. */
  issueSetupLink(): Promise<string | null>;
}

export interface IdentityQueries {
  findAccount(id: string): Promise<StaffAccount | undefined>;
  listAccounts(): Promise<StaffAccount[]>;
  /** The person's last sign-in attempts, newest first. */
  recentSignIns(accountId: string): ReturnType<typeof recentSignIns>;
  remainingRecoveryCodes(accountId: string): Promise<number>;
  listBrokerClients(): ReturnType<typeof listBrokerClients>;
  /**
   * The scopes of a valid broker access token from this provider whose client is still registered;
   * throws when it is not one. A checked token is remembered for a minute at most (a sensor sends
   * many writes with one token), so revoking a client takes effect within a minute everywhere.
   */
  brokerTokenScopes(token: string): Promise<Set<string>>;
  /** The same check, with who holds the token: its client and, for the personal tenant, organisation and purpose. */
  brokerToken(token: string): Promise<BrokerToken>;
}

/** A checked broker access token. */
export interface BrokerToken {
  scopes: Set<string>;
  clientId: string;
  organisationId?: string;
  purposeId?: string;
}

/** What app.ts and the staff screens need of the provider itself, outside the common manifest. */
export interface IdentityProvider {
  /** oidc-provider: app.ts hands it every /id/* request that is not one of `routes.public`. */
  provider: Provider;
  /** `${baseUrl}/id`: the staff screens discover the provider there. */
  issuer: string;
  /** The staff screens' client secret (made at first start, kept in platform_secrets). */
  staffClientSecret: string;
  /** Forgets checked broker tokens at once (after a client is revoked in this process). */
  forgetBrokerTokens: () => void;
}

export type IdentityModule = Module<IdentityCommands, IdentityQueries> & { routes: { public: Routes } } & IdentityProvider;

export async function createIdentityModule(deps: IdentityDeps): Promise<IdentityModule> {
  const { db, baseUrl } = deps;
  const { provider, staffClientSecret, publicJwk } = await createProvider(deps);
  const issuer = `${baseUrl}/id`;
  const signingKey = await importJWK(publicJwk, 'ES256');
  const verified = new Map<string, { claims: BrokerToken; until: number }>();
  const forgetBrokerTokens = () => verified.clear();
  const federation = deps.federation ?? [];
  const delivery: LinkDelivery = { baseUrl, mailer: deps.mailer, hours: deps.linkHours };
  const clientOrigins = [...new Set((deps.clients ?? []).flatMap((c) => (c.redirect_uris ?? []).map((u) => new URL(u).origin)))];
  const queries: IdentityQueries = {
    findAccount: (id) => findAccountById(db, id),
    listAccounts: async () => listAccounts(db),
    listBrokerClients: () => listBrokerClients(db),
    recentSignIns: (accountId) => recentSignIns(db, accountId, RECENT_SIGN_INS),
    remainingRecoveryCodes: (accountId) => remainingRecoveryCodes(db, accountId),
    brokerTokenScopes: async (token) => (await queries.brokerToken(token)).scopes,
    async brokerToken(token) {
      const now = Date.now() / 1000;
      const known = verified.get(token);
      if (known && known.until > now) return known.claims;
      const { payload } = await jwtVerify(token, signingKey, { issuer, audience: brokerAudience(baseUrl) });
      const clientId = String(payload.client_id);
      if (!(await findPayload(db, 'Client', { id: clientId }))) throw new Error('the client was revoked');
      const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
      const claims: BrokerToken = {
        scopes: new Set(text(payload.scope)?.split(' ') ?? []),
        clientId,
        organisationId: text(payload.organisation),
        purposeId: text(payload.purpose),
      };
      if (verified.size >= 10_000) verified.clear();
      verified.set(token, { claims, until: Math.min(payload.exp ?? 0, now + 60) });
      return claims;
    },
  };
  const commands: IdentityCommands = {
    createAccount: (input, actorId = null) => createAccount(db, input, actorId),
    createBrokerClient: (input, actorId = null) => createBrokerClient(db, input, actorId, deps.units),
    async revokeBrokerClient(clientId, actorId) {
      await revokeBrokerClient(db, clientId, actorId);
      forgetBrokerTokens();
    },
    signInWithPassword: (attempt) => signInWithPassword(db, attempt),
    verifyTotp: (attempt) => verifyTotp(db, attempt),
    signInFederated: (input) => signInFederated(db, input),
    inviteAccount: (input, actorId) => inviteAccount(db, input, actorId, delivery, deps.units),
    changeRoles: (id, change, actorId) => changeRoles(db, id, change, actorId, deps.units),
    setDisabled: (id, disabled, actorId) => setDisabled(db, id, disabled, actorId),
    resetAccount: (id, actorId) => resetAccount(db, id, actorId, delivery),
    reenrolTotp: (id, actorId) => reenrolTotp(db, id, actorId, delivery),
    changePassword: (accountId, form) => changePassword(db, accountId, form),
    regenerateRecoveryCodes: (accountId) => regenerateRecoveryCodes(db, accountId),
    linkState: (token) => linkState(db, token),
    acceptInvitation: (token, form) => acceptInvitation(db, token, form),
    completeReenrolment: (token, form) => completeReenrolment(db, token, form),
    completeSetup: (token, form) => completeSetup(db, token, form),
    issueSetupLink: () => issueSetupLink(db, delivery),
  };
  const routes = interactionRoutes({ db, provider, commands, federation, clientOrigins, trustProxy: deps.trustProxy });
  routes.route('/', linkRoutes({ db, commands, trustProxy: deps.trustProxy }));
  routes.route('/', federationRoutes({ provider, commands, baseUrl, providers: federation, cookieSecret: deps.cookieSecret }));
  return {
    routes: { public: routes },
    commands,
    queries,
    provider,
    issuer,
    staffClientSecret,
    forgetBrokerTokens,
  };
}
