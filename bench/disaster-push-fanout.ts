// The disaster push bench's worker process (bench/disaster-push.mjs starts it): N subscriptions for
// 青森市 on an embedded database, one Alert written to the broker, and the time until every push was
// taken by the receiver; then the baseline, N plain POSTs of the same size through the same outbound
// policy at the same concurrency, without encryption or VAPID. BENCH_ACCOUNTS (default 10,000) more
// devices belong to accounts whose マイエリア is a sealed point in 青森市: the fan-out opens each account's
// points once (held.ts, one access-log row per account) before it matches. Prints one JSON line.
import { createECDH, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { availableParallelism } from 'node:os';
import { createApp } from '../src/app.ts';
import { openPglite } from '../src/platform/db.ts';
import { outbound } from '../src/platform/outbound.ts';
import { toEntity } from '../src/modules/disaster/alert.ts';
import { coarseBox, sealPoint } from '../src/modules/disaster/my-area-points.ts';
import { insertSubscriptions, pendingDeliveries } from '../src/modules/disaster/repository-push.ts';
import { disasterMyAreas } from '../src/modules/disaster/schema-my-areas.ts';
import { newKey } from '../src/modules/residents/crypto.ts';

const N = Number(process.env.BENCH_SUBSCRIPTIONS ?? 100_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const receiver = process.env.RECEIVER!;

const database = await openPglite();
await database.migrate();
const out = outbound({ allow: ['127.0.0.1'] });
const { disaster, broker, residents } = await createApp({
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

// The municipalities' boundaries: an account's point matches by the alert's area, not by a code.
await broker.loadDefaultData();
const ecdh = createECDH('prime256v1');
const subscription = (path: string) => {
  ecdh.generateKeys();
  return {
    endpoint: `${receiver}/push/${path}`,
    keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') },
  };
};
const subs = Array.from({ length: N }, (_, i) => subscription(String(i)));
const accountSubs = Array.from({ length: ACCOUNTS }, (_, i) => subscription(`acct-${i}`));
const setupStart = performance.now();
for (let i = 0; i < N; i += 5000) await insertSubscriptions(database.db, subs.slice(i, i + 5000), [{ municipality: '02201' }]);
// The account holders: one device (no areas of its own) linked to the account, one sealed point within 青森市.
for (let i = 0; i < ACCOUNTS; i += 5000) {
  await insertSubscriptions(database.db, accountSubs.slice(i, i + 5000), []);
  const areas = Array.from({ length: Math.min(5000, ACCOUNTS - i) }, (_, k) => {
    const point: [number, number] = [140.7 + ((i + k) % 100) * 0.001, 40.8 + ((i + k) % 97) * 0.0005];
    return { residentId: `r_bench_${i + k}`, ...sealPoint(residents.fields, point), radius: 500, ...coarseBox(point, 500) };
  });
  await database.db.insert(disasterMyAreas).values(areas);
}
await database.db.execute(sql`insert into disaster_push_links (subscription_id, resident_id)
  select id, 'r_bench_' || substring(subscription->>'endpoint' from '/push/acct-([0-9]+)$')
  from disaster_push_subscriptions where subscription->>'endpoint' like '%/push/acct-%'`);
const setupMs = performance.now() - setupStart;
// The map data (boundaries, shelters) built once before the clock starts, as a running server has it.
await disaster.queries.map();

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
const opened = Number(
  (
    await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from personal_data_access_log where purpose_id = 'disaster-alerts'`,
    )
  ).rows[0]?.n,
);

// Baseline: the same number of POSTs, the same body size (an aes128gcm record of this payload is ~300 bytes).
const body = randomBytes(300);
const b0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let i = next++; i < N + ACCOUNTS; i = next++) {
      const res = await out.fetch(`${receiver}/push/${i}`, { method: 'POST', headers: { TTL: '60' }, body });
      await res.body?.cancel();
    }
  }),
);
const baselineMs = performance.now() - b0;
const threads = Number(process.env.BENCH_ENCRYPT_THREADS ?? availableParallelism());
console.log(JSON.stringify({ n: N, accounts: ACCOUNTS, opened, concurrency: CONCURRENCY, threads, setupMs, fanoutMs, baselineMs, left }));
// Everything this process opened, then exit (the encryption threads and kept-alive sockets must not keep it).
await disaster.commands.stopPush();
out.close();
await database.close();
process.exit(0);
