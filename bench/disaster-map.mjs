// Benchmark of the disaster map data (issue 13, "Done when"): 青森市's shelters as GeoJSON from the
// server (`npm start`'s command, PGlite, default data) at 50 connections, beside a plain Node static
// server (its own process) sending the same bytes from memory, in alternating slices; then the time from
// an occupancy write on the broker (NGSI-LD PATCH over HTTP) until the map data API shows it.
// Usage: `node bench/disaster-map.mjs [--write]`. Env: BENCH_SECONDS (per side, default 10),
// BENCH_ROUNDS (slices per side, default 4), BENCH_WRITES (occupancy writes timed, default 10).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { codeVersion, freePort, start, stop, waitReady, writeSection } from './lib.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WRITES = Number(process.env.BENCH_WRITES ?? 10);
const CONNECTIONS = 50;
const PATH = '/api/v1/disaster/shelters?municipality=02201';
const running = new Set();

const STATIC_SERVER = `
const { createServer } = require('node:http');
const body = require('node:fs').readFileSync(process.argv[1]);
const headers = { 'content-type': 'application/geo+json', 'content-length': body.length, 'cache-control': 'public, max-age=60' };
createServer((req, res) => { res.writeHead(200, headers); res.end(body); }).listen(Number(process.env.PORT), '127.0.0.1');
`;

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)];

async function slice(url, seconds) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { count: r.requests.total, seconds, p50: r.latency.p50, p99: r.latency.p99 };
}
const sum = (s) => ({
  rps: s.reduce((a, x) => a + x.count, 0) / s.reduce((a, x) => a + x.seconds, 0),
  p50: Math.max(...s.map((x) => x.p50)),
  p99: Math.max(...s.map((x) => x.p99)),
});

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-bench-map-'));
  try {
    const port = await freePort();
    const env = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'pglite'),
      NGSI_LD_AUTH: 'off',
      LOAD_DEFAULT_DATA: 'true',
    };
    delete env.DATABASE_URL;
    const server = start(process.execPath, ['--import', 'tsx', 'src/main.ts'], env, running);
    const base = `http://127.0.0.1:${port}`;
    await waitReady(server, `${base}/healthz`, 300_000);
    const first = await fetch(`${base}${PATH}`);
    if (first.status !== 200) throw new Error(`${PATH}: ${first.status}`);
    const bytes = Buffer.from(await first.arrayBuffer());
    const file = join(dir, 'aomori.geojson');
    writeFileSync(file, bytes);
    const staticPort = await freePort();
    const plain = start(process.execPath, ['-e', STATIC_SERVER, file], { ...process.env, PORT: String(staticPort) }, running);
    await waitReady(plain, `http://127.0.0.1:${staticPort}/`);

    const [app, base0] = [[], []];
    await slice(`${base}${PATH}`, 2); // warm-up
    await slice(`http://127.0.0.1:${staticPort}/`, 2);
    for (let i = 0; i < ROUNDS; i++) {
      app.push(await slice(`${base}${PATH}`, SECONDS / ROUNDS));
      base0.push(await slice(`http://127.0.0.1:${staticPort}/`, SECONDS / ROUNDS));
    }
    const [a, s] = [sum(app), sum(base0)];
    console.log(`map data ${Math.round(a.rps)} req/s, static ${Math.round(s.rps)} req/s, ratio ${(a.rps / s.rps).toFixed(2)}`);

    // Occupancy write → changed map data, polled as a client would (every 50 ms).
    const { features } = JSON.parse(bytes.toString('utf8'));
    const { id, properties } = features[0];
    const write = (method, value) =>
      fetch(`${base}/ngsi-ld/v1/entities/${encodeURIComponent(id)}/attrs`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ occupancy: { type: 'Property', value } }),
      }).then(async (res) => {
        if (res.status !== 204) throw new Error(`${method} attrs: ${res.status} ${await res.text()}`);
      });
    const shows = async (value, t0) => {
      for (;;) {
        const fc = await (await fetch(`${base}${PATH}`)).json();
        if (fc.features.find((f) => f.properties.slug === properties.slug)?.properties.occupancy === value) return;
        if (performance.now() - t0 > 30_000) throw new Error('the write did not reach the map data in 30 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // The GSI data has no occupancy: appended once (5.6.3, not timed), then updated (5.6.2 PATCH) and timed.
    await write('POST', 100);
    await shows(100, performance.now());
    const delays = [];
    for (let n = 1; n <= WRITES; n++) {
      const t0 = performance.now();
      await write('PATCH', 100 + n);
      await shows(100 + n, t0);
      delays.push(performance.now() - t0);
    }
    const median = percentile(delays, 50);
    const worst = Math.max(...delays);
    console.log(`occupancy write → map data: median ${Math.round(median)} ms, max ${Math.round(worst)} ms`);

    const md = `## Disaster map data (issue 13)

Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} (${codeVersion()}; load average ${loadavg()[0].toFixed(1)} at the end: the machine is shared, compare the ratio, not the absolute figures), with \`node bench/disaster-map.mjs --write\`.

| | requests/s | p50 ms | p99 ms |
|---|---:|---:|---:|
| \`GET ${PATH}\` (${bytes.length.toLocaleString('en')} bytes, ${features.length} shelters) | ${Math.round(a.rps)} | ${a.p50} | ${a.p99} |
| plain Node static server, same bytes from memory | ${Math.round(s.rps)} | ${s.p50} | ${s.p99} |
| **ratio** (aim ≥ 0.9×) | **${(a.rps / s.rps).toFixed(2)}×** | | |

Occupancy write on the broker (\`PATCH /ngsi-ld/v1/entities/{id}/attrs\` over HTTP, 5.6.2) until the map data API returns the new value, polled every 50 ms, ${WRITES} writes: median **${Math.round(median)} ms**, max ${Math.round(worst)} ms (aim ≤ 5 s).

Both servers are separate processes on PGlite (default data); autocannon, ${CONNECTIONS} connections, in the bench process; ${SECONDS} s per side in ${ROUNDS} alternating slices after 2 s of warm-up each; p50/p99 are the worst slice's.`;
    if (process.argv.includes('--write')) writeSection('disaster-map', md);
    else console.log(md);
    await stop(plain);
    await stop(server);
  } finally {
    for (const p of running) await stop(p);
    rmSync(dir, { recursive: true, force: true });
  }
}

const timer = setTimeout(() => {
  console.error('bench timed out');
  process.exit(1);
}, 15 * 60_000);
timer.unref();
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
