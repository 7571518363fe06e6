// 安否確認 (issue 14 point 3, seed 004 資料2-4 機能① 家族の安否確認): a resident marks themselves 無事 /
// 負傷 / 避難中, and those they linked with beforehand see it. A link needs both sides: one makes a
// one-time つながりコード and gives it, the other enters it and confirms. Looking someone up without a
// link needs their one-time 安否照会コード, so an open search cannot be misused to find people. Codes
// are stored as SHA-256 only, expire after 72 hours and work once. Display name, place and note are
// personal data: sealed under the residents' key ring, and every opening is logged (residents.fields).
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../../../platform/db.ts';
import { AppError, badRequest } from '../../../platform/errors.ts';
import type { GateActor, HeldFields, HeldValue } from '../../residents/index.ts';
import { CONTROL } from '../shelter-ops-input.ts';
import * as repo from './repository-safety.ts';

export const safetyStatuses = { safe: '無事', injured: '負傷', evacuating: '避難中' } as const;
export type SafetyStatus = keyof typeof safetyStatuses;
export const safetySources = { self: '本人', 'check-in': '避難所の受付', import: '取り込んだ記録' } as const;
export type SafetySource = keyof typeof safetySources;

export const CODE_HOURS = 72;
export const LIMITS = { displayName: 50, place: 100, note: 200 } as const;
/** The purpose every opening of these values is logged under (held.ts). */
export const SAFETY_PURPOSE = 'safety-confirmation';
const TABLE = 'disaster_safety_statuses';

// Crockford's base32: no I, L, O, U, so a code read aloud or copied by hand survives (O→0, I/L→1 on entry).
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const codeKinds = { link: 8, lookup: 10 } as const;
export type CodeKind = keyof typeof codeKinds;

/** A new code of the kind, grouped for reading: 8 characters (40 bits) for a link, 10 (50 bits) for a lookup. */
export function newCode(kind: CodeKind): string {
  const chars = Array.from({ length: codeKinds[kind] }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const half = chars.length / 2;
  return `${chars.slice(0, half)}-${chars.slice(half)}`;
}

/** What was typed, as the code it means: full-width forms folded (NFKC), case, spaces and hyphens ignored. */
export function normaliseCode(typed: string): string | undefined {
  const s = typed
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐－ー]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return s.length >= 8 && s.length <= 10 && [...s].every((ch) => ALPHABET.includes(ch)) ? s : undefined;
}

export const codeHash = (kind: CodeKind, code: string) => createHash('sha256').update(`${kind}:${code}`).digest('hex');

/** Missing, wrong, used up or expired alike: nothing about which, and nothing about whom. */
export const codeNotFound = () =>
  new AppError(
    404,
    'not_found',
    'コードが見つかりません。入力したコードが正しいか、有効期限（72時間）が切れていないか、すでに使われていないかを確かめてください。',
  );

// C0 controls and DEL are refused (shelter-ops' CONTROL); a note may hold line breaks, one-line fields none.
const refused = (v: string, multiline: boolean) => CONTROL.test(v) || (!multiline && /[\t\n\r]/.test(v));

export function checkText(value: string | undefined, max: number, label: string, field: string, multiline = false): string | null {
  const v = (value ?? '').replace(/\r\n/g, '\n').trim();
  if (!v) return null;
  if (refused(v, multiline)) throw badRequest(`${label}に使えない制御文字が含まれています。`, { field });
  if ([...v].length > max) throw badRequest(`${label}は${max}文字以内で入力してください。`, { field });
  return v;
}

export interface MarkInput {
  status: SafetyStatus;
  place?: string;
  note?: string;
  source: SafetySource;
  /** The municipality told of it (5-digit code): the shelter's at check-in, the resident's choice on the page; null: none; left out: unchanged. */
  municipality?: string | null;
}

export interface LinkedPerson {
  recordId: string;
  displayName: string | null;
  status: SafetyStatus | null;
  place: string | null;
  note: string | null;
  source: SafetySource | null;
  markedAt: string | null;
}

export type Safety = ReturnType<typeof safetyStore>;

