/**
 * residents — residents and their personal data, kept apart from open data and sealed field by
 * field (AES-256-GCM, crypto.ts) under a key ring from RESIDENTS_KEYS or a key file (keys.ts):
 * マイページ (profile, household, support needs, passkeys, consents, access log, account deletion),
 * and the consent gate (gate.ts), the one way personal data leaves the module, every read logged.
 *
 * Owns: resident_accounts, resident_sessions, resident_profiles, resident_data_items, resident_passkeys,
 * passkey_challenges, consent_records, personal_data_access_log, legal_basis_records.
 * Needs: the database; the key ring (loaded at start, see main.ts); the organisation registry's queries.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Module, Routes } from '../../platform/module.ts';
import type { OrganisationsQueries } from '../organisations/index.ts';
import { deleteAccount, type DeletedWithAccount } from './account.ts';
import { accessLogRoutes } from './access-log.tsx';
import { read, type Channel, type GateActor } from './gate.ts';
import { legalBases, listLegalBases, recordLegalBasis, type LegalBasisInput } from './legal-bases.ts';
import { accountRoutes, deletedRoutes } from './my-account.tsx';
import { householdRoutes } from './my-household.tsx';
import { profileRoutes } from './my-profile.tsx';
import { supportRoutes } from './my-support.tsx';
import { myRoutes } from './my.tsx';
import { passkeySignInRoutes } from './passkey-sign-in.tsx';
import { relyingParty } from './passkeys.ts';
import { releasedTo, type Released } from './recipients.ts';
import { securityRoutes } from './security.tsx';
import { mynumberReception, mynumberRoutes, type MynumberDeps, type MynumberReception } from './mynumber.tsx';
import type { Mailer } from '../../platform/mailer.ts';
import { signInRoutes, signOutRoutes } from './sign-in.tsx';
import { signUpRoutes } from './sign-up.tsx';
import type { Env } from './page.tsx';
import { requireResident, type FinishInteraction } from './session.ts';
import type { KeyRing } from './crypto.ts';
import { saveProfile } from './profiles.ts';
import { findActiveAccount } from './repository-accounts.ts';
import {
  deleteResidentData,
  exportResidentData,
  protectionQueries,
  type Disclosed,
  type RequestInput,
  type StaffActor,
} from './protection.ts';
import type { ProfileInput } from './schema.ts';
import { consentRoutes } from './consents.tsx';
import { validConsent, type ConsentRow } from './consents.ts';
import { receiptRoutes } from './consent-verify.tsx';
import { receiptKeys } from './receipts.ts';
import { heldFields, type HeldFields } from './held.ts';
export type { KeyRing } from './crypto.ts';
export type { DeletedWithAccount } from './account.ts';
export type { HeldFields, HeldValue } from './held.ts';
export { myPage, Csrf, type Env as ResidentEnv } from './page.tsx';
export type { Profile, ProfileInput } from './schema.ts';
export type { GateActor, Channel } from './gate.ts';
export type { Released } from './recipients.ts';
export type { LegalBasisInput } from './legal-bases.ts';
export { MynumberSignIn, type MynumberReception } from './mynumber.tsx';
export { mynumberProvider, type MynumberProvider } from './mynumber-flow.ts';
export { loadResidentKeys, keyFilePath, type KeySource } from './keys.ts';
export { purposes, purposeOf } from './purposes.ts';
export { heldPurposes, heldPurposeOf, purposeLabel } from './held-purposes.ts';
export { categoryOf, categoryContext } from './categories.ts';
export { BULK_READ_THRESHOLD, DISCLOSURE, requestInput, type AccessLogFilter, type AccessLogRow, type Disclosed } from './protection.ts';
export { legalBases, LEGAL_BASIS_MAX_DAYS } from './legal-bases.ts';
export { checkKeysCover, removeRetiredKeys, rotateKeys } from './rotate-keys.ts';
export { rotateReceiptKey } from './receipts.ts';

export type { ConsentRow } from './consents.ts';

export interface ResidentsDeps {
  db: Db;
  keys: KeyRing;
  /** The organisation registry: municipalities マイページ offers, recipients' and readers' names. */
  organisations: Pick<OrganisationsQueries, 'units' | 'unit'>;
  /** The URL residents reach this server at: the passkeys' relying party (RP ID = its host name). Tests of the stores alone leave it out (then http://localhost). */
  baseUrl?: string;
  /** Reverse proxies in front (TRUST_PROXY), for the sign-in rate limit. */
  trustProxy?: number;
  /** The secret of residents' pairwise ids per organisation (the broker's personal tenant); kept stable. */
  pairwiseSecret?: string;
  /** マイナンバーカード sign-in (RESIDENT_MYNUMBER_PROVIDER); without it the entry is not offered. */
  mynumber?: Omit<MynumberDeps, 'db'>;
  /** Without one, e-mail sign-up is not offered (a link shown on the page would verify nothing). */
  mailer?: Mailer;
  /** ACCOUNT_LINK_HOURS: how long a sign-up link stays valid (24 h when unset). */
  linkHours?: number;
  /** The common ID's side of a sign-in a service started (identity's finishResidentInteraction). */
  finishInteraction?: FinishInteraction;
  /** Origins of the citizen services (clients with `audience: 'residents'`): a sign-in form's response redirects on to them. */
  serviceOrigins?: string[];
  /** Other modules' マイページ screens (/my/<module>/...), mounted behind the resident session (residentId, CSRF). */
  screens?: ResidentScreens[];
}

