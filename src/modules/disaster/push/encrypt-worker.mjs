// The push fan-out's encryption thread (encrypt.ts starts it): RFC 8291 aes128gcm (RFC 8188 record with
// a fresh ECDH key pair and salt per message, through web-push's encryption) for a chunk of recipients.
// Plain JavaScript so it starts the same under tsx, vitest and a built server.
import { parentPort } from 'node:worker_threads';
import webpush from 'web-push';

parentPort.on('message', ({ id, payload, keys }) => {
  try {
    const bodies = keys.map(([p256dh, auth]) => {
      const b = webpush.encrypt(p256dh, auth, payload, 'aes128gcm').cipherText;
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
    });
    parentPort.postMessage({ id, bodies }, bodies);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
