// Query throughput under CONNECTIONS connections: pages of `GET /ngsi-ld/v1/entities?type=…` through
// the broker (autocannon from the bench process) beside the same SELECT from a process of its own
// (this file run with --sql-client): a pg pool of CONNECTIONS on PostgreSQL; on PGlite, which is one
// connection inside one process, the same files opened by PGlite in that process, CONNECTIONS callers
// queued on its one connection as the server's requests are.
import { fileURLToPath } from 'node:url';
import { CONNECTIONS, VOCAB, expanded, load, percentile } from './broker-setup.mjs';
import { start } from './lib.mjs';

const SELF = fileURLToPath(import.meta.url);
export const QUERY_SECONDS = Number(process.env.BENCH_QUERY_SECONDS ?? 6);
const QUERY_ROUNDS = 3;
export const QUERY_WARMUP = Number(process.env.BENCH_QUERY_WARMUP ?? 2);

// What the broker's repository sends for these queries (src/modules/broker/repository.ts), written out.
const SELECT = `select tenant, id, types, attrs, created_at, modified_at from broker_entities
  where tenant = $1 and types && $2::text[]`;
const TYPES = `{"${VOCAB}Sensor"}`;
const MAINTENANCE = `exists($."${expanded('status')}"[*] ? (@.value == "maintenance" || @.object == "maintenance"))`;
export const PAGES = [
  { name: 'type, page of 20', path: '/entities?type=Sensor&limit=20', sql: `${SELECT} order by id limit 20`, params: ['', TYPES] },
  { name: 'type, page of 200', path: '/entities?type=Sensor&limit=200', sql: `${SELECT} order by id limit 200`, params: ['', TYPES] },
  {
    name: 'type + q (10% match), page of 20',
    path: `/entities?type=Sensor&q=${encodeURIComponent('status=="maintenance"')}&limit=20`,
    sql: `${SELECT} and jsonb_path_match(attrs, $3::jsonpath, '{}', true) order by id limit 20`,
    params: ['', TYPES, MAINTENANCE],
  },
];

/**
 * Each page through the broker and through direct SQL in alternating slices, so that both see the
 * same machine load as it drifts. `database` is { kind: 'postgres', url } or { kind: 'pglite', dataDir }:
 * the broker's own database (PostgreSQL) or a copy of its data directory (PGlite).
 */
