// 罹災証明書 (issue 14 point 8): a signed-in resident applies (name, address, damage, their own 写真投稿
// as evidence); the municipality's staff schedule the survey, decide the grade and issue; each step is
// audited. Name, address and description are sealed (residents' held fields) and opened only through
// `open`, which logs each opening in the resident's access log.
import { randomBytes, randomUUID } from 'node:crypto';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import type { GateActor, HeldFields } from '../../residents/index.ts';
import { canHandleCertificates, certificateStep, type CertificateStep } from '../rules.ts';
import { ownReports } from '../repository-reports.ts';
import {
  findCertificate,
  insertCertificate,
  insertVerification,
  lockCertificate,
  updateCertificate,
  type CertificateRow,
} from './repository.ts';

/** What damaged the house (住家被害の原因), as the resident chooses it (docs/glossary.md). */
export const damageTypes = {
  flood: '浸水',
  collapse: '倒壊',
  fire: '火災',
  landslide: '土砂',
  wind: '風害（屋根・外壁などの損壊）',
  other: 'その他',
} as const;

/**
 * 住家の被害の程度: 内閣府（防災担当）「災害に係る住家の被害認定基準運用指針」(令和3年3月改定) — six
 * grades by 損害割合 (the economic damage of the house's main elements as a share of the whole).
 */
export const damageGrades = {
  total: { label: '全壊', ratio: '50%以上' },
  largeHalf: { label: '大規模半壊', ratio: '40%以上50%未満' },
  mediumHalf: { label: '中規模半壊', ratio: '30%以上40%未満' },
  half: { label: '半壊', ratio: '20%以上30%未満' },
  semiHalf: { label: '準半壊', ratio: '10%以上20%未満' },
  partial: { label: '準半壊に至らない（一部損壊）', ratio: '10%未満' },
} as const;

export const certificateStatusLabels: Record<string, string> = {
  received: '受付',
  scheduled: '調査予定',
  decided: '判定済',
  issued: '交付',
};

/** The purpose named in the access log when the application's sealed fields are opened. */
export const CERTIFICATE_PURPOSE = 'disaster-certificate';
export const LIMITS = { name: 50, address: 200, description: 1000, reports: 10 } as const;

// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const lineControls = /[\u0000-\u001f\u007f]/;
const isKey = <T extends object>(o: T, k: string): k is Extract<keyof T, string> => Object.hasOwn(o, k);
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00+09:00`));
const todayInJapan = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);

export interface ApplicationInput {
  municipality: string;
  name: string;
  address: string;
  damageType: string;
  damagedOn: string;
  description: string;
  reportIds: string[];
}

function text(value: string, max: number, label: string, field: string, multiline = false) {
  const v = value.trim();
  if (!v) throw badRequest(`${label}を入力してください。`, { field });
  if (v.length > max) throw badRequest(`${label}は${max}文字以内で入力してください。`, { field });
  if ((multiline ? controls : lineControls).test(v)) throw badRequest(`${label}に使えない文字が含まれています。`, { field });
  return v;
}

const place = (id: string, column: string) => ({ table: 'disaster_certificates', column, rowId: id });

/** Files an application for a municipality in the registry; the photos must be the resident's own reports. */
export async function applyForCertificate(
  db: Db,
  fields: HeldFields,
  municipalities: ReadonlySet<string>,
  residentId: string,
  i: ApplicationInput,
): Promise<string> {
  if (!municipalities.has(i.municipality)) throw badRequest('市町村を選んでください。', { field: 'municipality' });
  const name = text(i.name, LIMITS.name, '氏名', 'name');
  const address = text(i.address, LIMITS.address, '被災した住家の所在地', 'address');
  const description = text(i.description, LIMITS.description, '被害の状況', 'description', true);
  if (!isKey(damageTypes, i.damageType)) throw badRequest('被害の原因を選んでください。', { field: 'damageType' });
  if (!isDate(i.damagedOn) || i.damagedOn > todayInJapan() || i.damagedOn < '2000-01-01')
    throw badRequest('被災した日を正しく入力してください（今日までの日付）。', { field: 'damagedOn' });
  const chosen = [...new Set(i.reportIds)];
  if (chosen.length > LIMITS.reports) throw badRequest(`写真は${LIMITS.reports}件まで選べます。`, { field: 'reportIds' });
  const own = new Set((await ownReports(db, residentId)).map((r) => r.id));
  if (chosen.some((id) => !own.has(id)))
    throw badRequest('選んだ写真が見つかりません。一覧から選び直してください。', { field: 'reportIds' });
  const id = randomUUID();
  const now = new Date().toISOString();
  await insertCertificate(db, {
    id,
    residentId,
    municipality: i.municipality,
    name: fields.seal(name, place(id, 'name')),
    address: fields.seal(address, place(id, 'address')),
    description: fields.seal(description, place(id, 'description')),
    damageType: i.damageType,
    damagedOn: i.damagedOn,
    reportIds: chosen,
    status: 'received',
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

export interface Opened {
  name: string;
  address: string;
  description: string;
}

/** The application's sealed fields, opened for `reader` (the applicant or staff), one access-log row. */
export async function openApplication(db: Db, fields: HeldFields, reader: GateActor, row: CertificateRow): Promise<Opened> {
  const [name, address, description] = await fields.open(
    db,
    reader,
    row.residentId,
    CERTIFICATE_PURPOSE,
    [
      { value: row.name, place: place(row.id, 'name'), category: 'name' },
      { value: row.address, place: place(row.id, 'address'), category: 'address' },
      // The description is of the house at that address: logged as 住所.
      { value: row.description, place: place(row.id, 'description'), category: 'address' },
    ],
    'page',
  );
  return { name: name!, address: address!, description: description! };
}

/** The staff member's view of one application: 404 when missing or of a municipality they do not handle. */
export async function staffCertificate(db: Db, actor: Actor, id: string): Promise<CertificateRow> {
  const row = /^[0-9a-f-]{36}$/.test(id) ? await findCertificate(db, id) : undefined;
  if (!row || !canHandleCertificates(actor, row.municipality)) throw notFound('申請');
  return row;
}

export const staffReader = (actor: Actor, row: CertificateRow): GateActor => ({
  kind: 'staff',
  id: actor.id,
  organisationId: row.municipality,
});

/** 12 letters of Crockford's base32 (no I, L, O, U), shown as XXXX-XXXX-XXXX: 60 bits, typed from the paper. */
export function newCode(): string {
  const abc = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const s = [...randomBytes(12)].map((b) => abc[b & 31]).join('');
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

/** What a person typed as a code, normalised (case, full-width, spaces, the letters read as digits); undefined when it cannot be one. */
export function normaliseCode(typed: string): string | undefined {
  const s = typed.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return /^[0-9A-HJKMNP-TV-Z]{12}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}` : undefined;
}

export interface StepInput {
  surveyOn?: string;
  grade?: string;
}

/** One staff step on an application (schedule, decide, issue), audited; a refused step changes nothing. */
export async function certificateStepCommand(db: Db, actor: Actor, id: string, step: CertificateStep, input: StepInput) {
  const set: Partial<CertificateRow> = {};
  if (step === 'schedule') {
    if (!input.surveyOn || !isDate(input.surveyOn)) throw badRequest('調査日を正しく入力してください。', { field: 'surveyOn' });
    set.surveyOn = input.surveyOn;
  }
  if (step === 'decide') {
    if (!input.grade || !isKey(damageGrades, input.grade)) throw badRequest('被害の程度を選んでください。', { field: 'grade' });
    set.grade = input.grade;
  }
  await db.transaction(async (tx) => {
    const row = /^[0-9a-f-]{36}$/.test(id) ? await lockCertificate(tx, id) : undefined;
    if (!row || !canHandleCertificates(actor, row.municipality)) throw notFound('申請');
    const d = certificateStep(row.status, step);
    if ('refused' in d) throw badRequest(d.refused);
    const now = new Date().toISOString();
    if (step === 'issue') {
      set.code = newCode();
      set.issuedAt = now;
      await insertVerification(tx, {
        code: set.code,
        municipality: row.municipality,
        grade: row.grade!,
        damageType: row.damageType,
        damagedOn: row.damagedOn,
        issuedAt: now,
      });
    }
    await updateCertificate(tx, id, { ...set, status: d.to, updatedAt: now });
    await appendAudit(tx, {
      actorId: actor.id,
      action: `${step}_disaster_certificate`,
      entity: 'disaster_certificate',
      entityId: id,
      before: {
        status: row.status,
        surveyOn: row.surveyOn,
        grade: row.grade && damageGrades[row.grade as keyof typeof damageGrades].label,
      },
      after: {
        status: d.to,
        municipality: row.municipality,
        ...(set.surveyOn && { surveyOn: set.surveyOn }),
        ...(set.grade && { grade: damageGrades[set.grade as keyof typeof damageGrades].label }),
      },
      reason: null,
    });
  });
}
