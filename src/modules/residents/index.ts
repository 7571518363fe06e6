/**
 * residents — residents and their personal data, kept apart from open data and sealed field by
 * field (AES-256-GCM, crypto.ts) under a key ring from RESIDENTS_KEYS or a key file (keys.ts).
 * マイページ: profile, household and support pages, passkeys (/my/security, /my/sign-in/passkey) and
 * account deletion. The consent gate comes later; until it exists no other module reads a profile.
 *
 * Owns: resident_profiles, resident_passkeys, passkey_challenges. Needs: the database; the key ring (loaded at start, see main.ts).
 */
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { Module, Routes } from '../../platform/module.ts';
import type { OrganisationsQueries } from '../organisations/index.ts';
import { deleteAccount } from './account.ts';
import { accountRoutes, deletedRoutes } from './my-account.tsx';
import { householdRoutes } from './my-household.tsx';
import { profileRoutes } from './my-profile.tsx';
import { supportRoutes } from './my-support.tsx';
import { myRoutes } from './my.tsx';
import { passkeySignInRoutes } from './passkey-sign-in.tsx';
import { relyingParty } from './passkeys.ts';
import { securityRoutes } from './security.tsx';
import type { Env } from './page.tsx';
import { requireResident } from './session.ts';
import type { KeyRing } from './crypto.ts';
import { saveProfile } from './profiles.ts';
import type { ProfileInput } from './schema.ts';

export type { KeyRing } from './crypto.ts';
export type { Profile, ProfileInput } from './schema.ts';
export { loadResidentKeys, keyFilePath, type KeySource } from './keys.ts';
export { checkKeysCover, removeRetiredKeys, rotateKeys } from './rotate-keys.ts';

export interface ResidentsDeps {
  db: Db;
  keys: KeyRing;
  /** The URL residents reach this server at: the passkeys' relying party (RP ID = its host name). Tests of the stores alone leave it out (then http://localhost). */
  baseUrl?: string;
  /** Reverse proxies in front (TRUST_PROXY), for the sign-in rate limit. */
  trustProxy?: number;
  /** The municipalities マイページ's profile offers (organisations' registry); none without it. */
  organisations?: Pick<OrganisationsQueries, 'units'>;
}

export interface ResidentsCommands {
  /** Creates or replaces a resident's profile; every personal field is sealed before it is written. */
  saveProfile(input: ProfileInput): Promise<void>;
  /** Deletes a resident's account and data, keeping consents and the access log (account.ts); 404 when there is none. */
  deleteAccount(residentId: string): Promise<void>;
}

/** Empty on purpose: profiles are read only through the consent gate (issue 12, point 5), which wraps profiles.ts' readProfileUngated. */
export type ResidentsQueries = Record<never, never>;

export type ResidentsModule = Module<ResidentsCommands, ResidentsQueries> & { routes: { public: Routes } };

export function createResidentsModule({ db, keys, baseUrl, trustProxy, organisations }: ResidentsDeps): ResidentsModule {
  const routes = new Hono<Env>();
  const rp = relyingParty(baseUrl ?? 'http://localhost');
  const municipalities = async () =>
    ((await organisations?.units('municipality')) ?? []).filter((u) => !u.retired).map((u) => ({ code: u.id, name: u.name }));
  const my = { db, keys, municipalities };
  routes.route('/', passkeySignInRoutes(db, rp, trustProxy));
  routes.route('/', deletedRoutes());
  // The pages before a session (sign-up, sign-in) are mounted above this line; every other /my page needs one.
  routes.use('/my', requireResident(db));
  routes.use('/my/*', requireResident(db));
  routes.route('/', myRoutes());
  for (const r of [profileRoutes(my), householdRoutes(my), supportRoutes(my), securityRoutes(db, rp), accountRoutes(db)])
    routes.route('/', r);
  return {
    routes: { public: routes },
    commands: { saveProfile: (input) => saveProfile(db, keys, input), deleteAccount: (residentId) => deleteAccount(db, residentId) },
    queries: {},
  };
}
