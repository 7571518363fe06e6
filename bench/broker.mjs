// Benchmark of the NGSI-LD broker: on PostgreSQL with 100,000 entities, each operation through the
// broker's HTTP API beside the same operation done directly in SQL on the same database, so the
// ratio is the broker's overhead; then query throughput on PostgreSQL and on PGlite (broker-queries.mjs).
// Usage: `npm run bench:broker [-- --write]`.
// Env: BENCH_ENTITIES (default 100000), BENCH_PGLITE_ENTITIES (default 20000), BENCH_SECONDS (creates and
// retrieves, default 10), BENCH_QUERY_SECONDS (default 5), BENCH_SAMPLES (latency samples, default 300),
// BENCH_TIMEOUT_MINUTES (the whole run fails after this, default 20).
// The server is `npm start`'s command in a child process, on a throwaway PostgreSQL cluster with
// default durability settings (fsync on), then on a fresh embedded database.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres } from '../scripts/postgres.mjs';
import { queryThroughput, renderQueries } from './broker-queries.mjs';
import {
  AOMORI,
  CONNECTIONS,
  LOCATION,
  VOCAB,
  expanded,
  idOf,
  load,
  percentile,
  registerClient,
  sensor,
  startBroker,
  stored,
  throughput,
  within,
} from './broker-setup.mjs';
import { codeVersion, freePort, stop, treeCpu, writeSection } from './lib.mjs';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 100_000);
const PGLITE_ENTITIES = Number(process.env.BENCH_PGLITE_ENTITIES ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const TIMEOUT_MINUTES = Number(process.env.BENCH_TIMEOUT_MINUTES ?? 20);
const BATCH = 1_000;

const p95 = (xs) => percentile(xs, 95);
const time = async (fn) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
/** Runs `task` for `seconds` with `concurrency` in flight; returns operations per second. */
async function sustained(seconds, concurrency, task) {
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await task();
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

async function main() {
  const write = process.argv.includes('--write');
  const code = codeVersion();
  const t0 = performance.now();
  const running = new Set();
  const cleanups = [];
  const cleanup = async () => {
    await Promise.all([...running].map(stop));
    for (const fn of cleanups.splice(0).reverse()) await fn();
  };
  // Bounded: a run that hangs (a server that stops answering, a slow machine) fails and cleans up.
  const watchdog = setTimeout(() => {
    console.error(`bench:broker did not finish within ${TIMEOUT_MINUTES} minutes`);
    void cleanup().finally(() => process.exit(1));
  }, TIMEOUT_MINUTES * 60_000);
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => void cleanup().finally(() => process.exit(130)));
  try {
    const { rows, queryRows, all } = await onPostgres(running, cleanups);
    const pglite = await onPglite(running, cleanups, all.slice(0, PGLITE_ENTITIES));
    const minutes = (performance.now() - t0) / 60_000;
    const report = render({ rows, queries: [...queryRows, ...pglite.queryRows], pglite, code, date: new Date().toISOString(), minutes });
    console.log(`\n${report}`);
    if (write) writeSection('broker', report);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

const serverEnv = async (more) => {
  const env = {
    ...process.env,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOAD_DEFAULT_DATA: 'false',
    NGSI_LD_AUTH: 'on',
    OUTBOUND_ALLOW: '127.0.0.1',
  };
  delete env.DATABASE_URL; // never someone's real database: the PostgreSQL part sets its own
  return { ...env, ...more };
};

/** The operations, then query throughput, on a throwaway PostgreSQL cluster. */
async function onPostgres(running, cleanups) {
  const pgServer = await startPostgres({ fsync: true });
  let up = true;
  const stopPostgres = () => up && ((up = false), pgServer.stop());
  cleanups.push(stopPostgres);
  const admin = new pg.Client({ connectionString: pgServer.url });
  await admin.connect();
  await admin.query('CREATE DATABASE renkei_bench');
  await admin.end();
  const databaseUrl = pgServer.url.replace(/\/postgres$/, '/renkei_bench');
  const env = await serverEnv({ DATABASE_URL: databaseUrl });
  const { server, base, headers, api } = await startBroker(env, registerClient(env), running);
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const rows = [];
  const cpu0 = () => [treeCpu(server.child.pid), performance.now()];
  const cpuOf = ([c0, t0]) => (treeCpu(server.child.pid) - c0) / ((performance.now() - t0) / 1000);
  const insertSql = (tenant, list) => {
    const now = new Date().toISOString();
    const values = list.map((e, k) => `($1, $${k * 3 + 2}, $${k * 3 + 3}, $${k * 3 + 4}, now(), now())`).join(', ');
    return sql.query(`insert into broker_entities (tenant, id, types, attrs, created_at, modified_at) values ${values}`, [
      tenant,
      ...list.flatMap((e) =>
        Object.values(stored(e, now)).map((v) => (typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : v)),
      ),
    ]);
  };

  // 1. Batch creates: all the entities, 1,000 a request, then the same rows in 1,000-row INSERTs.
  console.log(`batch-creating ${ENTITIES} entities…`);
  const all = Array.from({ length: ENTITIES }, (_, i) => sensor(i));
  let c = cpu0();
  const batchBroker = await throughput(ENTITIES / BATCH, 2, (k) =>
    api('POST', '/entityOperations/create', all.slice(k * BATCH, (k + 1) * BATCH), 201),
  );
  const batchCpu = cpuOf(c);
  const batchSql = await throughput(ENTITIES / BATCH, 2, (k) => insertSql('sql-baseline', all.slice(k * BATCH, (k + 1) * BATCH)));
  rows.push({
    name: `batch create (${BATCH} entities a request)`,
    unit: 'entities/s',
    broker: batchBroker * BATCH,
    sql: batchSql * BATCH,
    cpu: batchCpu,
  });

  // The statistics autovacuum would gather within a minute, so the planner knows the table.
  await sql.query('analyze');

  // 2. Single creates for SECONDS, CONNECTIONS at a time (autocannon: the lightest load generator here;
  // run for a duration, since its `amount` mode ends on a whole-second tick).
  let next = ENTITIES;
  c = cpu0();
  const { rps: singleBroker } = await load({
    url: `${base}/ngsi-ld/v1/entities`,
    method: 'POST',
    headers,
    duration: SECONDS,
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(sensor(next++)) }) }],
  });
  const singleCpu = cpuOf(c);
  let nextSql = 0;
  const singleSql = await sustained(SECONDS, CONNECTIONS, () => insertSql('sql-baseline-single', [sensor(nextSql++)]));
  rows.push({ name: 'single create', unit: 'entities/s', broker: singleBroker, sql: singleSql, cpu: singleCpu });

  const someId = () => idOf(Math.floor(Math.random() * ENTITIES));

  // 3. Retrieve by id.
  c = cpu0();
  const { rps: getBroker } = await load({
    url: `${base}/ngsi-ld/v1/entities`,
    duration: SECONDS,
    requests: [{ setupRequest: (req) => ({ ...req, path: `/ngsi-ld/v1/entities/${someId()}` }) }],
  });
  const getCpu = cpuOf(c);
  const getSql = await sustained(SECONDS, CONNECTIONS, () =>
    sql.query('select * from broker_entities where tenant = $1 and id = $2', ['', someId()]),
  );
  rows.push({ name: 'retrieve by id', unit: 'req/s', broker: getBroker, sql: getSql, cpu: getCpu });

  // For scale: the cheapest database-backed request this server answers (GET /healthz runs `select 1`).
  c = cpu0();
  const { rps: healthBroker } = await load({ url: `${base}/healthz`, duration: SECONDS });
  const healthCpu = cpuOf(c);
  const healthSql = await sustained(SECONDS, CONNECTIONS, () => sql.query('select 1'));
  rows.push({ name: 'for scale: `GET /healthz` (`select 1`)', unit: 'req/s', broker: healthBroker, sql: healthSql, cpu: healthCpu });

  // 4. Query by type and q, one at a time (latency): broad (about 11% match) and selective (about 0.2%).
  const attr = (name) => `attrs->'${expanded(name)}'->0->>'value'`;
  const queries = [
    {
      name: 'query type + q, broad',
      q: 'temperature>30;status=="ok"',
      where: `(${attr('temperature')})::float8 > 30 and ${attr('status')} = 'ok'`,
    },
    { name: 'query type + q, selective', q: 'temperature>34.9', where: `(${attr('temperature')})::float8 > 34.9` },
  ];
  for (const q of queries) {
    const path = `/entities?type=Sensor&q=${encodeURIComponent(q.q)}&limit=20`;
    const brokerMs = [];
    const sqlMs = [];
    for (let i = 0; i < SAMPLES; i++) {
      brokerMs.push(await time(() => api('GET', path, undefined, 200)));
      sqlMs.push(
        await time(() =>
          sql.query(
            `select * from broker_entities where tenant = '' and types && array['${VOCAB}Sensor'] and ${q.where} order by id limit 20`,
          ),
        ),
      );
    }
    rows.push({ name: q.name, unit: 'p95 ms', broker: p95(brokerMs), sql: p95(sqlMs), latency: true });
  }

  // 5. Geo near: 1 km around random points in Aomori (the geo index's boxes, then the exact distance).
  const geoBroker = [];
  const geoSql = [];
  for (let i = 0; i < SAMPLES; i++) {
    const [lon, lat] = [within(AOMORI.lon, Math.random()), within(AOMORI.lat, Math.random())];
    const path = `/entities?type=Sensor&georel=${encodeURIComponent('near;maxDistance==1000')}&geometry=Point&coordinates=[${lon},${lat}]&limit=20`;
    geoBroker.push(await time(() => api('GET', path, undefined, 200)));
    const [dLat, dLon] = [1010 / 111320, 1010 / 111320 / Math.cos((lat * Math.PI) / 180)];
    const coord = (k) => `(attrs->'${LOCATION}'->0->'value'->'coordinates'->>${k})::float8`;
    geoSql.push(
      await time(() =>
        sql.query(
          `select * from broker_entities where tenant = '' and types && array['${VOCAB}Sensor']
               and id = any(array(select entity_id from broker_geo where tenant = '' and attr = '${LOCATION}' and bbox && box(point($1,$2), point($3,$4))))
               and 2 * 6371008.8 * asin(sqrt(power(sin(radians(${coord(1)} - $6) / 2), 2) + cos(radians($6)) * cos(radians(${coord(1)})) * power(sin(radians(${coord(0)} - $5) / 2), 2))) <= 1000
             order by id limit 20`,
          [lon - dLon, lat - dLat, lon + dLon, lat + dLat, lon, lat],
        ),
      ),
    );
  }
  rows.push({ name: 'geo near (1 km)', unit: 'p95 ms', broker: p95(geoBroker), sql: p95(geoSql), latency: true });

  // 6. Notification latency: a PATCH until the receiver has the notification; beside it, an UPDATE with
  // pg_notify until a LISTENing client hears it.
  rows.push(await notificationLatency(api, sql, databaseUrl));

  await sql.end();

  // 7. Query throughput, beside a pg pool of CONNECTIONS in a process of its own.
  const queryRows = await queryThroughput({ base, headers, database: { kind: 'postgres', url: databaseUrl }, running });
  await stop(server);
  stopPostgres(); // its memory and background work are not the PGlite part's
  return { rows, queryRows, all };
}

