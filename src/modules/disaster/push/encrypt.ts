// RFC 8291 encryption of one payload for many recipients, spread over worker threads (encrypt-worker.mjs):
// a fresh P-256 key pair and ECDH per message is most of a push's CPU cost (≈0.4 ms), so the fan-out
// encrypts on other cores while the main thread sends. Without threads (threads: 0) it runs inline.
import { Worker } from 'node:worker_threads';
import webpush from 'web-push';

export interface Encryptor {
  /** The aes128gcm bodies, in the keys' order; a failed one is an Error in its place. */
  encrypt(payload: string, keys: { p256dh: string; auth: string }[]): Promise<(Uint8Array<ArrayBuffer> | Error)[]>;
  close(): Promise<void>;
}

const inline = (payload: string, k: { p256dh: string; auth: string }): Uint8Array<ArrayBuffer> | Error => {
  try {
    return new Uint8Array(webpush.encrypt(k.p256dh, k.auth, payload, 'aes128gcm').cipherText);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
};

export function encryptor(threads: number): Encryptor {
  let workers: Worker[] | undefined;
  let next = 0;
  let ids = 0;
  const waiting = new Map<number, (r: { bodies?: ArrayBuffer[]; error?: string }) => void>();
  const start = () =>
    (workers ??= Array.from({ length: threads }, () => {
      const w = new Worker(new URL('./encrypt-worker.mjs', import.meta.url));
      w.unref();
      w.setMaxListeners(0);
      w.on('message', (m: { id: number; bodies?: ArrayBuffer[]; error?: string }) => {
        waiting.get(m.id)?.(m);
        waiting.delete(m.id);
      });
      w.on('error', () => undefined); // the chunk falls back to inline (below)
      return w;
    }));

  const onThread = (payload: string, keys: { p256dh: string; auth: string }[]) =>
    new Promise<(Uint8Array<ArrayBuffer> | Error)[]>((resolve) => {
      const id = ids++;
      const w = start()[next++ % threads]!;
      const fallback = () => {
        waiting.delete(id);
        resolve(keys.map((k) => inline(payload, k)));
      };
      w.once('exit', fallback);
      waiting.set(id, (m) => {
        w.off('exit', fallback);
        if (!m.bodies) return resolve(keys.map((k) => inline(payload, k)));
        resolve(m.bodies.map((b) => new Uint8Array(b)));
      });
      w.postMessage({ id, payload, keys: keys.map((k) => [k.p256dh, k.auth]) });
    });

  return {
    async encrypt(payload, keys) {
      if (threads <= 0) return keys.map((k) => inline(payload, k));
      return onThread(payload, keys);
    },
    async close() {
      const all = workers ?? [];
      workers = undefined;
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
