// A Web Push service for tests, on 127.0.0.1 (port 0): it holds the receiving side's keys (what a
// browser's PushManager makes), takes pushes as RFC 8030 §5 says (POST to the subscription's endpoint,
// TTL required, Urgency checked, 201 Created with a Location), checks the sender's VAPID JWT (RFC 8292
// §2–3: ES256, aud = this origin, exp in the future and at most 24 h away, signed with the key in `k`,
// which must be the published one) and decrypts the body: RFC 8291 §3.3–3.4 (key derivation from the
// ECDH secret and the auth secret) and RFC 8188 (aes128gcm: header, CEK and nonce, one record, padding).
// Written from those RFCs with node:crypto, nothing copied. Tests make an endpoint answer 410 (gone)
// or 429/500 for a while (busy) to see removal and retries.
import { createECDH, createHmac, createDecipheriv, createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  headers: IncomingHttpHeaders;
  /** The decrypted payload, parsed as JSON. */
  message: any;
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** RFC 8291 §3.4 then RFC 8188 §2: the plaintext of a one-record aes128gcm body. */
export function decrypt(body: Buffer, receiver: { privateKey: Buffer; publicKey: Buffer; auth: Buffer }): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const senderKey = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (idlen !== 65 || rs < 18 || record.length > rs) throw new Error('not one RFC 8291 record');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(receiver.privateKey);
  const secret = ecdh.computeSecret(senderKey);
  // §3.3: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0x00 || ua_public || as_public, 32)
  const prkKey = hmac(receiver.auth, secret);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiver.publicKey, senderKey, Buffer.from([1])]);
  const ikm = hmac(prkKey, keyInfo);
  // RFC 8188 §2.2–2.3
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01', 'binary')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01', 'binary')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('the last record must end with the delimiter 0x02');
  return padded.subarray(0, end);
}

/** RFC 8292 §3.1: `vapid t=<JWT>, k=<key>`; the reason it is refused, or undefined. */
export function vapidProblem(authorization: string | undefined, origin: string, publishedKey: string | undefined): string | undefined {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(authorization ?? '');
  if (!m) return 'no vapid Authorization';
  const [, jwt, k] = m as unknown as [string, string, string];
  if (publishedKey && k !== publishedKey) return 'k is not the published key';
  const raw = Buffer.from(k, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) return 'k is not an uncompressed P-256 point';
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  if (header.alg !== 'ES256') return 'alg is not ES256';
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!ok) return 'bad signature';
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (claims.aud !== origin) return `aud ${claims.aud} is not ${origin}`;
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) return 'exp not within 24 h';
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) return 'sub is not mailto: or https:';
  return undefined;
}

export async function pushService() {
  const receivers = new Map<string, { privateKey: Buffer; publicKey: Buffer; auth: Buffer }>();
  const received: Received[] = [];
  const refused: { id: string; status: number; reason: string }[] = [];
  const gone = new Set<string>();
  /** id → the statuses the next pushes are answered with, in order (then it takes them again). */
  const busy = new Map<string, number[]>();
  let publishedKey: string | undefined;
  let origin = '';
  let seq = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1] ?? '';
      const refuse = (status: number, reason: string) => {
        refused.push({ id, status, reason });
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end(reason);
      };
      const r = receivers.get(id);
      if (req.method !== 'POST' || !r || gone.has(id)) return refuse(gone.has(id) ? 410 : 404, 'no such subscription');
      const status = busy.get(id)?.shift();
      if (status) return refuse(status, 'busy');
      // RFC 8030 §5.2: TTL is required; §5.3 Urgency, when sent, is one of four.
      if (!/^\d+$/.test(String(req.headers.ttl ?? ''))) return refuse(400, 'TTL missing');
      if (req.headers.urgency && !['very-low', 'low', 'normal', 'high'].includes(String(req.headers.urgency)))
        return refuse(400, 'bad Urgency');
      const problem = vapidProblem(req.headers.authorization, origin, publishedKey);
      if (problem) return refuse(problem === 'no vapid Authorization' ? 401 : 403, problem);
      if (req.headers['content-encoding'] !== 'aes128gcm') return refuse(415, 'not aes128gcm');
      let message: unknown;
      try {
        message = JSON.parse(decrypt(Buffer.concat(chunks), r).toString('utf8'));
      } catch (err) {
        return refuse(400, `cannot decrypt: ${(err as Error).message}`);
      }
      received.push({ id, headers: req.headers, message });
      res.writeHead(201, { Location: `/message/${++seq}` }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    received,
    refused,
    gone,
    busy,
    /** The VAPID key the application server published (GET /api/v1/disaster/push/key). */
    expectKey(k: string) {
      publishedKey = k;
    },
    /** A new receiver, as PushManager.subscribe makes one: the PushSubscription JSON and its private key. */
    subscribe(id = randomBytes(9).toString('base64url')) {
      const ecdh = createECDH('prime256v1');
      const publicKey = ecdh.generateKeys();
      const auth = randomBytes(16);
      receivers.set(id, { privateKey: ecdh.getPrivateKey(), publicKey, auth });
      return {
        id,
        json: {
          endpoint: `${origin}/push/${id}`,
          expirationTime: null,
          keys: { p256dh: publicKey.toString('base64url'), auth: auth.toString('base64url') },
        },
      };
    },
    to: (id: string) => received.filter((m) => m.id === id),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
