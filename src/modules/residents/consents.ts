// 同意: giving and withdrawing consent per purpose and recipient, and the query the gate asks. A
// record's state follows from its times, read from the table on every call (no cache), so a
// withdrawal holds from the next read on.
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import type { OrganisationsQueries } from '../organisations/index.ts';
import { purposeOf, type Purpose } from './purposes.ts';
import { findProfileRow } from './repository.ts';
import { findConsentRow, findRecipientRows, insertConsentRows, markWithdrawn, type ConsentRow } from './repository-consents.ts';

export type { ConsentRow } from './repository-consents.ts';
export type Units = Pick<OrganisationsQueries, 'unit' | 'units'>;
export type ConsentState = 'given' | 'withdrawn' | 'expired';

/** The unit that runs the platform and answers residents' questions (the notice's contact). */
export const operatorUnitId = 'sogo-seisaku.dx-suishin';

export const consentIdPattern = /^c_[A-Za-z0-9_-]{16}$/;
const newConsentId = () => `c_${randomBytes(12).toString('base64url')}`;

const durationPattern = /^P(\d+)([YMD])$/;

/** 「1年間」 for P1Y: the purposes' durations are whole years, months or days. */
export function durationLabel(iso: string): string {
  const m = durationPattern.exec(iso);
  if (!m) return iso;
  return `${m[1]}${{ Y: '年間', M: 'か月間', D: '日間' }[m[2] as 'Y' | 'M' | 'D']}`;
}

export function addDuration(from: Date, iso: string): Date {
  const m = durationPattern.exec(iso);
  if (!m) throw new Error(`unsupported duration ${iso}`);
  const n = Number(m[1]);
  const d = new Date(from);
  if (m[2] === 'Y') d.setUTCFullYear(d.getUTCFullYear() + n);
  else if (m[2] === 'M') d.setUTCMonth(d.getUTCMonth() + n);
  else d.setUTCDate(d.getUTCDate() + n);
  return d;
}

/** Withdrawn wins over expired when both times have passed: the resident's act is what they remember. */
export function consentState(row: Pick<ConsentRow, 'withdrawnAt' | 'expiresAt'>, at: Date): ConsentState {
  if (row.withdrawnAt && row.withdrawnAt <= at) return 'withdrawn';
  return row.expiresAt <= at ? 'expired' : 'given';
}

/** Whether a record allows a read at `at`: given then, for the purpose's current version, over every category asked. */
export function allows(row: ConsentRow, purpose: Purpose, categories: readonly string[], at: Date): boolean {
  return (
    row.purposeId === purpose.id &&
    row.purposeVersion === purpose.version &&
    row.givenAt <= at &&
    consentState(row, at) === 'given' &&
    categories.every((c) => row.categories.includes(c))
  );
}

/** The consent record that allows this read, or undefined. */
export async function validConsent(
  db: Db,
  residentId: string,
  purposeId: string,
  recipientId: string,
  categories: readonly string[],
  at: Date = new Date(),
): Promise<ConsentRow | undefined> {
  const purpose = purposeOf(purposeId);
  if (!purpose) return undefined;
  return (await findRecipientRows(db, residentId, purposeId, recipientId)).find((r) => allows(r, purpose, categories, at));
}

export interface GiveInput {
  purposeId: string;
  /** For `any-municipality` purposes: the municipalities chosen; ignored otherwise. */
  recipients: readonly string[];
  categories: readonly string[];
}

const distinct = (xs: readonly string[]) => [...new Set(xs)];

/** Who receives, from the purpose: the registry decides, never the request alone. */
export async function recipientsFor(db: Db, units: Units, residentId: string, purpose: Purpose, chosen: readonly string[]) {
  const municipality = async (id: string) => {
    const unit = await units.unit(id);
    return unit && unit.kind === 'municipality' && !unit.retired ? unit : undefined;
  };
  if (purpose.recipient.kind === 'unit') {
    const unit = await units.unit(purpose.recipient.unitId);
    if (!unit || unit.retired) throw notFound('受け取る組織');
    return [unit];
  }
  if (purpose.recipient.kind === 'own-municipality') {
    const profile = await findProfileRow(db, residentId);
    const unit = profile && (await municipality(profile.municipalityCode));
    if (!unit)
      throw badRequest('住所の市町村が登録されていません。先にプロフィールで住所の市町村を登録してください。', { field: 'recipients' });
    return [unit];
  }
  const ids = distinct(chosen);
  if (ids.length === 0) throw badRequest('受け取る市町村を1つ以上選んでください。', { field: 'recipients' });
  // A prefecture has 40 municipalities; more ids than that cannot all be real.
  if (ids.length > 64) throw badRequest('受け取る市町村の指定が多すぎます。', { field: 'recipients' });
  const found = await Promise.all(ids.map(municipality));
  if (found.some((u) => !u)) throw badRequest('選ばれた市町村が登録にありません。一覧から選んでください。', { field: 'recipients' });
  return found.map((u) => u!);
}

/** One record per recipient, all stored or none; answers their ids. */
export async function giveConsent(db: Db, units: Units, residentId: string, input: GiveInput, now = new Date()): Promise<string[]> {
  const purpose = purposeOf(input.purposeId);
  if (!purpose) throw notFound('利用目的');
  const categories = distinct(input.categories);
  if (categories.length === 0) throw badRequest('同意する情報を1つ以上選んでください。', { field: 'categories' });
  if (categories.some((c) => !purpose.categories.includes(c)))
    throw badRequest('この利用目的にない情報が選ばれています。一覧から選んでください。', { field: 'categories' });
  const recipients = await recipientsFor(db, units, residentId, purpose, input.recipients);
  const expiresAt = addDuration(now, purpose.duration);
  // In the purpose's order, so a record reads the same whichever order the form sent.
  const ordered = purpose.categories.filter((c) => categories.includes(c));
  const rows = recipients.map((u) => ({
    id: newConsentId(),
    residentId,
    purposeId: purpose.id,
    purposeVersion: purpose.version,
    recipientId: u.id,
    categories: ordered,
    legalBasis: 'dpv:Consent',
    givenAt: now,
    expiresAt,
  }));
  // The audit names the record, purpose, recipient and categories: what was agreed, no personal data.
  await db.transaction(async (tx) => {
    await insertConsentRows(tx, rows);
    for (const r of rows)
      await appendAudit(tx, {
        actorId: residentId,
        action: 'give_consent',
        entity: 'consent_record',
        entityId: r.id,
        before: null,
        after: { purposeId: r.purposeId, purposeVersion: r.purposeVersion, recipientId: r.recipientId, categories: r.categories },
      });
  });
  return rows.map((r) => r.id);
}

/** Withdraws one of the resident's own records; another resident's id is not found. */
export async function withdrawConsent(db: Db, residentId: string, id: string, now = new Date()): Promise<ConsentRow> {
  const row = consentIdPattern.test(id) ? await findConsentRow(db, residentId, id) : undefined;
  if (!row) throw notFound('同意記録');
  await db.transaction(async (tx) => {
    if (!(await markWithdrawn(tx, residentId, id, now))) return;
    await appendAudit(tx, {
      actorId: residentId,
      action: 'withdraw_consent',
      entity: 'consent_record',
      entityId: id,
      before: { withdrawnAt: null },
      after: { withdrawnAt: now.toISOString() },
    });
  });
  return row;
}

export async function ownConsent(db: Db, residentId: string, id: string): Promise<ConsentRow> {
  const row = consentIdPattern.test(id) ? await findConsentRow(db, residentId, id) : undefined;
  if (!row) throw notFound('同意記録');
  return row;
}
