// 法令に基づく提供: the legal bases under which a staff member may let an organisation read a
// resident's data without consent, and the command that records one. The gate (gate.ts) honours a
// record only for its organisation, purpose, categories and period.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { badRequest } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { accountExists } from './repository-protection.ts';
import { categoryIds } from './categories.ts';
import { purposeOf } from './purposes.ts';
import { insertLegalBasis, listLegalBasisRows } from './repository-gate.ts';

export interface LegalBasis {
  id: string;
  /** The provision, as a resident reads it on the access log. */
  label: string;
  /** When it applies, in plain Japanese. */
  when: string;
}

export const legalBases: readonly LegalBasis[] = [
  {
    id: 'appi-69-2-3',
    label: '個人情報保護法 第69条第2項第3号',
    when: '他の行政機関・地方公共団体の機関が、法令の定める事務の遂行に必要な限度で利用し、相当の理由があるとき',
  },
  {
    id: 'appi-69-2-4',
    label: '個人情報保護法 第69条第2項第4号',
    when: '本人以外の者に提供することが明らかに本人の利益になるとき（生命・身体の保護など）、その他特別の理由があるとき',
  },
  {
    id: 'dcbl-49-11-3',
    label: '災害対策基本法 第49条の11第3項',
    when: '災害が発生し、又は発生するおそれがある場合に、避難行動要支援者の生命・身体を保護するため特に必要があるとき（避難行動要支援者名簿）',
  },
];
const basisIds = legalBases.map((b) => b.id) as [string, ...string[]];
export const legalBasisOf = (id: string) => legalBases.find((b) => b.id === id);

/** A record lasts at most this long: a disaster's need is reviewed, not left open. */
export const LEGAL_BASIS_MAX_DAYS = 30;
const MAX_DAYS = LEGAL_BASIS_MAX_DAYS;
/** A form sends one checkbox as a string, several as an array; an emptied text field as ''. */
const many = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? v : [v]);
const blankIsNull = (v: unknown) => (v === '' ? null : v);

export const legalBasisInput = z
  .object({
    organisationId: z.string().trim().min(1, '提供先の組織を選んでください。').max(100, '提供先の組織が正しくありません。'),
    purposeId: z.string().refine((v) => purposeOf(v) !== undefined, '利用目的を選んでください。'),
    categories: z.preprocess(
      many,
      z
        .array(z.enum(categoryIds as [string, ...string[]], { message: 'データの区分が正しくありません。' }))
        .min(1, 'データの区分を1つ以上選んでください。')
        .max(categoryIds.length),
    ),
    legalBasis: z.enum(basisIds, { message: '法令の根拠を選んでください。' }),
    reason: z.string().trim().min(1, '提供の理由を入力してください。').max(1000, '提供の理由は1000文字以内で入力してください。'),
    residentId: z.preprocess(
      blankIsNull,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, '受付番号が正しくありません。')
        .nullish(),
    ),
    municipalityCode: z.preprocess(
      blankIsNull,
      z
        .string()
        .regex(/^\d{5}$/, '市町村コードは5桁の数字です。')
        .nullish(),
    ),
    days: z.coerce
      .number()
      .int('日数は整数で入力してください。')
      .min(1, '期間は1日以上です。')
      .max(MAX_DAYS, `期間は${MAX_DAYS}日以内です。`),
  })
  .superRefine((v, ctx) => {
    if (!v.residentId === !v.municipalityCode)
      ctx.addIssue({ code: 'custom', path: ['residentId'], message: '対象は住民か市町村のどちらか一方を指定してください。' });
    const purpose = purposeOf(v.purposeId);
    const outside = purpose && v.categories.find((c) => !purpose.categories.includes(c));
    if (outside) ctx.addIssue({ code: 'custom', path: ['categories'], message: 'この利用目的に含まれないデータの区分があります。' });
  });
export type LegalBasisInput = z.input<typeof legalBasisInput>;

/**
 * Records a legal basis; audited in the same transaction. Answers the record's id. The organisation
 * and municipality must be in the registry (`isUnit`), and the resident must have an account.
 */
export async function recordLegalBasis(
  db: Db,
  staff: { id: string },
  input: LegalBasisInput,
  isUnit: (id: string) => Promise<boolean>,
): Promise<string> {
  const v = parse(legalBasisInput, input, '法令に基づく提供');
  if (!(await isUnit(v.organisationId))) throw badRequest('提供先の組織が組織一覧にありません。', { field: 'organisationId' });
  if (v.municipalityCode && !(await isUnit(v.municipalityCode)))
    throw badRequest('市町村コードが組織一覧にありません。', { field: 'municipalityCode' });
  if (v.residentId && !(await accountExists(db, v.residentId)))
    throw badRequest('この受付番号の住民は見つかりません。番号を確かめてください。', { field: 'residentId' });
  const id = `lb_${randomBytes(12).toString('base64url')}`;
  const row = {
    id,
    organisationId: v.organisationId,
    purposeId: v.purposeId,
    categories: [...new Set(v.categories)],
    legalBasis: v.legalBasis,
    reason: v.reason,
    residentId: v.residentId ?? null,
    municipalityCode: v.municipalityCode ?? null,
    recordedBy: staff.id,
    validUntil: new Date(Date.now() + v.days * 86_400_000),
  };
  await db.transaction(async (tx) => {
    await insertLegalBasis(tx, row);
    // The reason is the staff member's, not the resident's data; the resident id is an opaque internal id.
    const { reason, ...after } = row;
    await appendAudit(tx, { actorId: staff.id, action: 'record_legal_basis', entity: 'legal_basis_record', entityId: id, after, reason });
  });
  return id;
}

export const listLegalBases = (db: Db) => listLegalBasisRows(db);
