// Several servers behind one address, as behind the reverse proxy: a round-robin balancer on a free
// loopback port, and an HTTP client that keeps cookies as a browser does (one host, by path).
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Sends each request to the next server in turn; a request with `x-backend: <index>` goes to that
 * one, so a test can say which process takes which step. Every response names who answered in
 * `x-backend`.
 */
export async function roundRobin(targets: string[]) {
  let next = 0;
  const server = createServer((req, res) => {
    const pinned = Number(req.headers['x-backend'] ?? NaN);
    const index = Number.isInteger(pinned) && targets[pinned] ? pinned : next++ % targets.length;
    const target = new URL(targets[index]!);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-backend': String(index) });
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

type Init = { method?: string; headers?: Record<string, string>; body?: string };

/** A browser without a window: cookies by name and path, redirects followed only when asked. */
export function cookieClient(base: string) {
  const jar = new Map<string, { name: string; value: string; path: string }>();
  const request = async (url: string, init: Init = {}) => {
    const u = new URL(url, base);
    const cookie = [...jar.values()]
      .filter((c) => u.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const res = await fetch(u, { ...init, redirect: 'manual', headers: { ...init.headers, ...(cookie ? { cookie } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const gone = attrs.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)) < new Date()));
      if (gone) jar.delete(`${name} ${path}`);
      else jar.set(`${name} ${path}`, { name, value: pair.slice(eq + 1), path });
    }
    return res;
  };
  return {
    request,
    /** A form post, as a browser sends it. */
    post: (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
      request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form).toString(),
      }),
  };
}

export type CookieClient = ReturnType<typeof cookieClient>;

/**
 * Signs a staff person in through the staff screens and the common ID — password, then TOTP code —
 * with each step sent to the backend `backendOf(step)` names (or the next in turn). Returns which backend answered each
 * step and the last response (the staff home page).
 */
export async function signIn(
  client: CookieClient,
  who: { email: string; password: string; totp: () => Promise<string> },
  backendOf: (step: string) => number | undefined,
) {
  const served: Record<string, string | null> = {};
  const step = async (name: string, url: string, form?: Record<string, string>) => {
    const backend = backendOf(name);
    const pin: Record<string, string> = backend === undefined ? {} : { 'x-backend': String(backend) };
    const res = form ? await client.post(url, form, pin) : await client.request(url, { headers: pin });
    served[name] = res.headers.get('x-backend');
    return res;
  };
  const location = (res: Response) => {
    const to = res.headers.get('location');
    if (!to) throw new Error(`expected a redirect, got ${res.status}: ${res.url}`);
    return to;
  };
  const authorize = await step('login', '/staff/login');
  const interaction = location(await step('authorize', location(authorize)));
  if ((await step('password form', interaction)).status !== 200) throw new Error('no password form');
  const password = await step('password', `${interaction}/password`, { email: who.email, password: who.password });
  if ((await step('code form', location(password))).status !== 200) throw new Error('the password was not accepted');
  let res = await step('code', `${interaction}/totp`, { code: await who.totp() });
  // From here the provider and the staff screens redirect on: resume, callback, the staff home page.
  for (let i = 1; res.status >= 300 && res.status < 400 && i < 10; i++) res = await step(`redirect ${i}`, location(res));
  return { served, res };
}
