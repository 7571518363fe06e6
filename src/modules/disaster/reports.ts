// 写真投稿 (issue 14 point 4): a signed-in resident's photo report (command), staff moderation
// (approve, or reject with a reason; audited), and what each side may read. Pending and rejected
// reports are seen only by the municipality's staff (and the prefecture's); the public sees approved
// ones, without the reporter's id and with the point rounded to about 100 m.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';
import { municipalityAt } from './area.ts';
import { AOMORI_BOX } from './layers.ts';
import { prepareImage } from './report-image.ts';
import { canModerateReports, reportDecision } from './rules.ts';
import { findByClient, findImage, insertReport, lockReport, setDecision, type ReportRow } from './repository-reports.ts';
import type { MapDataSource } from './shelters.ts';

export { ownReports, publishedReports, staffReports, type ReportRow } from './repository-reports.ts';

/** The categories a resident chooses from (docs/glossary.md). */
export const reportCategories = {
  flood: '浸水',
  landslide: '土砂',
  fallenTree: '倒木',
  roadDamage: '道路損壊',
  fire: '火災',
  other: 'その他',
} as const;
export type ReportCategory = keyof typeof reportCategories;
export const isReportCategory = (v: unknown): v is ReportCategory => typeof v === 'string' && Object.hasOwn(reportCategories, v);
export const reportStatusLabels = { pending: '確認待ち', approved: '公開中', rejected: '非公開（却下）' } as const;
export const NOTE_MAX = 200;

export interface ReportInput {
  clientId: string;
  category: string;
  note: string;
  /** Chosen on the form; needed when the photo carries no location and the device gave none. */
  municipality?: string;
  /** From the browser's geolocation (or a point chosen), "lon,lat" already parsed. */
  point?: [number, number];
  /** The form's time (datetime-local, Japan time), used when the photo has none. */
  takenAt?: string;
  image: Uint8Array;
}

// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const inBox = ([lon, lat]: [number, number]) =>
  lon >= AOMORI_BOX[0] && lon <= AOMORI_BOX[2] && lat >= AOMORI_BOX[1] && lat <= AOMORI_BOX[3];

/** "2026-12-01T10:20" typed in Japan, as an instant; undefined when it is not one. */
export function formTime(v: string | undefined): string | undefined {
  if (!v || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return undefined;
  const t = new Date(`${v}:00+09:00`);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

/** Checks the fields that cost nothing to check, before the image is decoded. */
function checkFields(i: ReportInput) {
  if (!/^[A-Za-z0-9-]{8,64}$/.test(i.clientId)) throw badRequest('フォームを開き直してから送信してください。');
  if (!isReportCategory(i.category)) throw badRequest('種類を選んでください。', { field: 'category' });
  const note = i.note.trim();
  if (note.length > NOTE_MAX) throw badRequest(`説明は${NOTE_MAX}文字以内で入力してください。`, { field: 'note' });
  if (controls.test(note)) throw badRequest('説明に使えない文字が含まれています。', { field: 'note' });
  return { category: i.category, note };
}

/** Posts a report, pending moderation; the same clientId again (a retry) gives the first report's id. */
export async function submitReport(db: Db, map: MapDataSource['get'], residentId: string, i: ReportInput): Promise<string> {
  const { category, note } = checkFields(i);
  const existing = await findByClient(db, residentId, i.clientId);
  if (existing) return existing;
  const image = await prepareImage(i.image);
  const { municipalities } = await map();
  const [point, locationSource] = i.point ? [i.point, 'device'] : image.gps ? [image.gps, 'exif'] : [undefined, 'none'];
  let municipality = i.municipality && municipalities.has(i.municipality) ? i.municipality : undefined;
  if (point) {
    if (!inBox(point)) throw badRequest('写真の位置が青森県内ではありません。市町村を選び、位置情報を使わずに送信してください。');
    municipality = municipalityAt(point, municipalities.values()) ?? municipality;
  }
  if (!municipality) throw badRequest('市町村を選んでください（写真にも端末にも位置情報がありません）。', { field: 'municipality' });
  const id = randomUUID();
  await insertReport(db, {
    id,
    residentId,
    clientId: i.clientId,
    municipality,
    lon: point?.[0] ?? null,
    lat: point?.[1] ?? null,
    locationSource,
    category,
    note,
    takenAt: image.takenAt ?? formTime(i.takenAt) ?? null,
    createdAt: new Date().toISOString(),
    status: 'pending',
    image: image.jpeg,
    imageHash: image.hash,
    width: image.width,
    height: image.height,
  });
  // Two sends of the same post at once: the first one in is the report.
  return (await findByClient(db, residentId, i.clientId)) ?? id;
}

/** Approves or rejects a pending report of a municipality the actor moderates (else 404), audited. */
export async function decideReport(db: Db, actor: Actor, id: string, decision: string, reason: string) {
  if (reason.length > 500 || controls.test(reason))
    throw badRequest('理由は500文字以内で、記号や改行以外の制御文字を使わずに入力してください。');
  await db.transaction(async (tx) => {
    const row = await lockReport(tx, id);
    if (!row || !canModerateReports(actor, row.municipality)) throw notFound('投稿');
    const d = reportDecision(row.status, decision, reason);
    if ('refused' in d) throw badRequest(d.refused);
    const decidedAt = new Date().toISOString();
    await setDecision(tx, id, { status: d.to, reason: d.to === 'rejected' ? reason.trim() : null, decidedBy: actor.id, decidedAt });
    await appendAudit(tx, {
      actorId: actor.id,
      action: d.to === 'approved' ? 'approve_disaster_report' : 'reject_disaster_report',
      entity: 'disaster_report',
      entityId: id,
      before: { status: row.status },
      after: { status: d.to, municipality: row.municipality },
      reason: d.to === 'rejected' ? reason.trim() : null,
    });
  });
}

/** A report's image: `who` says whose view (the public: approved only; staff: their municipalities'; the reporter: own). */
export async function reportImage(
  db: Db,
  id: string,
  who: { public: true } | { actor: Actor } | { residentId: string },
): Promise<{ jpeg: Uint8Array; hash: string } | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const row = await findImage(db, id);
  if (!row) return undefined;
  const allowed =
    'public' in who
      ? row.status === 'approved'
      : 'actor' in who
        ? canModerateReports(who.actor, row.municipality)
        : row.residentId === who.residentId;
  return allowed ? { jpeg: new Uint8Array(row.image), hash: row.hash } : undefined;
}

/** The published point: about 100 m (3 decimals), so a photo of one's own house does not give its address. */
export const publicPoint = (r: Pick<ReportRow, 'lon' | 'lat'>): [number, number] | null =>
  r.lon === null || r.lat === null ? null : [Math.round(r.lon * 1000) / 1000, Math.round(r.lat * 1000) / 1000];
