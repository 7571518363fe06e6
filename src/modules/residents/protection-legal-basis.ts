// 法令に基づく提供の記録 from the data-protection page, until legal-bases.ts' recordLegalBasis (another
// part of issue 12) replaces it: a staff member records that an organisation may read some
// categories of one resident, or of a municipality's residents, without consent, for a time.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { badRequest } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { purposeOf } from './purposes.ts';
import { accountExists, insertLegalBasisRow } from './repository-protection.ts';
import type { StaffActor } from './protection.ts';

/** The bases a record may name (the id is stored). */
export const legalBasisChoices = [
  { id: 'disaster-act-49-11', label: '災害対策基本法 第49条の11（避難行動要支援者名簿の提供）' },
  { id: 'appi-69-2-4', label: '個人情報保護法 第69条第2項第4号（人の生命・身体・財産の保護）' },
] as const;

/** A record lasts at most this long: a disaster's need is reviewed, not left open. */
export const LEGAL_BASIS_MAX_DAYS = 30;

const many = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
export const legalBasisInput = z.object({
  organisationId: z.string().trim().min(1, '提供先の組織を選んでください。').max(200),
  purposeId: z.string().refine((p) => purposeOf(p) !== undefined, '利用目的を選んでください。'),
  categories: many.pipe(z.array(z.string()).min(1, 'データの区分を1つ以上選んでください。').max(20)),
  legalBasis: z.enum(legalBasisChoices.map((b) => b.id) as [string, ...string[]], { message: '法令の根拠を選んでください。' }),
  reason: z.string().trim().min(1, '理由を入力してください。').max(500, '理由は500文字以内で入力してください。'),
  residentId: z.string().trim().max(80).optional(),
  municipalityCode: z.string().trim().max(5).optional(),
  days: z.coerce
    .number()
    .int('日数は整数です。')
    .min(1, '期間は1日以上です。')
    .max(LEGAL_BASIS_MAX_DAYS, `期間は${LEGAL_BASIS_MAX_DAYS}日以内です。`),
});
export type LegalBasisInput = z.input<typeof legalBasisInput>;

export async function recordLegalBasisFromPage(db: Db, actor: StaffActor, raw: LegalBasisInput, isUnit: (id: string) => Promise<boolean>) {
  const f = parse(legalBasisInput, raw, '法令に基づく提供');
  const purpose = purposeOf(f.purposeId)!;
  const outside = f.categories.find((c) => !purpose.categories.includes(c));
  if (outside) throw badRequest(`データの区分「${outside}」はこの利用目的に含まれません。`, { field: 'categories' });
  if (!(await isUnit(f.organisationId))) throw badRequest('提供先の組織が組織一覧にありません。', { field: 'organisationId' });
  const residentId = f.residentId || null;
  const municipalityCode = f.municipalityCode || null;
  if ((residentId === null) === (municipalityCode === null))
    throw badRequest('受付番号か市町村コードのどちらか一方を入力してください。', { field: 'residentId' });
  if (residentId !== null && !(await accountExists(db, residentId)))
    throw badRequest('この受付番号の住民は見つかりません。番号を確かめてください。', { field: 'residentId' });
  if (municipalityCode !== null && !(await isUnit(municipalityCode)))
    throw badRequest('市町村コードが組織一覧にありません。', { field: 'municipalityCode' });
  const id = randomUUID();
  const validUntil = new Date(Date.now() + f.days * 86_400_000);
  await db.transaction(async (tx) => {
    await insertLegalBasisRow(tx, { id, ...f, residentId, municipalityCode, recordedBy: actor.id, validUntil });
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'record_legal_basis',
      entity: 'legal_basis_record',
      entityId: id,
      after: {
        organisationId: f.organisationId,
        purposeId: f.purposeId,
        categories: f.categories,
        legalBasis: f.legalBasis,
        residentId,
        municipalityCode,
        validUntil: validUntil.toISOString(),
      },
      reason: f.reason,
    });
  });
  return id;
}