/** A module's マイページ screens and the sections it adds to マイページ's front page. */
export interface ResidentScreens {
  routes: Hono<Env>;
  sections: readonly { href: string; label: string }[];
  /** The module's per-resident rows, deleted in the account deletion's transaction (account.ts). */
  deletedWithAccount?: readonly DeletedWithAccount[];
  /** The module's per-resident rows for a 開示 (protection.ts), by a name; sealed values opened and logged by the module. */
  disclosed?: Readonly<Record<string, Disclosed>>;
}

export interface ResidentsCommands {
  /** Creates or replaces a resident's profile; every personal field is sealed before it is written. */
  saveProfile(input: ProfileInput): Promise<void>;
  /** Deletes a resident's account and data, keeping consents and the access log (account.ts); 404 when there is none. */
  deleteAccount(residentId: string): Promise<void>;
  /** Records a legal basis for reading without consent (staff, the data-protection page); audited. */
  recordLegalBasis(staff: { id: string }, input: LegalBasisInput): Promise<string>;
  /** 開示: a resident's data as JSON, logged in the access log and audited (staff data-protection page). */
  exportResidentData(actor: StaffActor, input: RequestInput): ReturnType<typeof exportResidentData>;
  /** 削除 on request, audited; consents and the access log are kept. */
  deleteResidentData(actor: StaffActor, input: RequestInput): Promise<void>;
}

/** Personal data leaves the module only through the consent gate (gate.ts), which logs every call. */
export interface ResidentsQueries extends ReturnType<typeof protectionQueries> {
  read(
    actor: GateActor,
    residentId: string,
    purposeId: string,
    categories: readonly string[],
    channel: Channel,
  ): Promise<Record<string, unknown>>;
  legalBases: typeof legalBases;
  listLegalBases(): ReturnType<typeof listLegalBases>;
  /** What the actor's organisation may read for the purpose, one pairwise id per resident (`only`: one of them); each logged. */
  releasedTo(actor: GateActor, purposeId: string, channel: Channel, only?: string | ((pairwiseId: string) => boolean)): Promise<Released[]>;
  /** The consent record that lets `recipientId` read `categories` for a purpose at `at` (default now), if any (consents.ts). */
  validConsent(
    residentId: string,
    purposeId: string,
    recipientId: string,
    categories: readonly string[],
    at?: Date,
  ): Promise<ConsentRow | undefined>;
}

export type ResidentsModule = Module<ResidentsCommands, ResidentsQueries> & {
  routes: { public: Routes };
  /** For identity's provider: whether a resident account may sign in to a service. */
  isActiveAccount(id: string): Promise<boolean>;
  /** Sealing and logged opening of personal data other modules hold about people with no account (held.ts). */
  fields: HeldFields;
  /** マイナンバーカードで受付 at a shelter (RESIDENT_MYNUMBER_PROVIDER): the card holder's account, if any; unset without a provider. */
  mynumber?: MynumberReception;
};

