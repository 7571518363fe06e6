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
import { accessLogRoutes, type UnitName } from './access-log.tsx';
import { read, type Channel, type GateActor } from './gate.ts';
import { legalBases, listLegalBases, recordLegalBasis, type LegalBasisInput } from './legal-bases.ts';
import { myRoutes } from './my.tsx';
import { releasedTo, type Released } from './recipients.ts';
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
export { loadResidentKeys, keyFilePath, type KeySource } from './keys.ts';
export { checkKeysCover, removeRetiredKeys, rotateKeys } from './rotate-keys.ts';

export interface ResidentsDeps {
  db: Db;
  keys: KeyRing;
  /** The registry's name of an organisation unit, for the access log (organisations' unit query). */
  unitName?: UnitName;
  /** The secret of residents' pairwise ids per organisation (the broker's personal tenant); kept stable. */
  pairwiseSecret?: string;
}

export interface ResidentsCommands {
  /** Creates or replaces a resident's profile; every personal field is sealed before it is written. */
  saveProfile(input: ProfileInput): Promise<void>;
  /** Records a legal basis for reading without consent (staff, dataprot's pages); audited. */
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

export function createResidentsModule({ db, keys, unitName = async () => undefined, pairwiseSecret }: ResidentsDeps): ResidentsModule {
  const routes = new Hono<Env>();
  // The pages before a session (sign-up, sign-in) are mounted above this line; every other /my page needs one.
  routes.use('/my', requireResident(db));
  routes.use('/my/*', requireResident(db));
  routes.route('/', myRoutes());
  routes.route('/', accessLogRoutes(db, unitName));
  return {
    routes: { public: routes },
    commands: {
      saveProfile: (input) => saveProfile(db, keys, input),
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
