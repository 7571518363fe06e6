// The fan-out's encryption threads (encrypt.ts, encrypt-worker.mjs): each body decrypts (RFC 8291 §3.4,
// RFC 8188 §2) for its own recipient, in the keys' order, with a fresh sender key per message (RFC 8291
// §3.1), on threads as inline; a bad key fails only its own place.
import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { decrypt } from '../../../../test/push-service.ts';
import { encryptor } from './encrypt.ts';

const receivers = Array.from({ length: 5 }, () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { privateKey: ecdh.getPrivateKey(), publicKey: ecdh.getPublicKey(), auth: randomBytes(16) };
});
const keys = receivers.map((r) => ({ p256dh: r.publicKey.toString('base64url'), auth: r.auth.toString('base64url') }));
const threaded = encryptor(2);
afterAll(() => threaded.close());

describe('push encryption on threads', () => {
  it.each([
    ['two threads', threaded],
    ['inline', encryptor(0)],
  ])('%s: every body decrypts for its recipient, each with its own sender key', async (_name, e) => {
    const payload = JSON.stringify({ title: '青森市に避難指示' });
    const bodies = await e.encrypt(payload, keys);
    expect(bodies).toHaveLength(5);
    const senderKeys = new Set<string>();
    for (const [i, b] of bodies.entries()) {
      if (b instanceof Error) throw b;
      expect(decrypt(Buffer.from(b), receivers[i]!).toString()).toBe(payload);
      senderKeys.add(Buffer.from(b.subarray(21, 86)).toString('hex')); // RFC 8291 §4: keyid = the sender's public key
    }
    expect(senderKeys.size).toBe(5);
  });

  it('a key that is not a P-256 point fails its own place only', async () => {
    const bodies = await threaded.encrypt('x', [keys[0]!, { p256dh: 'AAAA', auth: keys[0]!.auth }, keys[1]!]);
    expect(bodies[0]).toBeInstanceOf(Uint8Array);
    expect(bodies[1]).toBeInstanceOf(Error);
    expect(decrypt(Buffer.from(bodies[2] as Uint8Array), receivers[1]!).toString()).toBe('x');
  });
});
