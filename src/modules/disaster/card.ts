// The household's evacuation card (避難カード): a QR code made in advance (seed 004 資料2-4: about 20 s
// per person at reception against about 3 minutes typed on site). It carries no personal data: only a
// random card id and its HMAC-SHA256 under a server secret (platform_secrets `disaster-card-secret`),
// so a forged or altered code is refused before any lookup. The short code (XXXXX-XXXXX, Crockford's
// base32: no I, L, O, U) is for typing when there is no camera. Renewing replaces both.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../platform/db.ts';
import { platformSecret } from '../identity/index.ts';
import { findCard, findCardBy, upsertCard, type CardRow } from './repository-checkin.ts';

/** The payload's version tag: `RENKEI-CARD1.<card id>.<HMAC>`. */
export const CARD_PREFIX = 'RENKEI-CARD1';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PAYLOAD = /^RENKEI-CARD1\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const SHORT = /^[0-9A-HJKMNP-TV-Z]{10}$/;

export type CardKey = () => Promise<string>;

export function cardKey(db: Db): CardKey {
  let p: Promise<string> | undefined;
  return () => (p ??= platformSecret<string>(db, 'disaster-card-secret', () => randomBytes(32).toString('base64url')));
}

const mac = (key: string, cardId: string) => createHmac('sha256', key).update(`${CARD_PREFIX}.${cardId}`).digest();

export async function payloadOf(key: CardKey, card: Pick<CardRow, 'cardId'>): Promise<string> {
  return `${CARD_PREFIX}.${card.cardId}.${mac(await key(), card.cardId).toString('base64url')}`;
}

/** The card id of a genuine payload, else undefined (a wrong length or MAC: forged or damaged). */
export async function verifyPayload(key: CardKey, payload: string): Promise<string | undefined> {
  const m = PAYLOAD.exec(payload.trim());
  if (!m) return undefined;
  const given = Buffer.from(m[2]!, 'base64url');
  const want = mac(await key(), m[1]!);
  return given.length === want.length && timingSafeEqual(given, want) ? m[1] : undefined;
}

/** A typed short code in canonical form (full-width, lower case, spaces and hyphens, O/I/L for 0/1 accepted), else undefined. */
export function normaliseShortCode(input: string): string | undefined {
  const s = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐－ー−]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return SHORT.test(s) ? s : undefined;
}

export const formatShortCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`;

function newShortCode(): string {
  return [...randomBytes(10)].map((b) => CROCKFORD[b & 31]).join('');
}

/** The resident's card, if issued. */
export const cardOf = (db: Db, residentId: string) => findCard(db, residentId);

/** Issues the card, or renews it: a new card id and short code; the old QR code and code stop working. */
export async function issueCard(db: Db, residentId: string): Promise<CardRow> {
  const row = { residentId, cardId: randomBytes(16).toString('base64url'), shortCode: newShortCode(), issuedAt: new Date().toISOString() };
  await upsertCard(db, row);
  return row;
}

/** Whose card this is: a QR payload (verified) or a short code; undefined when neither is a current card. */
export async function cardHolder(db: Db, key: CardKey, input: string): Promise<string | undefined> {
  const text = input.trim();
  if (text.startsWith(CARD_PREFIX)) {
    const cardId = await verifyPayload(key, text);
    return cardId ? (await findCardBy(db, { cardId }))?.residentId : undefined;
  }
  const shortCode = normaliseShortCode(text);
  return shortCode ? (await findCardBy(db, { shortCode }))?.residentId : undefined;
}
