// 避難所の受付 (issue 14 point 2): check-in and check-out at a shelter by the household's evacuation card
// (QR or short code) or by hand for a walk-in, by the shelter's municipality's staff (rules.ts). Each
// change rewrites the shelter's `occupancy` (the people checked in and not out) on its open data entity,
// so the public map shows 「n人/capacity」 at the next request. A check-in of a card holder tells the
// `onCheckIn` listeners in its own transaction (the safety part marks 「○○避難所に避難」).
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';
import type { BrokerModule } from '../broker/index.ts';
import type { GateActor, ResidentsModule } from '../residents/index.ts';
import { purposeOf } from '../residents/index.ts';
import { cardHolder, type CardKey } from './card.ts';
import { deriveAttributes, OUTSIDE_PREFECTURE, UNKNOWN, type AgeCounts } from './checkin-attributes.ts';
import * as repo from './repository-checkin.ts';
import type { CheckinRow } from './repository-checkin.ts';
import { canOperateShelter } from './rules.ts';
import type { MapDataSource, Shelter } from './shelters.ts';

export const RECEPTION_PURPOSE = 'shelter-reception';

export interface CheckInEvent {
  residentId: string;
  shelterName: string;
  /** The shelter's municipality (5-digit code). */
  municipality: string;
  /** ISO 8601 */
  at: string;
}
/** Runs inside the check-in's transaction: a throw undoes the check-in. */
export type CheckInListener = (tx: Db, event: CheckInEvent) => Promise<void>;

/** A card holder's check-in (by card or マイナンバーカード): the household's size, and optionally its 住所の市町村 as told at reception. */
export interface ResidentInput {
  people: number;
  clientId: string;
  homeMunicipality?: string;
}
export interface CardInput extends ResidentInput {
  card: string;
}
export interface WalkInInput {
  name: string;
  people: number;
  needsCare: boolean;
  clientId: string;
  /** Optional counts by age group typed at reception (null: not asked). */
  ages?: AgeCounts;
  /** Optional 住所の市町村 (5-digit code) typed at reception. */
  homeMunicipality?: string;
}
export interface CheckinDeps {
  db: Db;
  broker: Pick<BrokerModule, 'commands'>;
  map: MapDataSource;
  residents: Pick<ResidentsModule, 'queries' | 'fields'>;
  key: CardKey;
}

const namePlace = (id: string) => ({ table: 'disaster_checkins', column: 'name', rowId: id });
const newId = () => `ci_${randomBytes(12).toString('base64url')}`;
const CARD_UNKNOWN = 'このカードは使えません（番号の誤り、または更新前の古いカードです）。';

