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
import { myRoutes } from './my.tsx';
import type { Env } from './page.tsx';
import { requireResident } from './session.ts';
import type { KeyRing } from './crypto.ts';
import { saveProfile } from './profiles.ts';
import { recordLegalBasisFromPage, type LegalBasisInput } from './protection-legal-basis.ts';
import { deleteResidentData, exportResidentData, protectionQueries, type RequestInput, type StaffActor } from './protection.ts';
import type { ProfileInput } from './schema.ts';

export type { KeyRing } from './crypto.ts';
export type { Profile, ProfileInput } from './schema.ts';
export { loadResidentKeys, keyFilePath, type KeySource } from './keys.ts';
export { purposes, purposeOf } from './purposes.ts';
export { categoryOf } from './categories.ts';
export { BULK_READ_THRESHOLD, DISCLOSURE, requestInput, type AccessLogFilter, type AccessLogRow } from './protection.ts';
export { legalBasisChoices, LEGAL_BASIS_MAX_DAYS } from './protection-legal-basis.ts';
export { checkKeysCover, removeRetiredKeys, rotateKeys } from './rotate-keys.ts';

export interface ResidentsDeps {
  db: Db;
  keys: KeyRing;
}

export interface ResidentsCommands {
  /** Creates or replaces a resident's profile; every personal field is sealed before it is written. */
  saveProfile(input: ProfileInput): Promise<void>;
  /** 開示: a resident's data as JSON, logged in the access log and audited (staff data-protection page). */
  exportResidentData(actor: StaffActor, input: RequestInput): ReturnType<typeof exportResidentData>;
  /** 削除 on request, audited; consents and the access log are kept. */
  deleteResidentData(actor: StaffActor, input: RequestInput): Promise<void>;
  /** 法令に基づく提供の記録 from the staff page (until legal-bases.ts' recordLegalBasis replaces it); `isUnit` checks the registry. */
  recordLegalBasis(actor: StaffActor, input: LegalBasisInput, isUnit: (id: string) => Promise<boolean>): Promise<string>;
}

/** No profile here: profiles are read only through the consent gate (issue 12, point 5), which wraps profiles.ts' readProfileUngated. */
export type ResidentsQueries = ReturnType<typeof protectionQueries>;

export type ResidentsModule = Module<ResidentsCommands, ResidentsQueries> & { routes: { public: Routes } };

export function createResidentsModule({ db, keys }: ResidentsDeps): ResidentsModule {
  const routes = new Hono<Env>();
  // The pages before a session (sign-up, sign-in) are mounted above this line; every other /my page needs one.
  routes.use('/my', requireResident(db));
  routes.use('/my/*', requireResident(db));
  routes.route('/', myRoutes());
  return {
    routes: { public: routes },
    commands: {
      saveProfile: (input) => saveProfile(db, keys, input),
      exportResidentData: (actor, input) => exportResidentData(db, keys, actor, input),
      deleteResidentData: (actor, input) => deleteResidentData(db, actor, input),
      recordLegalBasis: (actor, input, isUnit) => recordLegalBasisFromPage(db, actor, input, isUnit),
    },
    queries: protectionQueries(db),
  };
}
