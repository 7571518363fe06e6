// The disaster push bench's worker process (bench/disaster-push.mjs starts it): N subscriptions for
// 青森市 on an embedded database, one Alert written to the broker, and the time until every push was
// taken by the receiver; then the baseline, N plain POSTs of the same size through the same outbound
// policy at the same concurrency, without encryption or VAPID. Prints one JSON line.
import { createECDH, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createApp } from '../src/app.ts';
import { openPglite } from '../src/platform/db.ts';
import { outbound } from '../src/platform/outbound.ts';
import { toEntity } from '../src/modules/disaster/alert.ts';
import { insertSubscriptions, pendingDeliveries } from '../src/modules/disaster/repository-push.ts';
import { newKey } from '../src/modules/residents/crypto.ts';

const N = Number(process.env.BENCH_SUBSCRIPTIONS ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const receiver = process.env.RECEIVER!;

const database = await openPglite();
await database.migrate();
const out = outbound({ allow: ['127.0.0.1'] });
const { disaster, broker } = await createApp({
  db: database.db,
  baseUrl: 'https://bousai.example.jp',
  residentKeys: (() => {
    const key = newKey();
    return { current: key.id, keys: new Map([[key.id, key]]) };
  })(),
  outbound: out,
  disasterPush: {
    concurrency: CONCURRENCY,
    ...(process.env.BENCH_ENCRYPT_THREADS ? { encryptThreads: Number(process.env.BENCH_ENCRYPT_THREADS) } : {}),
  },
});

const ecdh = createECDH('prime256v1');
const subs = Array.from({ length: N }, (_, i) => {
  ecdh.generateKeys();
  return {
    endpoint: `${receiver}/push/${i}`,
    keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') },
  };
});
const setupStart = performance.now();
for (let i = 0; i < N; i += 5000) await insertSubscriptions(database.db, subs.slice(i, i + 5000), [{ municipality: '02201' }]);
const setupMs = performance.now() - setupStart;

const t0 = performance.now();
await broker.commands.put(
  '',
  toEntity({
    id: 'urn:ngsi-ld:Alert:bench-1',
    kind: 'evacuationOrder',
    headline: '青森市に避難指示',
    description: '大雨のため、青森市全域に避難指示を発令しました。',
    easyJapanese: 'あめが たくさん ふっています。すぐに にげて ください。',
    severity: 'critical',
    municipalities: ['02201'],
    status: 'issued',
    issued: new Date().toISOString(),
    updated: new Date().toISOString(),
    source: 'staff:02201',
  }),
);
await disaster.commands.pushRound();
const fanoutMs = performance.now() - t0;
const left = await pendingDeliveries(database.db);

// Baseline: the same number of POSTs, the same body size (an aes128gcm record of this payload is ~300 bytes).
const body = randomBytes(300);
const b0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let i = next++; i < N; i = next++) {
      const res = await out.fetch(`${receiver}/push/${i}`, { method: 'POST', headers: { TTL: '60' }, body });
      await res.body?.cancel();
    }
  }),
);
const baselineMs = performance.now() - b0;
const threads = Number(process.env.BENCH_ENCRYPT_THREADS ?? availableParallelism());
console.log(JSON.stringify({ n: N, concurrency: CONCURRENCY, threads, setupMs, fanoutMs, baselineMs, left }));
// Everything this process opened, then exit (the encryption threads and kept-alive sockets must not keep it).
await disaster.commands.stopPush();
out.close();
await database.close();
process.exit(0);
