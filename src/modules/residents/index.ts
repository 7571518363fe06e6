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
import type { Db } from '../../platform/db.ts';
import type { Module, Routes } from '../../platform/module.ts';
import type { OrganisationsQueries } from '../organisations/index.ts';
import { deleteAccount } from './account.ts';
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
import type { Env } from './page.tsx';
import { requireResident } from './session.ts';
import type { KeyRing } from './crypto.ts';
import { saveProfile } from './profiles.ts';
import type { ProfileInput } from './schema.ts';
export type { KeyRing } from './crypto.ts';
export type { Profile, ProfileInput } from './schema.ts';
export type { GateActor, Channel } from './gate.ts';
export type { Released } from './recipients.ts';
export type { LegalBasisInput } from './legal-bases.ts';
export { purposeOf } from './purposes.ts';
export { loadResidentKeys, keyFilePath, type KeySource } from './keys.ts';
export { checkKeysCover, removeRetiredKeys, rotateKeys } from './rotate-keys.ts';

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
}

export interface ResidentsCommands {
  /** Creates or replaces a resident's profile; every personal field is sealed before it is written. */
  saveProfile(input: ProfileInput): Promise<void>;
  /** Deletes a resident's account and data, keeping consents and the access log (account.ts); 404 when there is none. */
  deleteAccount(residentId: string): Promise<void>;
  /** Records a legal basis for reading without consent (staff, the data-protection page); audited. */
  recordLegalBasis(staff: { id: string }, input: LegalBasisInput): Promise<string>;
}

/** Personal data leaves the module only through the consent gate (gate.ts), which logs every call. */
export interface ResidentsQueries {
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
  releasedTo(actor: GateActor, purposeId: string, channel: Channel, only?: string): Promise<Released[]>;
}

export type ResidentsModule = Module<ResidentsCommands, ResidentsQueries> & { routes: { public: Routes } };

export function createResidentsModule({ db, keys, organisations, baseUrl, trustProxy, pairwiseSecret }: ResidentsDeps): ResidentsModule {
  const routes = new Hono<Env>();
  const rp = relyingParty(baseUrl ?? 'http://localhost');
  const municipalities = async () =>
    (await organisations.units('municipality')).filter((u) => !u.retired).map((u) => ({ code: u.id, name: u.name }));
  const unitName = async (id: string) => (await organisations.unit(id))?.fullName;
  const my = { db, keys, municipalities };
  routes.route('/', passkeySignInRoutes(db, rp, trustProxy));
  routes.route('/', deletedRoutes());
  // The pages before a session (sign-up, sign-in) are mounted above this line; every other /my page needs one.
  routes.use('/my', requireResident(db));
  routes.use('/my/*', requireResident(db));
  routes.route('/', myRoutes());
  for (const r of [
    profileRoutes(my),
    householdRoutes(my),
    supportRoutes(my),
    securityRoutes(db, rp),
    accessLogRoutes(db, unitName),
    accountRoutes(db),
  ])
    routes.route('/', r);
  return {
    routes: { public: routes },
    commands: {
      saveProfile: (input) => saveProfile(db, keys, input),
      deleteAccount: (residentId) => deleteAccount(db, residentId),
      recordLegalBasis: (staff, input) => recordLegalBasis(db, staff, input),
    },
    queries: {
      read: (actor, residentId, purposeId, categories, channel) => read(db, keys, actor, residentId, purposeId, categories, channel),
      legalBases,
      listLegalBases: () => listLegalBases(db),
      releasedTo: (actor, purposeId, channel, only) => releasedTo(db, keys, pairwiseSecret, actor, purposeId, channel, only),
    },
  };
}