export async function queryThroughput({ base, headers, database, running }) {
  const rows = [];
  // When autocannon stops, the server still has the requests in flight and queued: they must not
  // run into the next slice. /healthz queues behind them (pool or PGlite), so its answer means idle.
  const drain = async () => (await fetch(`${base}/healthz`)).arrayBuffer();
  const slice = QUERY_SECONDS / QUERY_ROUNDS;
  for (const page of PAGES) {
    const url = `${base}/ngsi-ld/v1${page.path}`;
    const res = await fetch(url, { headers });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${page.path}: ${res.status} ${text.slice(0, 300)}`);
    const ids = JSON.parse(text).map((e) => e.id);
    const sqlClient = await startSqlClient({ database, page, running });
    // The same rows, or the ratio compares different work.
    if (JSON.stringify(sqlClient.ids) !== JSON.stringify(ids))
      throw new Error(`${page.name}: direct SQL read other rows than the broker: ${sqlClient.ids.slice(0, 5)} / ${ids.slice(0, 5)}`);
    if (QUERY_WARMUP > 0) {
      await load({ url, headers, duration: QUERY_WARMUP });
      await drain();
      await sqlClient.run(QUERY_WARMUP);
    }
    const [broker, sql] = [[], []];
    for (let i = 0; i < QUERY_ROUNDS; i++) {
      broker.push(await load({ url, headers, duration: slice }));
      await drain();
      sql.push(await sqlClient.run(slice));
    }
    await sqlClient.close();
    const row = { database: database.kind, name: page.name, bytes: Buffer.byteLength(text), broker: summary(broker), sql: summary(sql) };
    rows.push({ ...row, statistics: sqlClient.statistics, plan: sqlClient.plan });
    console.log(`${database.kind} ${page.name}: broker ${Math.round(row.broker.rps)} req/s, SQL ${Math.round(row.sql.rps)} req/s`);
  }
  return rows;
}

/** Slices ({ count, seconds, ms }) taken together: requests per second and nearest-rank percentiles. */
function summary(slices) {
  const ms = slices.flatMap((s) => s.ms);
  const rps = slices.reduce((a, s) => a + s.count, 0) / slices.reduce((a, s) => a + s.seconds, 0);
  return { rps, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99) };
}

/** The direct SQL's process, opened once per page and told when to run by a line on its stdin. */
async function startSqlClient({ database, page, running }) {
  const proc = start(process.execPath, [SELF, '--sql-client', JSON.stringify({ database, page })], process.env, running, {
    stdin: 'pipe',
  });
  // Its own copy of stdout: proc.output interleaves stderr, which could split a long line.
  let [out, seen, closed, wake] = ['', 0, false, () => {}];
  proc.child.stdout.on('data', (d) => ((out += d), wake()));
  proc.exited.then(() => ((closed = true), wake()));
  /** The next whole line of output that starts with `prefix`, parsed. */
  const next = async (prefix) => {
    for (;;) {
      const lines = out.split('\n');
      for (; seen < lines.length - 1; seen++) if (lines[seen].startsWith(prefix)) return JSON.parse(lines[seen++].slice(prefix.length));
      if (closed) throw new Error(`direct SQL for ${page.name} failed (exit ${proc.child.exitCode}):\n${proc.output}`);
      await new Promise((resolve) => (wake = resolve));
    }
  };
  const ready = await next('READY ');
  return {
    ...ready,
    run: (seconds) => (proc.child.stdin.write(`run ${seconds}\n`), next('RESULT ')),
    close: () => (proc.child.stdin.end(), proc.exited),
  };
}

/** The child: CONNECTIONS callers each sending the page's SELECT again as soon as it is answered. */
async function sqlClient({ database, page }) {
  let exec, close;
  if (database.kind === 'postgres') {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: database.url, max: CONNECTIONS });
    exec = async (text, params) => (await pool.query(text, params)).rows;
    close = () => pool.end();
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(database.dataDir);
    // As the server does at start (src/main.ts): PGlite has no autovacuum to gather statistics.
    await db.query('analyze');
    exec = async (text, params) => (await db.query(text, params)).rows;
    close = () => db.close();
  }
  const query = () => exec(page.sql, page.params);
  const ids = (await query()).map((r) => r.id);
  // Whether the planner knows the table (autovacuum on PostgreSQL, the ANALYZE above on PGlite).
  const [{ n }] = await exec(`select count(*)::int as n from pg_stats where tablename = 'broker_entities'`);
  // The plan's spine (the broker sends this statement, so the planner makes the same choice for it).
  const [explained] = await exec(`explain (format json) ${page.sql}`, page.params);
  const plan = [];
  for (let node = explained['QUERY PLAN'][0].Plan; node; node = node.Plans?.[0]) {
    plan.push(node['Index Name'] ? `${node['Node Type']} (${node['Index Name']})` : node['Node Type']);
    if (node['Node Type'].endsWith('Scan')) break; // the table is reached: enough to tell the plans apart
  }
  console.log(`READY ${JSON.stringify({ ids, statistics: n > 0, plan: plan.join(' → ') })}`);
  const run = async (seconds) => {
    const ms = [];
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < end) {
          const q0 = performance.now();
          await query();
          ms.push(performance.now() - q0);
        }
      }),
    );
    return { count: ms.length, seconds: (performance.now() - t0) / 1000, ms };
  };
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin })) {
    const seconds = Number(line.split(' ')[1]);
    console.log(`RESULT ${JSON.stringify(await run(seconds))}`);
  }
  await close();
}

/** The section's tables, one per database, and how to read them. */
export function renderQueries(rows, { postgresEntities, pglite }) {
  const n = (v, d = 0) => (v == null ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  const table = (kind) => [
    '| Page | body | broker req/s | SQL req/s | broker / SQL | broker p50 / p95 / p99 ms | SQL p50 / p95 / p99 ms | plan |',
    '|---|--:|--:|--:|--:|--:|--:|---|',
    ...rows
      .filter((r) => r.database === kind)
      .map((r) => {
        const lat = (x) => [x.p50, x.p95, x.p99].map((v) => n(v, 1)).join(' / ');
        const kb = `${n(r.bytes / 1024, 1)} KiB`;
        return `| ${r.name} | ${kb} | ${n(r.broker.rps)} | ${n(r.sql.rps)} | ${n(r.broker.rps / r.sql.rps, 2)} | ${lat(r.broker)} | ${lat(r.sql)} | ${r.plan} |`;
      }),
  ];
  const statistics = (kind) => (rows.find((r) => r.database === kind)?.statistics ? 'yes' : 'none');
  return `### Query throughput, ${CONNECTIONS} connections

- Pages of \`GET /ngsi-ld/v1/entities?type=Sensor\`, always the first page: \`limit=20\`, \`limit=200\`, and \`q=status=="maintenance"\` with \`limit=20\`. Through the broker: autocannon, ${CONNECTIONS} connections, in the bench process. Each side has ${QUERY_WARMUP} s of warm-up, then ${QUERY_SECONDS} s in ${QUERY_ROUNDS} alternating slices (broker, SQL, broker, …), so that both see the machine's load as it drifts; after each broker slice the run waits until the server has answered what was still in flight. Latency is each request's time under that load, queueing included; nearest-rank percentiles of every response. The plan is the direct SQL's \`EXPLAIN\` of the statement, top node first.
- **Direct SQL** is the statement the broker's repository sends for the page (the same columns, \`types &&\`, the q as the same \`jsonb_path_match\`, \`order by id limit n\`), from a process of its own with ${CONNECTIONS} callers, each sending it again as soon as it is answered; the run checks it returns the same ids as the broker's page. The ratio is what HTTP, the access token, JSON-LD compaction and the broker's code cost over the database's own answer.
- **PostgreSQL**: the ${n(postgresEntities)} entities above and the single creates'; direct SQL through a pg pool of ${CONNECTIONS} (the server's own pool has 10). Planner statistics on \`broker_entities\`: ${statistics('postgres')}.
- **PGlite**: ${n(pglite.entities)} entities (the first of the same generator; a size that loads in seconds), batch-created through the broker as above in ${n(pglite.loadSeconds, 1)} s, in a fresh data directory. PGlite is one connection inside one process, so there is no pool to give the baseline: the fairest equivalent is the same engine on the same files with the same queueing. After loading, the server is stopped, its data directory copied, and the server started again; the direct SQL opens the copy with PGlite in a process of its own, its ${CONNECTIONS} callers queued on its one connection exactly as the server's requests queue on the server's. Planner statistics on \`broker_entities\`: ${statistics('pglite')} (PGlite runs no autovacuum: the server runs \`ANALYZE\` at start and every 10 minutes, and the direct SQL runs it once when it opens the copy).

**PostgreSQL**

${table('postgres').join('\n')}

**PGlite**

${table('pglite').join('\n')}
`;
}

// Last, so that everything above is defined when the child runs.
if (process.argv[2] === '--sql-client') await sqlClient(JSON.parse(process.argv[3]));