/**
 * Query throughput on a fresh embedded database holding `entities`, batch-created as on PostgreSQL.
 * The direct SQL reads a copy of the data directory, taken while the server is stopped, so that it
 * and the server each have their own PGlite, as two processes must.
 */
async function onPglite(running, cleanups, entities) {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-bench-pglite-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const env = await serverEnv({ DATA_DIR: join(dir, 'server') });
  const client = registerClient(env);
  const { server, api } = await startBroker(env, client, running);
  console.log(`PGlite: batch-creating ${entities.length} entities…`);
  const t0 = performance.now();
  await throughput(Math.ceil(entities.length / BATCH), 2, (k) =>
    api('POST', '/entityOperations/create', entities.slice(k * BATCH, (k + 1) * BATCH), 201),
  );
  const loadSeconds = (performance.now() - t0) / 1000;
  await stop(server);
  cpSync(join(dir, 'server'), join(dir, 'sql'), { recursive: true });
  const broker = await startBroker(env, client, running);
  const queryRows = await queryThroughput({ ...broker, database: { kind: 'pglite', dataDir: join(dir, 'sql') }, running });
  await stop(broker.server);
  return { queryRows, entities: entities.length, loadSeconds };
}

async function notificationLatency(api, sql, databaseUrl) {
  const received = new Map();
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      for (const e of JSON.parse(body).data ?? []) received.get(e.temperature)?.();
      res.end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const id = idOf(1);
  const sub = await api('POST', '/subscriptions', {
    type: 'Subscription',
    entities: [{ type: 'Sensor', id }],
    watchedAttributes: ['temperature'],
    notification: {
      format: 'keyValues',
      attributes: ['temperature'],
      endpoint: { uri: `http://127.0.0.1:${receiver.address().port}/notify` },
    },
  });
  const row = { name: 'notification latency', unit: 'p95 ms', latency: true };
  if (sub.status !== 201) {
    receiver.close();
    return { ...row, broker: null, sql: null, note: `subscriptions answered ${sub.status}` };
  }
  const brokerMs = [];
  for (let i = 0; i < SAMPLES; i++) {
    const value = 1000 + i;
    const t0 = performance.now();
    const heard = new Promise((resolve) => received.set(value, resolve));
    await api('PATCH', `/entities/${id}/attrs`, { temperature: { type: 'Property', value } }, 204);
    await heard;
    brokerMs.push(performance.now() - t0);
  }
  receiver.close();

  const listener = new pg.Client({ connectionString: databaseUrl });
  await listener.connect();
  await listener.query('LISTEN bench');
  const sqlMs = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    const heard = new Promise((resolve) => listener.once('notification', resolve));
    const client = await sql.connect();
    await client.query('begin');
    await client.query(`update broker_entities set modified_at = now() where tenant = '' and id = $1`, [id]);
    await client.query(`select pg_notify('bench', $1)`, [String(i)]);
    await client.query('commit');
    client.release();
    await heard;
    sqlMs.push(performance.now() - t0);
  }
  await listener.end();
  return { ...row, broker: p95(brokerMs), sql: p95(sqlMs) };
}

