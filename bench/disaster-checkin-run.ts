// The check-in bench's worker (bench/disaster-checkin.mjs starts it once per database): the app on a
// fresh database (BENCH_DB=pglite, or postgres on a new database of DATABASE_URL, dropped at the end),
// the default data loaded, shelters opened, households' cards issued; then, through the HTTP routes a
// reception uses (staff session, CSRF, form parsing), card check-ins at one shelter and across 100
// shelters at once, and the time from a check-in's POST to the public API showing the new occupancy.
// Baseline in the same run: the same number of bare broker updates of `occupancy` (publishing a count
// without the check-in around it). Prints one JSON line.
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { openPglite, openPostgres, type Database } from '../src/platform/db.ts';
import { createAccount } from '../src/modules/identity/index.ts';
import { insertSession } from '../src/modules/workspace/repository.ts';
import { newKey } from '../src/modules/residents/crypto.ts';
import { cardKey, issueCard, payloadOf } from '../src/modules/disaster/card.ts';
import type { Shelter } from '../src/modules/disaster/index.ts';

const kind = process.env.BENCH_DB === 'postgres' ? 'postgres' : 'pglite';
const ONE = Number(process.env.BENCH_CHECKINS ?? 400);
const SHELTERS = 100;
const PER_SHELTER = Number(process.env.BENCH_PER_SHELTER ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 20);

async function open(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const database = await openPglite();
    return { database, drop: async () => {} };
  }
  const base = process.env.DATABASE_URL!;
  const name = `renkei_bench_checkin_${randomBytes(4).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(q).finally(() => c.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.href);
  return { database, drop: () => admin(`DROP DATABASE ${name} WITH (FORCE)`) };
}

const { database, drop } = await open();
try {
  const setup0 = performance.now();
  await database.migrate();
  const key = newKey();
  const { app, broker, disaster } = await createApp({
    db: database.db,
    baseUrl: 'http://127.0.0.1:9',
    residentKeys: { current: key.id, keys: new Map([[key.id, key]]) },
    log: (e) => console.error(e),
  });
  await broker.loadDefaultData();
  const account = await createAccount(database.db, {
    email: 'bench@example.jp',
    name: 'bench',
    password: 'a long enough password',
    roles: ['prefecture_admin'],
  });
  const sid = randomBytes(16).toString('hex');
  const csrf = randomBytes(16).toString('hex');
  await insertSession(database.db, { id: sid, accountId: account.id, csrf, expiresAt: new Date(Date.now() + 3600_000) });
  const headers = { cookie: `renkei_staff=${sid}`, 'content-type': 'application/x-www-form-urlencoded' };

  const shelters = [...(await disaster.queries.map()).shelters.values()].filter((s) => s.kind === 'evacuation').slice(0, SHELTERS + 1);
  const now = new Date().toISOString();
  for (const s of shelters)
    await broker.commands.update('', s.id, {
      shelterStatus: { type: 'Property', value: 'open', observedAt: now },
      capacity: { type: 'Property', value: 10_000, observedAt: now },
    });
  const cards = await Promise.all(
    Array.from({ length: ONE + 1 + SHELTERS * PER_SHELTER + SAMPLES }, (_, i) => issueCard(database.db, `r_bench_${i}`)),
  );
  const k = cardKey(database.db);
  const payloads = await Promise.all(cards.map((c) => payloadOf(k, c)));
  const setupMs = performance.now() - setup0;

  const post = async (s: Shelter, card: string) => {
    const body = new URLSearchParams({ csrf, card, people: '1', clientId: randomUUID() });
    const res = await app.request(`/staff/disaster/shelters/${s.slug}/reception/checkin`, {
      method: 'POST',
      headers,
      body: body.toString(),
    });
    if (res.status !== 303) throw new Error(`check-in answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  };
  /** Runs the jobs `concurrency` at a time; answers the wall time in ms. */
  const pool = async (jobs: (() => Promise<unknown>)[], concurrency: number) => {
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < jobs.length) await jobs[next++]!();
      }),
    );
    return performance.now() - t0;
  };
  let used = 0;
  const take = () => payloads[used++]!;

  // One shelter: ONE households at CONCURRENCY receptions at once.
  const one = shelters[0]!;
  const oneMs = await pool(
    Array.from({ length: ONE }, () => () => post(one, take())),
    CONCURRENCY,
  );
  const occupancyOne = (await broker.queries.entity('', one.id))?.occupancy as { value: number };
  // Baseline: as many bare occupancy updates of that shelter, same concurrency.
  let v = 0;
  const baseOneMs = await pool(
    Array.from({ length: ONE }, () => () => broker.commands.update('', one.id, { occupancy: { type: 'Property', value: ++v } })),
    CONCURRENCY,
  );
  // Re-publish the true count after the baseline overwrote it.
  await post(one, take());

  // 100 shelters at once: one reception each, PER_SHELTER households each.
  const many = shelters.slice(1, SHELTERS + 1);
  const manyJobs = many.map((s) => async () => {
    for (let i = 0; i < PER_SHELTER; i++) await post(s, take());
  });
  const manyMs = await pool(manyJobs, many.length);
  const occupancyMany = await Promise.all(
    many.map(async (s) => ((await broker.queries.entity('', s.id))?.occupancy as { value: number }).value),
  );
  const baseManyMs = await pool(
    many.map((s) => async () => {
      for (let i = 0; i < PER_SHELTER; i++) await broker.commands.update('', s.id, { occupancy: { type: 'Property', value: PER_SHELTER } });
    }),
    many.length,
  );

  // Check-in → public figure: POST, then poll the public API until it shows the new count.
  const target = many[0]!;
  const latencies: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await post(target, take());
    for (;;) {
      const geo = (await (await app.request(`/api/v1/disaster/shelters?municipality=${target.municipality}`)).json()) as {
        features: { id: string; properties: { occupancy: number | null } }[];
      };
      const f = geo.features.find((x) => x.id === target.id)!;
      if (f.properties.occupancy === PER_SHELTER + i + 1) break;
      if (performance.now() - t0 > 30_000) throw new Error('the public figure never changed');
      await new Promise((r) => setTimeout(r, 5));
    }
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      kind,
      setupMs,
      one: { n: ONE, ms: oneMs, baseMs: baseOneMs, concurrency: CONCURRENCY, occupancy: occupancyOne.value },
      many: {
        shelters: many.length,
        n: many.length * PER_SHELTER,
        ms: manyMs,
        baseMs: baseManyMs,
        allRight: occupancyMany.every((x) => x === PER_SHELTER),
      },
      latency: { samples: SAMPLES, median: latencies[Math.floor(SAMPLES / 2)], max: latencies.at(-1) },
    }),
  );
} finally {
  await database.close();
  await drop();
}
