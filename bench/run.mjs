// Benchmark: second-start time and throughput of the Renkei server, next to a plain node:http
// baseline measured in the same run. Usage: `npm run bench [-- --write]`.
// Env: BENCH_SECONDS (per target, default 10), BENCH_WARMUP (default 2).
// The servers run as child processes so the load generator (this process) never shares their event loop.
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeVersion, freePort, start, stop, treeCpu, waitReady, writeSection } from './lib.mjs';

const SELF = fileURLToPath(import.meta.url);

if (process.argv[2] === '--baseline-server') baselineServer();
else await main();

/** The baseline: the cheapest possible HTTP answer of the same size, so the ratio isolates the app's own cost. */
function baselineServer() {
  const body = readFileSync(process.env.BODY_FILE);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8', 'content-length': body.length });
    res.end(body);
  }).listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

async function main() {
  const { default: autocannon } = await import('autocannon');
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const warmup = Number(process.env.BENCH_WARMUP ?? 2);
  const write = process.argv.includes('--write');
  const code = codeVersion(); // before the servers load src/
  const dir = mkdtempSync(join(tmpdir(), 'renkei-bench-'));
  const running = new Set();
  const cleanup = async () => {
    await Promise.all([...running].map(stop));
    rmSync(dir, { recursive: true, force: true });
  };
  // Interrupted runs must not leave servers or temp dirs behind either.
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => void cleanup().finally(() => process.exit(130)));

  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: join(dir, 'pglite') };
    delete env.DATABASE_URL; // always the embedded database, never someone's real one
    // The same command as `npm start`.
    const renkei = () => start(process.execPath, ['--import', 'tsx', 'src/main.ts'], env, running);

    // 1. Startup: the first start creates the database and loads data; the second is what a restart costs.
    let server = renkei();
    const first = await waitReady(server, `${base}/healthz`);
    await stop(server);
    server = renkei();
    const second = await waitReady(server, `${base}/healthz`);
    console.log(`first start ${first.ms} ms, second start ${second.ms} ms`);

    // 2. Baseline with the top page's exact bytes.
    const top = await fetch(`${base}/plans/aomori-dx`);
    const body = Buffer.from(await top.arrayBuffer());
    if (top.status !== 200) throw new Error(`top page answered ${top.status}`);
    const bodyFile = join(dir, 'top.html');
    writeFileSync(bodyFile, body);
    const basePort = await freePort();
    const baseline = start(
      process.execPath,
      [SELF, '--baseline-server'],
      { ...process.env, PORT: String(basePort), BODY_FILE: bodyFile },
      running,
    );
    await waitReady(baseline, `http://127.0.0.1:${basePort}/`);

    // 3. Load, one target at a time; CPU is sampled per process tree to show who saturates the 2 cores.
    const targets = [
      { name: 'baseline (plain `node:http`)', url: `http://127.0.0.1:${basePort}/`, proc: baseline },
      { name: 'top page `/plans/aomori-dx`', url: `${base}/plans/aomori-dx`, proc: server },
      { name: 'KPI API `/api/v1/plans/aomori-dx/kpis`', url: `${base}/api/v1/plans/aomori-dx/kpis`, proc: server },
    ];
    const rows = [];
    for (const t of targets) {
      if (warmup > 0) await autocannon({ url: t.url, connections: 50, duration: warmup });
      const [serverCpu0, benchCpu0, t0] = [treeCpu(t.proc.child.pid), process.cpuUsage(), performance.now()];
      const r = await autocannon({ url: t.url, connections: 50, duration: seconds });
      const wall = (performance.now() - t0) / 1000;
      const mine = process.cpuUsage(benchCpu0);
      rows.push({
        name: t.name,
        rps: r.requests.mean,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors, // autocannon counts timeouts here too
        serverCpu: serverCpu0 == null ? null : (treeCpu(t.proc.child.pid) - serverCpu0) / wall,
        benchCpu: (mine.user + mine.system) / 1e6 / wall,
      });
      console.log(`${t.name}: ${Math.round(r.requests.mean)} req/s`);
    }

    const report = render({
      rows,
      startup: { first, second },
      bodyBytes: body.length,
      seconds,
      warmup,
      code,
      date: new Date().toISOString(),
    });
    console.log(`\n${report}`);
    const failed = rows.filter((r) => r.errors > 0 || r.non2xx > 0);
    if (failed.length) throw new Error(`errors or non-2xx responses: ${failed.map((r) => r.name).join(', ')}`);
    if (write) {
      writeSection('server', report);
    }
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

function render({ rows, startup, bodyBytes, seconds, warmup, code, date }) {
  const [baseline, topPage] = [rows[0], rows[1]];
  const n = (v, d = 0) => v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const pct = (v) => (v == null ? '—' : `${Math.round(v * 100)}%`);
  const ok = (b) => (b ? 'met' : 'not met');
  const table = [
    '| Target | req/s (mean) | vs baseline | p50 ms | p99 ms | non-2xx | errors | server CPU | bench CPU |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${n(r.rps)} | ${n(r.rps / baseline.rps, 2)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${pct(r.serverCpu)} | ${pct(r.benchCpu)} |`,
    ),
  ];
  return `## Server: startup and page throughput

Generated by \`npm run bench -- --write\` (\`bench/run.mjs\`).

- Date: ${date}
- Code: ${code}
- Machine: nproc ${availableParallelism()}, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform} ${process.arch}

### How it runs

- **Startup**: a fresh temporary \`DATA_DIR\`; \`node --import tsx src/main.ts\` (as \`npm start\`) is spawned (first start: creates the embedded database and loads data), stopped with SIGTERM, and spawned again on the same directory. Time is wall time from spawn until \`GET /healthz\` answers 200.
- **Load**: autocannon, 50 connections, ${warmup} s warm-up then ${seconds} s per target, run from the bench process; each server is a separate child process on 127.0.0.1.
- **Baseline**: a plain \`node:http\` server in its own process answering every request with the top page's exact bytes (${n(bodyBytes)} B). Load generator and server share the same cores, so absolute figures move with machine load; the ratio to the baseline is the steadier number.
- CPU columns: CPU time during the measured run divided by wall time (100% = one core); "server" is the server process tree, "bench" is autocannon's process. Near 100% bench CPU means autocannon, not the server, set the limit.

### Results

| Startup | wall time to /healthz 200 | server log "ready in" |
|---|--:|--:|
| first start (empty DATA_DIR) | ${n(startup.first.ms)} ms | ${startup.first.log ?? '—'} ms |
| second start (same DATA_DIR) | ${n(startup.second.ms)} ms | ${startup.second.log ?? '—'} ms |

${table.join('\n')}

### Targets (project issue)

| Target | Measured | Result |
|---|--:|---|
| Top page ≥ 5,000 req/s at 50 connections | ${n(topPage.rps)} req/s | ${ok(topPage.rps >= 5000)} |
| Top page p99 < 50 ms at 50 connections | ${topPage.p99} ms | ${ok(topPage.p99 < 50)} |
| Second start ready in < 3 s | ${n(startup.second.ms)} ms | ${ok(startup.second.ms < 3000)} |
`;
}