function render({ rows, queries, pglite, code, date, minutes }) {
  const n = (v, d = 0) => (v == null ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  const byName = (s) => rows.find((r) => r.name.startsWith(s));
  const ok = (b) => (b ? 'met' : 'not met');
  const aims = [
    ['≥ 2,000 single creates/s', byName('single create').broker, (v) => `${n(v)} /s`, (v) => v >= 2000],
    ['≥ 5,000 retrieves/s', byName('retrieve').broker, (v) => `${n(v)} /s`, (v) => v >= 5000],
    ['query p95 < 50 ms (broad q)', byName('query type + q, broad').broker, (v) => `${n(v, 1)} ms`, (v) => v < 50],
    ['query p95 < 50 ms (selective q)', byName('query type + q, selective').broker, (v) => `${n(v, 1)} ms`, (v) => v < 50],
    ['geo near p95 < 50 ms', byName('geo near').broker, (v) => `${n(v, 1)} ms`, (v) => v < 50],
    ['notification p95 < 200 ms', byName('notification').broker, (v) => `${n(v, 1)} ms`, (v) => v < 200],
  ];
  return `## NGSI-LD broker on PostgreSQL and PGlite

Generated by \`npm run bench:broker -- --write\` (\`bench/broker.mjs\`).

- Date: ${date}
- Code: ${code}
- Machine: nproc ${availableParallelism()}, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; PostgreSQL ${execFileSync('ls', ['/usr/lib/postgresql']).toString().trim()} (Debian), a throwaway cluster with default settings (fsync on); PGlite in a fresh temporary \`DATA_DIR\`
- Run time: ${n(minutes, 1)} min for the whole \`npm run bench:broker\` (every step is bounded by a duration or a count; the run fails after ${TIMEOUT_MINUTES} min, \`BENCH_TIMEOUT_MINUTES\`)

### How it runs

- The server is \`node --import tsx src/main.ts\` (as \`npm start\`) in a child process with \`DATABASE_URL\` set, access tokens on (a client of the common ID, client credentials grant). The load generator and the direct SQL (node-postgres, a pool of 10 like the server's) run in the bench process, on the same 2 cores (for the query throughput below, the direct SQL runs in a process of its own).
- ${n(ENTITIES)} \`Sensor\` entities (temperature, status, a Point in Aomori Prefecture, a Relationship) batch-created in the default tenant by a seeded generator, and as many more as the single creates add.
- **Direct SQL** is the same operation on the same database without the broker: the same rows inserted into \`broker_entities\` (under another tenant), the same primary-key select, the query written in SQL over the same JSON, the geo query through the same box index with the distance in SQL, and for notifications an UPDATE with \`pg_notify\` heard by a LISTENing client. The ratio is the broker's overhead (HTTP, JSON-LD, validation, the geo index, history and the notification queue in the same transaction).
- Throughput: ${CONNECTIONS} requests in flight (autocannon for the broker; batch: 2 requests in flight). Latency: ${SAMPLES} requests one after another; p95. \`ANALYZE\` runs after loading, as autovacuum would within a minute.
- Reading the ratios: the \`/healthz\` row (one \`select 1\` a request) is what one round trip to the database a request costs on this machine, with the load generator and PostgreSQL on the same 2 cores; retrieves do better because concurrent reads share a query, and single creates share a transaction. The hand-written query reads each attribute's first instance (\`attrs->'…'->0->>'value'\`), its names expanded as the broker expands them (\`status\` and \`location\` are terms of the core context).

### Results

| Operation | unit | broker | direct SQL | broker / SQL | server CPU |
|---|---|--:|--:|--:|--:|
${rows
  .map(
    (r) =>
      `| ${r.name} | ${r.unit} | ${n(r.broker, r.latency ? 1 : 0)} | ${n(r.sql, r.latency ? 1 : 0)} | ${r.broker == null ? '—' : n(r.broker / r.sql, 2)} | ${r.cpu == null ? '—' : `${Math.round(r.cpu * 100)}%`} |`,
  )
  .join('\n')}
${rows
  .filter((r) => r.note)
  .map((r) => `\n${r.name}: not measured (${r.note}).`)
  .join('')}

### Aims (issue 5)

| Aim | Measured | Result |
|---|--:|---|
${aims.map(([aim, v, fmt, test]) => `| ${aim} | ${v == null ? '—' : fmt(v)} | ${v == null ? 'not measured' : ok(test(v))} |`).join('\n')}

${renderQueries(queries, { postgresEntities: ENTITIES, pglite })}`;
}

await main();
