/**
 * residents — residents and their personal data, kept apart from open data and sealed field by
 * field (AES-256-GCM, crypto.ts) under a key ring from RESIDENTS_KEYS or a key file (keys.ts).
 * So far: the profile store and key rotation (npm run residents -- rotate-key); consent records per
 * purpose and recipient with their notices and signed receipts (/my/consents, /consent/verify), and
 * queries.validConsent for the gate. Until the gate exists no other module reads a profile.
 *
 * Owns: resident_profiles, consent_records. Needs: the database; the key ring (loaded at start, see
 * main.ts); the organisations registry (recipients); identity's platformSecret (the receipt key).
 */
import { Hono } from 'hono';
import type { Db } from '../../platform/db.ts';
import type { Module, Routes } from '../../platform/module.ts';
import { myRoutes } from './my.tsx';
import type { Env } from './page.tsx';
import { requireResident } from './session.ts';
import type { KeyRing } from './crypto.ts';
import { saveProfile } from './profiles.ts';
import type { ProfileInput } from './schema.ts';
import { createOrganisationsModule, type OrganisationsQueries } from '../organisations/index.ts';
import { consentRoutes } from './consents.tsx';
import { validConsent, type ConsentRow } from './consents.ts';
import { receiptRoutes } from './consent-verify.tsx';
import { receiptKeys } from './receipts.ts';

export type { KeyRing } from './crypto.ts';
export type { Profile, ProfileInput } from './schema.ts';
export { loadResidentKeys, keyFilePath, type KeySource } from './keys.ts';
export { checkKeysCover, removeRetiredKeys, rotateKeys } from './rotate-keys.ts';

export type { ConsentRow } from './consents.ts';

export interface ResidentsDeps {
  db: Db;
  keys: KeyRing;
  /** The registry that names recipients of consents; by default read from the same database. */
  organisations?: Pick<OrganisationsQueries, 'unit' | 'units'>;
}

export interface ResidentsCommands {
  /** Creates or replaces a resident's profile; every personal field is sealed before it is written. */
  saveProfile(input: ProfileInput): Promise<void>;
}

/** Profiles are read only through the consent gate (issue 12, point 5), which wraps profiles.ts' readProfileUngated. */
export interface ResidentsQueries {
  /**
   * The consent record that allows `recipientId` to read `categories` of a resident for a purpose at
   * `at` (default now): given, not withdrawn, not expired, for the purpose's current version, covering
   * every category; otherwise undefined. Reads the table on every call, so a withdrawal holds at once.
   */
  validConsent(
    residentId: string,
    purposeId: string,
    recipientId: string,
    categories: readonly string[],
    at?: Date,
  ): Promise<ConsentRow | undefined>;
}

export type ResidentsModule = Module<ResidentsCommands, ResidentsQueries> & { routes: { public: Routes } };

export function createResidentsModule({ db, keys, organisations }: ResidentsDeps): ResidentsModule {
  const units = organisations ?? createOrganisationsModule({ db }).queries;
  const signingKey = receiptKeys(db);
  const routes = new Hono<Env>();
  routes.route('/', receiptRoutes(db, units, signingKey));
  // The pages before a session (sign-up, sign-in) are mounted above this line; every other /my page needs one.
  routes.use('/my', requireResident(db));
  routes.use('/my/*', requireResident(db));
  routes.route('/', myRoutes());
  routes.route('/', consentRoutes(db, units, signingKey));
  return {
    routes: { public: routes },
    commands: { saveProfile: (input) => saveProfile(db, keys, input) },
    queries: { validConsent: (...args) => validConsent(db, ...args) },
  };
}
