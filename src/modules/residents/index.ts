/**
 * residents — residents and their personal data, kept apart from open data and sealed field by
 * field (AES-256-GCM, crypto.ts) under a key ring from RESIDENTS_KEYS or a key file (keys.ts).
 * So far: the profile store and key rotation (npm run residents -- rotate-key). Accounts, マイページ
 * and the consent gate come later; until the gate exists no other module reads a profile.
 *
 * Owns: resident_profiles. Needs: the database; the key ring (loaded at start, see main.ts).
 */
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { Module, Routes } from '../../platform/module.ts';
import type { Mailer } from '../../platform/mailer.ts';
import { myRoutes } from './my.tsx';
import { signInRoutes, signOutRoutes } from './sign-in.tsx';
import { signUpRoutes } from './sign-up.tsx';
import type { Env } from './page.tsx';
import { requireResident, type FinishInteraction } from './session.ts';
import type { KeyRing } from './crypto.ts';
import { saveProfile } from './profiles.ts';
import { findActiveAccount } from './repository-accounts.ts';
import type { ProfileInput } from './schema.ts';

export type { KeyRing } from './crypto.ts';
export type { Profile, ProfileInput } from './schema.ts';
export { loadResidentKeys, keyFilePath, type KeySource } from './keys.ts';
export { checkKeysCover, removeRetiredKeys, rotateKeys } from './rotate-keys.ts';

export interface ResidentsDeps {
  db: Db;
  keys: KeyRing;
  /** The URL residents reach this server at; sign-up links start with it (no e-mail sign-up without it). */
  baseUrl?: string;
  /** Without one, e-mail sign-up is not offered (a link shown on the page would verify nothing). */
  mailer?: Mailer;
  /** ACCOUNT_LINK_HOURS: how long a sign-up link stays valid (24 h when unset). */
  linkHours?: number;
  trustProxy?: number;
  /** The common ID's side of a sign-in a service started (identity's finishResidentInteraction). */
  finishInteraction?: FinishInteraction;
  /** Origins of the citizen services (clients with `audience: 'residents'`): a sign-in form's response redirects on to them. */
  serviceOrigins?: string[];
}

export interface ResidentsCommands {
  /** Creates or replaces a resident's profile; every personal field is sealed before it is written. */
  saveProfile(input: ProfileInput): Promise<void>;
}

/** Empty on purpose: profiles are read only through the consent gate (issue 12, point 5), which wraps profiles.ts' readProfileUngated. */
export type ResidentsQueries = Record<never, never>;

export type ResidentsModule = Module<ResidentsCommands, ResidentsQueries> & {
  routes: { public: Routes };
  /** For identity's provider: whether a resident account may sign in to a service. */
  isActiveAccount(id: string): Promise<boolean>;
};

export function createResidentsModule(deps: ResidentsDeps): ResidentsModule {
  const { db, keys } = deps;
  const routes = new Hono<Env>();
  if (deps.finishInteraction) {
    const finish = deps.finishInteraction;
    routes.use('/my/*', (c, next) => ((c.set as (k: string, v: unknown) => void)('finishInteraction', finish), next()));
  }
  const accounts = { ...deps, baseUrl: deps.baseUrl ?? '', mailer: deps.baseUrl ? deps.mailer : undefined };
  routes.route('/', signUpRoutes(accounts));
  routes.route('/', signInRoutes(accounts));
  // The pages before a session (sign-up, sign-in) are mounted above this line; every other /my page needs one.
  routes.use('/my', requireResident(db));
  routes.use('/my/*', requireResident(db));
  routes.route('/', signOutRoutes(db));
  routes.route('/', myRoutes());
  return {
    routes: { public: routes },
    commands: { saveProfile: (input) => saveProfile(db, keys, input) },
    isActiveAccount: async (id) => (await findActiveAccount(db, id)) !== undefined,
    queries: {},
  };
}