export function createResidentsModule(deps: ResidentsDeps): ResidentsModule {
  const { db, keys, organisations, baseUrl, trustProxy, pairwiseSecret, mynumber } = deps;
  const routes = new Hono<Env>();
  const screens = deps.screens ?? [];
  const alsoDeleted = screens.flatMap((x) => x.deletedWithAccount ?? []);
  const disclosed = Object.assign({}, ...screens.map((x) => x.disclosed ?? {})) as Record<string, Disclosed>;
  if (deps.finishInteraction) {
    const finish = deps.finishInteraction;
    routes.use('/my/*', (c, next) => ((c.set as (k: string, v: unknown) => void)('finishInteraction', finish), next()));
  }
  const signingKey = receiptKeys(db);
  routes.route('/', receiptRoutes(db, organisations, signingKey));
  const rp = relyingParty(baseUrl ?? 'http://localhost');
  const municipalities = async () =>
    (await organisations.units('municipality')).filter((u) => !u.retired).map((u) => ({ code: u.id, name: u.name }));
  const unitName = async (id: string) => (await organisations.unit(id))?.fullName;
  const my = { db, keys, municipalities };
  const accounts = { ...deps, baseUrl: baseUrl ?? '', mailer: baseUrl ? deps.mailer : undefined };
  routes.route('/', signUpRoutes(accounts));
  const methods = [
    // An IP-address PUBLIC_URL cannot hold passkeys (WebAuthn RP ID): the link would only lead to a refusal.
    ...(rp.usable ? [{ href: '/my/sign-in/passkey', label: 'パスキーでサインイン' }] : []),
    ...(mynumber ? [{ href: '/my/sign-in/mynumber', label: 'マイナンバーカードでサインイン' }] : []),
  ];
  routes.route('/', signInRoutes(accounts, methods));
  routes.route('/', passkeySignInRoutes(db, rp, trustProxy));
  if (mynumber) routes.route('/', mynumberRoutes({ db, ...mynumber }));
  routes.route('/', deletedRoutes());
  // The pages before a session (sign-up, sign-in) are mounted above this line; every other /my page needs one.
  // Every signed-in form has a ceiling before the session middleware reads its body (写真投稿's photos: 15 MB).
  routes.post(
    '/my/*',
    bodyLimit({
      maxSize: 16 * 1024 * 1024,
      onError: () => {
        throw new AppError(413, 'too_large', '送信内容が大きすぎます（写真は15MBまで）。');
      },
    }),
  );
  routes.use('/my', requireResident(db));
  routes.use('/my/*', requireResident(db));
  routes.route('/', signOutRoutes(db));
  routes.route(
    '/',
    myRoutes(
      db,
      screens.flatMap((x) => x.sections),
    ),
  );
  for (const r of [
    profileRoutes(my),
    householdRoutes(my),
    supportRoutes(my),
    securityRoutes(db, rp),
    accessLogRoutes(db, unitName),
    consentRoutes(db, organisations, signingKey),
    accountRoutes(db, alsoDeleted),
    ...screens.map((x) => x.routes),
  ])
    routes.route('/', r);
  return {
    routes: { public: routes },
    commands: {
      saveProfile: (input) => saveProfile(db, keys, input),
      deleteAccount: (residentId) => deleteAccount(db, residentId, alsoDeleted),
      recordLegalBasis: (staff, input) => recordLegalBasis(db, staff, input, async (id) => (await organisations.unit(id)) !== undefined),
      exportResidentData: (actor, input) => exportResidentData(db, keys, actor, input, disclosed),
      deleteResidentData: (actor, input) => deleteResidentData(db, actor, input, alsoDeleted),
    },
    fields: heldFields(keys),
    ...(mynumber && { mynumber: mynumberReception({ db, ...mynumber }) }),
    isActiveAccount: async (id) => (await findActiveAccount(db, id)) !== undefined,
    queries: {
      ...protectionQueries(db),
      read: (actor, residentId, purposeId, categories, channel) => read(db, keys, actor, residentId, purposeId, categories, channel),
      legalBases,
      listLegalBases: () => listLegalBases(db),
      validConsent: (...args) => validConsent(db, ...args),
      releasedTo: (actor, purposeId, channel, only) => releasedTo(db, keys, pairwiseSecret, actor, purposeId, channel, only),
    },
  };
}