export function checkins(deps: CheckinDeps) {
  const { db } = deps;
  const listeners: CheckInListener[] = [];

  /** A shelter the actor operates, else 404 (missing and forbidden look the same). */
  async function shelter(actor: Actor, slug: string): Promise<Shelter> {
    const s = (await deps.map.get()).shelters.get(slug);
    if (!s || !canOperateShelter(actor, s.municipality)) throw notFound('避難所');
    return s;
  }
  async function openShelter(actor: Actor, slug: string) {
    const s = await shelter(actor, slug);
    if (s.status !== 'open') throw badRequest('この避難所は開設されていません。先に開設を記録してください。');
    return s;
  }

  // occupancy: one writer per shelter in this process; a write is checked against the count again
  // afterwards, so a write from another process that raced this one is corrected by the later of the two.
  const running = new Map<string, Promise<void>>();
  const dirty = new Set<string>();
  async function writeOccupancy(shelterId: string) {
    for (let i = 0; i < 5; i++) {
      const n = await repo.occupancyOf(db, shelterId);
      const at = new Date().toISOString();
      await deps.broker.commands.update('', shelterId, { occupancy: { type: 'Property', value: n, observedAt: at } });
      if ((await repo.occupancyOf(db, shelterId)) === n) return;
    }
  }
  function syncOccupancy(shelterId: string): Promise<void> {
    dirty.add(shelterId);
    let p = running.get(shelterId);
    if (!p) {
      p = (async () => {
        while (dirty.delete(shelterId)) await writeOccupancy(shelterId);
      })()
        .catch((err: unknown) => console.error('disaster: occupancy write failed', shelterId, String(err)))
        .finally(() => running.delete(shelterId));
      running.set(shelterId, p);
    }
    return p;
  }

  /** Inserts a check-in (once per client id), moving a household from another shelter; listeners in the same transaction. */
  async function insert(
    s: Shelter,
    actor: Actor,
    row: Omit<repo.CheckinRow, 'shelterId' | 'municipality' | 'checkedInAt' | 'checkedInBy' | 'checkedOutAt' | 'checkedOutBy'>,
  ) {
    const at = new Date().toISOString();
    const moved: string[] = [];
    const result = await db.transaction(async (tx) => {
      const seen = await repo.findCheckinByClient(tx, row.clientId);
      if (seen) return { row: seen, duplicate: true };
      if (row.residentId) {
        const open = await repo.openCheckinOf(tx, row.residentId);
        if (open?.shelterId === s.id) return { row: open, duplicate: true };
        if (open && (await repo.closeCheckin(tx, open.id, actor.id, at))) moved.push(open.shelterId);
      }
      const full = {
        ...row,
        shelterId: s.id,
        municipality: s.municipality,
        checkedInAt: at,
        checkedInBy: actor.id,
        checkedOutAt: null,
        checkedOutBy: null,
      };
      if (!(await repo.insertCheckin(tx, full))) {
        const again = await repo.findCheckinByClient(tx, row.clientId);
        if (again) return { row: again, duplicate: true };
        throw conflict('already_checked_in', 'この世帯は同時に別の受付で手続き中です。一覧を確認してください。');
      }
      await appendAudit(tx, {
        actorId: actor.id,
        action: 'shelter_check_in',
        entity: 'disaster_checkin',
        entityId: full.id,
        before: null,
        after: { shelterId: s.id, method: full.method, people: full.people },
      });
      if (row.residentId)
        for (const l of listeners) await l(tx, { residentId: row.residentId, shelterName: s.name, municipality: s.municipality, at });
      return { row: full as CheckinRow, duplicate: false };
    });
    await Promise.all([s.id, ...moved].map(syncOccupancy));
    return result;
  }

  async function own(actor: Actor, slug: string, id: string) {
    const s = await shelter(actor, slug);
    const row = await repo.findCheckin(db, id);
    if (!row || row.shelterId !== s.id) throw notFound('受付');
    return { s, row };
  }

  const gateActor = (actor: Actor, s: Shelter): GateActor => ({ kind: 'staff', id: actor.id, organisationId: s.municipality });

  /** 住所の市町村 as told at reception: one of the municipalities, 県外, or not asked (null). */
  async function checkHome(home: string | undefined) {
    if (home && home !== OUTSIDE_PREFECTURE && !(await deps.map.get()).municipalities.has(home))
      throw badRequest('住所の市町村を一覧から選んでください。', { field: 'homeMunicipality' });
    return home ?? null;
  }
  /** A card holder's check-in: the household's attributes counted from consented data (gate, logged). */
  async function checkInResident(s: Shelter, actor: Actor, residentId: string, method: 'card' | 'mynumber', input: ResidentInput) {
    const homeMunicipality = await checkHome(input.homeMunicipality);
    const attributes = await deriveAttributes(deps.residents, gateActor(actor, s), residentId, RECEPTION_PURPOSE, new Date().toISOString());
    return insert(s, actor, {
      id: newId(),
      clientId: input.clientId,
      residentId,
      method,
      nameSealed: null,
      people: input.people,
      ...attributes,
      homeMunicipality,
    });
  }

  return {
    shelter,
    /** What a マイナンバーカード check-in can be refused for, checked before the resident is sent to the provider. */
    async checkBeforeSignIn(actor: Actor, slug: string, input: ResidentInput) {
      await openShelter(actor, slug);
      await checkHome(input.homeMunicipality);
    },
    /** The shelter's open check-ins, oldest first. */
    async list(actor: Actor, slug: string) {
      const s = await shelter(actor, slug);
      const municipalities = [...(await deps.map.get()).municipalities.values()].map((m) => ({ code: m.code, name: m.name }));
      return { shelter: s, rows: await repo.openCheckins(db, s.id), municipalities };
    },
    /** Checks a household in by its card (QR payload or short code). */
    async checkInCard(actor: Actor, slug: string, input: CardInput) {
      const s = await openShelter(actor, slug);
      const residentId = await cardHolder(db, deps.key, input.card);
      if (!residentId) throw badRequest(CARD_UNKNOWN, { field: 'card' });
      return checkInResident(s, actor, residentId, 'card', input);
    },
    /** Checks in the account a マイナンバーカード sign-in at reception identified (residents' `mynumber.identify`). */
    async checkInMynumber(actor: Actor, slug: string, residentId: string, input: ResidentInput) {
      return checkInResident(await openShelter(actor, slug), actor, residentId, 'mynumber', input);
    },
    /** A walk-in with no card: the name sealed (held.ts), never stored in clear. */
    async walkIn(actor: Actor, slug: string, input: WalkInInput) {
      const s = await openShelter(actor, slug);
      const homeMunicipality = await checkHome(input.homeMunicipality);
      const id = newId();
      const nameSealed = deps.residents.fields.seal(input.name, namePlace(id));
      return insert(s, actor, {
        id,
        clientId: input.clientId,
        residentId: null,
        method: 'walk-in',
        nameSealed,
        people: input.people,
        ...UNKNOWN,
        ...input.ages,
        needsCare: input.needsCare,
        homeMunicipality,
      });
    },
    /** Checks out one check-in of this shelter (by its id), or the household of a card. */
    async checkOut(actor: Actor, slug: string, by: { id: string } | { card: string }) {
      const s = await shelter(actor, slug);
      let id: string | undefined;
      if ('id' in by) id = (await own(actor, slug, by.id)).row.id;
      else {
        const residentId = await cardHolder(db, deps.key, by.card);
        if (!residentId) throw badRequest(CARD_UNKNOWN, { field: 'card' });
        const open = await repo.openCheckinOf(db, residentId);
        if (!open || open.shelterId !== s.id) throw badRequest('このカードの世帯は、この避難所に受付されていません。', { field: 'card' });
        id = open.id;
      }
      const closed = await db.transaction(async (tx) => {
        if (!(await repo.closeCheckin(tx, id, actor.id, new Date().toISOString()))) return false;
        await appendAudit(tx, {
          actorId: actor.id,
          action: 'shelter_check_out',
          entity: 'disaster_checkin',
          entityId: id,
          before: null,
          after: { shelterId: s.id },
        });
        return true;
      });
      await syncOccupancy(s.id);
      return closed;
    },
    /** One check-in with, for a walk-in, the name (opened and logged) and, for a card holder, the support needs under consent (gate, logged). */
    async detail(actor: Actor, slug: string, id: string) {
      const { s, row } = await own(actor, slug, id);
      const reader = gateActor(actor, s);
      let name: string | null = null;
      if (row.nameSealed)
        name =
          (
            await deps.residents.fields.open(
              db,
              reader,
              row.id,
              RECEPTION_PURPOSE,
              [{ value: row.nameSealed, place: namePlace(row.id), category: 'name' }],
              'page',
            )
          )[0] ?? null;
      let support: Record<string, unknown> | null = null;
      if (row.residentId) {
        const consent = await deps.residents.queries.validConsent(row.residentId, RECEPTION_PURPOSE, s.municipality, []);
        const categories = consent?.categories ?? purposeOf(RECEPTION_PURPOSE)!.categories;
        support = await deps.residents.queries.read(reader, row.residentId, RECEPTION_PURPOSE, categories, 'page').catch(() => null);
      }
      return { shelter: s, row, name, support };
    },
    /** Tells the listener of every card holder's check-in, inside its transaction. */
    onCheckIn(listener: CheckInListener) {
      listeners.push(listener);
    },
    /** Rewrites the shelter's occupancy from the check-ins now (the bench and recovery). */
    syncOccupancy,
  };
}

export type CheckinService = ReturnType<typeof checkins>;
