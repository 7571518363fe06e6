// The server's VAPID key pair (RFC 8292): made at first start, kept in platform_secrets so every process
// signs with the same key, and the Authorization header per push service origin (RFC 8292 §2–3).
import webpush from 'web-push';
import type { Db } from '../../../platform/db.ts';
import { platformSecret } from '../../identity/index.ts';

export interface VapidKeys {
  /** base64url, the uncompressed P-256 point (65 bytes): RFC 8292 §3.2 `k`. */
  publicKey: string;
  privateKey: string;
}

export const vapidKeys = (db: Db) => platformSecret<VapidKeys>(db, 'disaster-vapid', () => webpush.generateVAPIDKeys());

/** The JWT lives 12 h (RFC 8292 §2: at most 24 h) and is reused for an hour per audience. */
const LIFETIME_S = 12 * 3600;
const REUSE_MS = 3600_000;

export function vapidSigner(keys: VapidKeys, subject: string) {
  const cache = new Map<string, { header: string; until: number }>();
  return (endpoint: string): string => {
    const audience = new URL(endpoint).origin;
    const hit = cache.get(audience);
    if (hit && hit.until > Date.now()) return hit.header;
    const { Authorization } = webpush.getVapidHeaders(
      audience,
      subject,
      keys.publicKey,
      keys.privateKey,
      'aes128gcm',
      Math.floor(Date.now() / 1000) + LIFETIME_S,
    ) as { Authorization: string };
    cache.set(audience, { header: Authorization, until: Date.now() + REUSE_MS });
    return Authorization;
  };
}
