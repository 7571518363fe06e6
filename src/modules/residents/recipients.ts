// What one organisation may read for one purpose, resident by resident: the residents module's side of
// the broker's personal tenant. Residents are named by a pairwise id per organisation, never the
// internal id, so two organisations cannot join their answers on it.
import { createHmac } from 'node:crypto';
import type { Db } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { KeyRing } from './crypto.ts';
import { read, type Channel, type GateActor } from './gate.ts';
import { purposeOf } from './purposes.ts';
import { listConsentedResidents, listLegallyCoveredResidents } from './repository-gate.ts';

export interface Released {
  /** The resident's pairwise id for the reader's organisation. */
  pairwiseId: string;
  data: Record<string, unknown>;
}

export const pairwiseId = (secret: string, organisationId: string, residentId: string) =>
  createHmac('sha256', secret).update(`${organisationId}|${residentId}`).digest('base64url');

/**
 * Every resident the organisation may read for the purpose, with exactly the categories consented (or
 * under a legal basis) that hold a value; `only` narrows to one pairwise id, or to those it accepts (the
 * broker's id and idPattern, checked before any data is read). Each resident released goes
 * through the gate, so each is one access-log row.
 */
export async function releasedTo(
  db: Db,
  ring: KeyRing,
  secret: string | undefined,
  actor: GateActor,
  purposeId: string,
  channel: Channel,
  only?: string | ((pairwiseId: string) => boolean),
): Promise<Released[]> {
  if (!secret) throw new AppError(500, 'pairwise_secret_missing', 'サーバーの設定が不足しています。');
  const purpose = purposeOf(purposeId);
  const organisationId = actor.organisationId;
  if (!purpose || !organisationId) return [];
  const byResident = new Map<string, string[]>();
  for (const r of await listLegallyCoveredResidents(db, { organisationId, purposeId })) byResident.set(r.residentId, r.categories);
  // A consent wins over a legal basis: what the resident agreed to is the narrower, expected release.
  for (const r of await listConsentedResidents(db, { purposeId, version: purpose.version, recipientId: organisationId }))
    byResident.set(r.residentId, r.categories);
  const out: Released[] = [];
  for (const [residentId, categories] of byResident) {
    const id = pairwiseId(secret, organisationId, residentId);
    if (only !== undefined && (typeof only === 'string' ? id !== only : !only(id))) continue;
    const asked = categories.filter((c) => purpose.categories.includes(c));
    const data = await read(db, ring, actor, residentId, purposeId, asked, channel).catch((e: unknown) => {
      if (e instanceof AppError && e.status === 404) return undefined; // withdrawn between the list and the read
      throw e;
    });
    if (data && Object.keys(data).length > 0) out.push({ pairwiseId: id, data });
  }
  return out;
}