export function safetyStore(fields: HeldFields) {
  const place = (residentId: string, column: string) => ({ table: TABLE, column, rowId: residentId });
  const seal = (residentId: string, column: string, value: string | null) =>
    value === null ? null : fields.seal(value, place(residentId, column));

  /** Opens the named sealed columns of one row for an actor, one access-log row for the lot. */
  async function open(db: Db, actor: GateActor, row: repo.StatusRow, columns: ('displayName' | 'place' | 'note')[]) {
    const column = { displayName: 'display_name', place: 'place', note: 'note' } as const;
    const present = columns.filter((k) => row[k] !== null);
    const values: HeldValue[] = present.map((k) => ({
      value: row[k]!,
      place: place(row.residentId, column[k]),
      category: k === 'displayName' ? 'name' : 'safetyNote',
    }));
    const opened = values.length ? await fields.open(db, actor, row.residentId, SAFETY_PURPOSE, values, 'page') : [];
    const out: Record<'displayName' | 'place' | 'note', string | null> = { displayName: null, place: null, note: null };
    present.forEach((k, i) => (out[k] = opened[i]!));
    return out;
  }

  async function ensure(db: Db, residentId: string) {
    await repo.ensureStatus(db, residentId, randomBytes(12).toString('base64url'));
  }

  return {
    open,

    /**
     * Marks a resident's status. Runs in `db`, which may be the caller's transaction (the check-in part
     * calls it inside its own: `{ status: 'evacuating', place: '○○避難所に避難', source: 'check-in' }`).
     */
    async markSafety(db: Db, residentId: string, input: MarkInput): Promise<void> {
      if (!(input.status in safetyStatuses)) throw badRequest('無事・負傷・避難中から選んでください。', { field: 'status' });
      if (!(input.source in safetySources)) throw badRequest('安否の出どころが正しくありません。', { field: 'source' });
      if (typeof input.municipality === 'string' && !/^\d{5}$/.test(input.municipality))
        throw badRequest('市町村を選び直してください。', { field: 'municipality' });
      const p = checkText(input.place, LIMITS.place, '居場所', 'place');
      const n = checkText(input.note, LIMITS.note, '伝言', 'note', true);
      await ensure(db, residentId);
      await repo.updateStatus(db, residentId, {
        status: input.status,
        place: seal(residentId, 'place', p),
        note: seal(residentId, 'note', n),
        source: input.source,
        ...(input.municipality !== undefined && { municipality: input.municipality }),
        markedAt: new Date().toISOString(),
      });
    },

    async setDisplayName(db: Db, residentId: string, typed: string): Promise<void> {
      const name = checkText(typed, LIMITS.displayName, '表示名', 'displayName');
      await ensure(db, residentId);
      await repo.updateStatus(db, residentId, { displayName: seal(residentId, 'display_name', name) });
    },

    /** The resident's own row, opened for themselves. */
    async own(db: Db, residentId: string) {
      const row = await repo.findStatus(db, residentId);
      if (!row) return undefined;
      return { row, ...(await open(db, { kind: 'resident', id: residentId }, row, ['displayName', 'place', 'note'])) };
    },

    /** The people linked with the resident, each with their status as the resident may see it. */
    async linked(db: Db, residentId: string): Promise<LinkedPerson[]> {
      const ids = await repo.linkedIds(db, residentId);
      const rows = new Map((await repo.statusesOf(db, ids)).map((r) => [r.residentId, r]));
      const out: LinkedPerson[] = [];
      for (const id of ids) {
        const row = rows.get(id);
        if (!row) continue;
        const v = await open(db, { kind: 'resident', id: residentId }, row, ['displayName', 'place', 'note']);
        out.push({
          recordId: row.recordId,
          displayName: v.displayName ?? null,
          status: row.status as SafetyStatus | null,
          place: v.place ?? null,
          note: v.note ?? null,
          source: row.source as SafetySource | null,
          markedAt: row.markedAt,
        });
      }
      return out;
    },

    /** Makes the resident's one outstanding code of a kind (the earlier one stops working). */
    async makeCode(db: Db, residentId: string, kind: CodeKind) {
      await ensure(db, residentId);
      const code = newCode(kind);
      await repo.replaceCode(db, { hash: codeHash(kind, normaliseCode(code)!), kind, residentId, hours: CODE_HOURS });
      return code;
    },

    /** Whose つながりコード this is (their display name), before the resident confirms; the code stays valid. */
    async peekLink(db: Db, residentId: string, typed: string) {
      const code = normaliseCode(typed);
      const owner = code && (await repo.peekCode(db, codeHash('link', code), 'link'));
      if (!owner || owner === residentId) throw codeNotFound();
      const row = (await repo.findStatus(db, owner))!;
      return (await open(db, { kind: 'resident', id: residentId }, row, ['displayName'])).displayName;
    },

    /** The second side's agreement: the code is used up and the link made, in one transaction. */
    async confirmLink(db: Db, residentId: string, typed: string): Promise<void> {
      const code = normaliseCode(typed);
      if (!code) throw codeNotFound();
      await db.transaction(async (tx) => {
        const owner = await repo.takeCode(tx, codeHash('link', code), 'link');
        // Your own code is refused before it is used up (peekLink), so this only rolls back a race.
        if (!owner || owner === residentId) throw codeNotFound();
        await ensure(tx, residentId);
        await repo.insertLink(tx, owner, residentId);
      });
    },

    /** Either side removes a link; someone not linked (or a made-up id) gets the same 404. */
    async removeLink(db: Db, residentId: string, recordId: string): Promise<void> {
      const other = await repo.findByRecord(db, recordId);
      if (!other || !(await repo.deleteLink(db, residentId, other.residentId)))
        throw new AppError(404, 'not_found', 'このつながりは見つかりません。');
    },

    /** 安否照会: the code is used up; only the display name and status are shown, nothing else. */
    async lookup(db: Db, typed: string) {
      const code = normaliseCode(typed);
      if (!code) throw codeNotFound();
      return db.transaction(async (tx) => {
        const owner = await repo.takeCode(tx, codeHash('lookup', code), 'lookup');
        if (!owner) throw codeNotFound();
        const row = (await repo.findStatus(tx, owner))!;
        const { displayName } = await open(tx, { kind: 'client', id: 'safety-lookup-code', organisationId: null }, row, ['displayName']);
        return {
          displayName,
          status: row.status as SafetyStatus | null,
          markedAt: row.markedAt,
          source: row.source as SafetySource | null,
        };
      });
    },
  };
}
