// The staff side of data protection (職員の個人データ保護ページ): what the page shows, a resident's
// disclosure (開示) and deletion on request. Who may call these is workspace's rules (canProtectData);
// each disclosure is itself in the access log, and each disclosure or deletion is audited.
import { z } from 'zod';
import { appendAudit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { badRequest } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { categoryIds } from './categories.ts';
import type { KeyRing } from './crypto.ts';
import { deleteAccount, type DeletedWithAccount } from './account.ts';
import { DISCLOSURE, read, type GateActor } from './gate.ts';
import {
  accessLogRowsOf,
  accountExists,
  bulkReadRows,
  consentCountRows,
  consentRowsOf,
  searchAccessLogRows,
  type AccessLogFilter,
} from './repository-protection.ts';

export type { AccessLogFilter, AccessLogRow } from './repository-protection.ts';

/** Reading more distinct residents than this within an hour raises the page's alert. */
export const BULK_READ_THRESHOLD = 50;
/** How far back the alert looks. */
export const BULK_READ_DAYS = 7;

/** The purpose a disclosure is logged under, and its basis: the resident's own request (個人情報保護法 第76条). */
export { DISCLOSURE } from './gate.ts';

/** Who acts: a staff member, named as in the audit trail. */
export interface StaffActor {
  id: string;
  department: string | null;
  municipalityCode: string | null;
}

export const requestInput = z.object({
  residentId: z
    .string()
    .trim()
    .regex(/^r_[A-Za-z0-9_-]{1,64}$/, '受付番号は「r_」で始まる英数字です。マイページに表示された番号を確かめてください。'),
  reason: z.string().trim().min(1, '理由を入力してください。').max(500, '理由は500文字以内で入力してください。'),
});
export type RequestInput = z.input<typeof requestInput>;

async function knownResident(db: Db, input: RequestInput) {
  const r = parse(requestInput, input, '請求');
  // Unknown and deleted read alike: the page says only that the number matches no one.
  if (!(await accountExists(db, r.residentId)))
    throw badRequest('この受付番号の住民は見つかりません。番号を確かめてください。', { field: 'residentId' });
  return r;
}

export function protectionQueries(db: Db) {
  return {
    consentCounts: () => consentCountRows(db),
    accessLog: (f: AccessLogFilter, page: { limit: number; offset: number }) => searchAccessLogRows(db, f, page),
    bulkReads: (now = new Date()) => bulkReadRows(db, BULK_READ_THRESHOLD, new Date(now.getTime() - BULK_READ_DAYS * 86_400_000)),
  };
}

/** One module's part of a 開示: its rows about the resident, sealed values opened by it (and logged) in `db`. */
export type Disclosed = (db: Db, reader: GateActor, residentId: string) => Promise<unknown>;

/**
 * 開示: everything held about one resident, as JSON; the personal data comes through the gate, which logs
 * the read, and each other module's rows (`more`, by name under `services`) in the same transaction.
 */
export async function exportResidentData(
  db: Db,
  keys: KeyRing,
  actor: StaffActor,
  input: RequestInput,
  more: Readonly<Record<string, Disclosed>> = {},
) {
  const { residentId, reason } = await knownResident(db, input);
  const reader = { kind: 'staff' as const, id: actor.id, organisationId: actor.department ?? actor.municipalityCode };
  const data = await read(db, keys, reader, residentId, DISCLOSURE, categoryIds, 'export');
  return db.transaction(async (tx) => {
    await appendAudit(tx, { actorId: actor.id, action: 'export_resident_data', entity: 'resident', entityId: residentId, reason });
    const [consents, accessLog] = await Promise.all([consentRowsOf(tx, residentId), accessLogRowsOf(tx, residentId)]);
    const services: Record<string, unknown> = {};
    for (const [name, disclose] of Object.entries(more)) services[name] = await disclose(tx, reader, residentId);
    return { residentId, exportedAt: new Date().toISOString(), data, services, consents, accessLog };
  });
}

/** 削除 on request: the same deletion as the resident's own (account.ts), audited with the staff member's reason. */
export async function deleteResidentData(db: Db, actor: StaffActor, input: RequestInput, more: readonly DeletedWithAccount[]) {
  const { residentId, reason } = await knownResident(db, input);
  await deleteAccount(db, residentId, more, (tx) =>
    appendAudit(tx, { actorId: actor.id, action: 'delete_resident_data', entity: 'resident', entityId: residentId, reason }),
  );
}
