// What the broker benchmark's parts share: the seeded sensors, a broker server with a client of the
// common ID and its token, and autocannon runs whose non-2xx answers fail the run.
import { execFileSync } from 'node:child_process';
import { ROOT, start, waitReady } from './lib.mjs';

export const CONNECTIONS = 32;
export const VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/';
/** `location` and `status` are terms of the core context, so they expand there, not in the default vocabulary. */
export const expanded = (name) => (['location', 'status'].includes(name) ? `https://uri.etsi.org/ngsi-ld/${name}` : VOCAB + name);
export const LOCATION = expanded('location');

// A seeded generator: every run measures the same entities and the same query points.
function random(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const rnd = random(20261123);
export const AOMORI = { lon: [139.9, 141.7], lat: [40.2, 41.6] };
export const within = ([lo, hi], r) => Math.round((lo + (hi - lo) * r) * 1e5) / 1e5;
export const idOf = (i) => `urn:ngsi-ld:Sensor:${String(i).padStart(7, '0')}`;
const observedAt = '2026-11-23T00:00:00Z';

/** A weather sensor as a client sends it. */
export function sensor(i) {
  return {
    id: idOf(i),
    type: 'Sensor',
    temperature: { type: 'Property', value: Math.round((rnd() * 40 - 5) * 10) / 10, unitCode: 'CEL', observedAt },
    status: { type: 'Property', value: i % 10 === 0 ? 'maintenance' : 'ok' },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [within(AOMORI.lon, rnd()), within(AOMORI.lat, rnd())] } },
    municipality: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02201' },
  };
}

/** The same entity as the broker stores it (expanded names, system times): what the direct SQL writes. */
export function stored(e, now) {
  const inst = (a) => ({ ...a, createdAt: now, modifiedAt: now });
  return {
    id: e.id,
    types: [VOCAB + 'Sensor'],
    attrs: Object.fromEntries(['temperature', 'status', 'location', 'municipality'].map((k) => [expanded(k), [inst(e[k])]])),
  };
}

/**
 * Registers a client of the common ID with the staff command, as a municipality's system would get
 * one. Run before the server: the embedded database admits one process at a time.
 */
export function registerClient(env) {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/staff.ts', 'broker-client', '--name', 'benchmark', '--tenants', 'default'],
    { cwd: ROOT, env, encoding: 'utf8' },
  );
  return { id: /client_id: (\S+)/.exec(out)[1], secret: /client_secret[^:]*: (\S+)/.exec(out)[1] };
}

/** `npm start`'s command in a child process, ready, with an access token (client credentials grant). */
export async function startBroker(env, client, running) {
  const base = `http://127.0.0.1:${env.PORT}`;
  const server = start(process.execPath, ['--import', 'tsx', 'src/main.ts'], env, running);
  await waitReady(server, `${base}/healthz`);
  const tokenRes = await fetch(`${base}/id/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ngsi-ld:write' }),
  });
  const token = (await tokenRes.json()).access_token;
  if (!token) throw new Error(`no access token: ${tokenRes.status}`);
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
  const api = async (method, path, body, expect) => {
    const res = await fetch(`${base}/ngsi-ld/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (expect && res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return { status: res.status, text };
  };
  return { server, base, headers, api };
}

/** Runs `task(i)` for i < n with `concurrency` in flight; returns operations per second. */
export async function throughput(n, concurrency, task) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

/**
 * autocannon with CONNECTIONS connections; any non-2xx answer or error fails the run. Returns requests
 * per second and every response time in ms (autocannon's own percentiles skip p95).
 */
export async function load(options) {
  const { default: autocannon } = await import('autocannon');
  const ms = [];
  const t0 = performance.now();
  const r = await new Promise((resolve, reject) => {
    const run = autocannon({ connections: CONNECTIONS, ...options }, (err, res) => (err ? reject(err) : resolve(res)));
    run.on('response', (_client, _status, _bytes, responseMs) => ms.push(responseMs));
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.non2xx || r.errors) throw new Error(`${options.method ?? 'GET'} ${options.url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r['2xx'] / seconds, count: r['2xx'], seconds, ms };
}

/** The q-th percentile (0–100) of a list of numbers, nearest rank. */
export const percentile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((xs.length * q) / 100) - 1)];
