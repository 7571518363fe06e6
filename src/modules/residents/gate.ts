// 同意ゲート: the one way personal data leaves the residents module. A read is allowed for the
// resident themselves, under a valid consent, or under a recorded legal basis; every read, allowed
// or refused, leaves one access-log row in the read's own transaction, so no read goes unrecorded.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { categoryOf } from './categories.ts';
import type { KeyRing } from './crypto.ts';
import { readCategoriesUngated } from './profiles.ts';
import { purposeOf } from './purposes.ts';
import { validConsent } from './consents.ts';
import { findValidLegalBasis, insertAccessLog } from './repository-gate.ts';

export interface GateActor {
  kind: 'resident' | 'staff' | 'client';
  id: string;
  /** The organisation unit (registry id) the reader acts for; required for staff and clients. */
  organisationId?: string | null;
}

export type Channel = 'page' | 'broker' | 'export';

/** The purpose of a disclosure on the resident's request (個人情報保護法 第76条): a staff member exports their data to them. */
export const DISCLOSURE = 'disclosure-request';

/** 'held': personal data another module holds about someone with no account, used within its purpose (held.ts). */
export type Basis = 'self' | 'consent' | 'legal-basis' | typeof DISCLOSURE | 'held' | 'none';

/** Missing and forbidden alike: the caller learns nothing about whether the resident exists. */
const refused = () => new AppError(404, 'not_found', '住民のデータが見つかりません。');

async function decide(db: Db, actor: GateActor, residentId: string, purposeId: string, categories: readonly string[]) {
  if (categories.length === 0) return undefined;
  if (actor.kind === 'resident') return actor.id === residentId ? { basis: 'self' as const } : undefined;
  // 開示: the resident's own request, which a staff member carries out (the data-protection page).
  if (purposeId === DISCLOSURE) return actor.kind === 'staff' ? { basis: DISCLOSURE } : undefined;
  const purpose = purposeOf(purposeId);
  if (!purpose || !actor.organisationId || categories.some((c) => !purpose.categories.includes(c))) return undefined;
  const q = { residentId, purposeId, categories, organisationId: actor.organisationId };
  const consent = await validConsent(db, residentId, purposeId, actor.organisationId, categories);
  if (consent) return { basis: 'consent' as const, consentId: consent.id };
  const legal = await findValidLegalBasis(db, q);
  return legal ? { basis: 'legal-basis' as const, legalBasisId: legal.id } : undefined;
}

/**
 * Reads the given categories of one resident for a purpose, or refuses with 404. Consents and
 * legal bases are queried on every call, so a withdrawal takes effect at the very next read.
 */
export async function read(
  db: Db,
  ring: KeyRing,
  actor: GateActor,
  residentId: string,
  purposeId: string,
  categories: readonly string[],
  channel: Channel,
): Promise<Record<string, unknown>> {
  // Unknown ids are dropped from what is logged (a hostile list must not grow the log) and refuse the read.
  const asked = [...new Set(categories)].filter((c) => categoryOf(c));
  const unknown = asked.length < new Set(categories).size;
  const outcome = await db.transaction(async (tx) => {
    const allowed = unknown ? undefined : await decide(tx, actor, residentId, purposeId, asked);
    await insertAccessLog(tx, {
      id: `al_${randomBytes(12).toString('base64url')}`,
      residentId,
      actorKind: actor.kind,
      actorId: actor.id,
      organisationId: actor.organisationId ?? null,
      purposeId,
      categories: asked,
      basis: allowed?.basis ?? 'none',
      consentId: allowed && 'consentId' in allowed ? allowed.consentId : null,
      legalBasisId: allowed && 'legalBasisId' in allowed ? allowed.legalBasisId : null,
      allowed: Boolean(allowed),
      channel,
    });
    return allowed ? { data: await readCategoriesUngated(tx, ring, residentId, asked) } : undefined;
  });
  if (!outcome) throw refused();
  return outcome.data;
}
