/**
 * The one outbound policy: every HTTP request the server makes to an address it was given (notification
 * endpoints, and later push services, feeds, context sources) goes through `outbound(...).fetch`.
 *
 * `fetch(input, init)` has the signature of `globalThis.fetch` (code can take `typeof fetch`) and answers
 * a standard `Response`, but:
 * - only http: and https: URLs written with a host (`http:///x`, `http:x` are refused, although the
 *   WHATWG parser would read them as `http://x/`), without credentials;
 * - refused unless OUTBOUND_ALLOW opens them: loopback, unspecified, private, shared (CGNAT),
 *   link-local (cloud metadata at 169.254.169.254), unique-local, multicast, broadcast, documentation
 *   and other reserved addresses, in every notation (`2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`,
 *   `[::ffff:127.0.0.1]`, NAT64 and 6to4 forms of them), and the names localhost, *.localhost, *.local,
 *   *.internal, *.home.arpa, single-label names and cloud metadata names;
 * - a host name is resolved on every request and checked on every address it resolves to; the connection
 *   is made to the checked address (the check and the connection use the same resolution: no
 *   DNS-rebinding gap); one refused address refuses it;
 * - redirects are never followed: a 3xx is returned as the response, Location readable (`init.redirect`
 *   is ignored), so callers treat it as they treat any other status;
 * - bounded: `timeoutMs` for the whole exchange, body included (besides `init.signal`), and
 *   `maxBodyBytes` for the response body (reading more fails);
 * - kept-alive connections per origin and checked address (outbound-pool.ts: a socket is reused only
 *   while the name still resolves to the address it was opened to), no proxy from the environment, no
 *   content decoding (no Accept-Encoding is sent).
 * A refusal rejects with `OutboundRefused` (a TypeError, as fetch's network errors are), before anything is
 * sent; other network failures reject with TypeError('fetch failed', { cause }); an abort or timeout
 * rejects with the signal's reason, as fetch does.
 *
 * `check(url)` applies the same rules to the URL as written, without resolving it: what can be refused
 * when an address is stored (a subscription's endpoint) rather than when it is called.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { connectionPool, type PoolOptions } from './outbound-pool.ts';

export class OutboundRefused extends TypeError {
  constructor(readonly reason: string) {
    super(`outbound request refused: ${reason}`);
    this.name = 'OutboundRefused';
  }
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface OutboundOptions {
  /** What a deployment opens (OUTBOUND_ALLOW): host names, IP addresses and CIDRs, e.g. `127.0.0.1`, `10.0.0.0/8`, `receiver.example.jp`. */
  allow: string[];
  /** The whole exchange, response body included (ms; default 10 s). */
  timeoutMs?: number;
  /** The largest response body read (bytes; default 16 MiB: callers keep their own tighter limits, e.g. 8 MB for a context source). */
  maxBodyBytes?: number;
  /** Resolves a host name to all its addresses (default: the system resolver); tests inject their own. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
  /** The kept-alive connections (outbound-pool.ts). */
  pool?: PoolOptions;
}

export interface Outbound {
  /** Throws OutboundRefused if the URL, as written, may not be called (no resolution). */
  check(url: string | URL): void;
  fetch: typeof globalThis.fetch;
  /** Closes the kept-alive connections. */
  close(): void;
}

type Family = 'ipv4' | 'ipv6';
const familyOf = (ip: string): Family => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** Address ranges refused by default, each with the reason given (first match wins). */
const refusedRanges: [string, number, string][] = [
  ['0.0.0.0', 8, 'an unspecified ("this network") address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.88.99.0', 24, 'a reserved address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a reserved (benchmarking) address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved or broadcast address'],
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['::', 96, 'an IPv4-compatible (deprecated) address'],
  ['::ffff:0:0:0', 96, 'an IPv4-translated address'],
  ['64:ff9b:1::', 48, 'a local-use NAT64 address'],
  ['100::', 64, 'a discard-only address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['2001::', 23, 'a special-purpose address (Teredo and others)'],
  ['fc00::', 7, 'a unique local address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
];
const refusedLists = refusedRanges.map(([address, prefix, reason]) => {
  const list = new BlockList();
  list.addSubnet(address, prefix, familyOf(address));
  return { list, reason };
});

/** The eight 16-bit groups of an IPv6 address (valid, as isIP says), a trailing dotted quad included. */
function groups(ip: string): number[] {
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  const s = quad
    ? `${ip.slice(0, quad.index)}${((+quad[1]! << 8) | +quad[2]!).toString(16)}:${((+quad[3]! << 8) | +quad[4]!).toString(16)}`
    : ip;
  const [head, tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((x) => parseInt(x, 16));
}
const quadOf = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

const metadataNames = new Set(['metadata.goog', 'metadata.google.internal', 'instance-data.ec2.internal', 'metadata.tencentyun.com']);
const localSuffixes = ['.localhost', '.local', '.internal', '.home.arpa'];
const hostName = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** A host as compared: lower case, without IPv6 brackets, zone or a final dot. */
const normalHost = (host: string) =>
  host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '')
    .replace(/\.$/, '');
const shown = (s: string) => (s.length > 80 ? `${s.slice(0, 80)}…` : s);

/**
 * Checks and normalises OUTBOUND_ALLOW's entries (comma-separated host names, addresses and CIDRs);
 * throws an Error naming the first entry that is none of those.
 */
export function parseAllowList(text: string): string[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of entries) {
    const [address = '', prefix, extra] = normalHost(e).split('/');
    const max = isIP(address) === 6 ? 128 : 32;
    const ok =
      prefix === undefined
        ? isIP(address) > 0 || hostName.test(address)
        : extra === undefined && isIP(address) > 0 && /^\d{1,3}$/.test(prefix) && +prefix <= max;
    if (!ok) throw new Error(`"${shown(e)}" is not a host name, an IP address or a CIDR (address/prefix)`);
  }
  return entries;
}

/** The response body as a stream that fails past `max` bytes; `onAbort` receives how to fail it on abort. */
function bodyStream(res: http.IncomingMessage, max: number, finish: () => void, onAbort: (fail: (reason: unknown) => void) => void) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const end = (err?: unknown) => {
        if (!open) return;
        open = false;
        finish();
        if (err === undefined) controller.close();
        else controller.error(err);
        res.destroy();
      };
      onAbort(end);
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (!open) return;
        size += chunk.length;
        if (size > max) end(new OutboundRefused(`a response body over ${max} bytes`));
        else controller.enqueue(new Uint8Array(chunk));
      });
      res.on('end', () => end());
      res.on('error', (err) => end(new TypeError('terminated', { cause: err })));
      res.on('close', () => end(new TypeError('terminated: the connection closed before the body ended')));
    },
    cancel() {
      finish();
      res.destroy();
    },
  });
}

const methods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/**
 * The common call (a URL, a byte or string body, headers as an object) without building a Request: what
 * the Request constructor would give (method normalised, headers checked, a string's content type);
 * undefined for anything else, which goes through Request.
 */
function plain(input: string | URL | Request, init: RequestInit | undefined) {
  if (input instanceof Request || init?.headers instanceof Headers || Array.isArray(init?.headers)) return undefined;
  const b = init?.body;
  if (b != null && typeof b !== 'string' && !(b instanceof Uint8Array)) return undefined;
  const method = (init?.method ?? 'GET').toUpperCase();
  if (!methods.has(method)) return undefined;
  if (b != null && (method === 'GET' || method === 'HEAD')) throw new TypeError('Request with GET/HEAD method cannot have body.');
  const headers = new Headers(init?.headers as Record<string, string> | undefined);
  if (typeof b === 'string' && !headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
  return {
    url: String(input),
    method,
    headers,
    signal: init?.signal ?? new AbortController().signal,
    payload: b == null ? undefined : Buffer.from(b),
  };
}

export function outbound(options: OutboundOptions): Outbound {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const pool = connectionPool(options.pool);
  const resolve = options.resolve ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }));
  const allowedNames = new Set<string>();
  const allowed = new BlockList();
  for (const entry of parseAllowList(options.allow.join(','))) {
    const [address, prefix] = normalHost(entry).split('/') as [string, string | undefined];
    if (!isIP(address)) allowedNames.add(address);
    else if (prefix === undefined) allowed.addAddress(address, familyOf(address));
    else allowed.addSubnet(address, +prefix, familyOf(address));
  }

  /** Why an address may not be reached (what it is), or undefined when it may. */
  const refusal = (ip: string): string | undefined => {
    const family = familyOf(ip);
    const g = family === 'ipv6' ? groups(ip) : [];
    // An IPv4-mapped address reaches the IPv4 host: it is that address.
    if (family === 'ipv6' && g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
      const v4 = quadOf(g[6]!, g[7]!);
      const r = refusal(v4);
      return r && `the IPv4-mapped form of ${v4}, ${r}`;
    }
    if (allowed.check(ip, family)) return undefined;
    const range = refusedLists.find((r) => r.list.check(ip, family));
    if (range) return range.reason;
    if (family === 'ipv4') return undefined;
    // NAT64 and 6to4 carry an IPv4 address: refused when it is.
    const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
    const embedded = nat64 ? quadOf(g[6]!, g[7]!) : g[0] === 0x2002 ? quadOf(g[1]!, g[2]!) : undefined;
    if (embedded) {
      const r = refusal(embedded);
      return r && `the ${nat64 ? 'NAT64' : '6to4'} form of ${embedded}, ${r}`;
    }
    return (g[0]! & 0xe000) === 0x2000 ? undefined : 'a reserved address';
  };

  const nameRefusal = (host: string): string | undefined => {
    if (host === 'localhost' || localSuffixes.some((s) => host.endsWith(s))) return `${shown(host)} is a local name`;
    if (metadataNames.has(host)) return `${shown(host)} is a cloud metadata name`;
    if (!host.includes('.')) return `${shown(host)} is a single-label name (resolved through local search domains)`;
    return undefined;
  };

  const check = (url: string | URL): URL => {
    const raw = String(url);
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new OutboundRefused('not a URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new OutboundRefused(`only http and https URLs are called, not ${shown(u.protocol)}`);
    // The WHATWG parser forgives what RFC 3986 does not (http:///x and http:x become http://x/): the URL must say its host.
    if (/[\s\\\p{Cc}]/u.test(raw) || !/^https?:\/\/[^/?#]/i.test(raw)) throw new OutboundRefused('not an absolute http(s) URL with a host');
    if (u.username || u.password) throw new OutboundRefused('a URL with credentials');
    const host = normalHost(u.hostname);
    if (allowedNames.has(host)) return u;
    const reason = isIP(host) ? refusal(host) && `${host} is ${refusal(host)}` : nameRefusal(host);
    if (reason) throw new OutboundRefused(reason);
    return u;
  };

  /**
   * The address to connect to: a literal as written, else the name resolved now, refused if any of its
   * addresses is (a name on the allow-list is not checked). Every request resolves again, and the pool
   * keeps sockets per address, so a socket is reused only while the answer still names its address.
   */
  const addressOf = async (host: string): Promise<string> => {
    if (isIP(host)) return host;
    let all: ResolvedAddress[];
    try {
      all = await resolve(host);
    } catch (err) {
      throw new TypeError('fetch failed', { cause: err });
    }
    const refused = allowedNames.has(host) ? undefined : all.find((a) => refusal(normalHost(a.address)));
    if (refused) throw new OutboundRefused(`${shown(host)} resolves to ${refused.address}, ${refusal(normalHost(refused.address))}`);
    if (!all.length)
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(`no address for ${shown(host)}`), { code: 'ENOTFOUND' }) });
    return normalHost(all[0]!.address);
  };

  const send = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = check(input instanceof Request ? input.url : input);
    const request = plain(input, init) ?? (input instanceof Request ? new Request(input, init) : new Request(url, init));
    // One controller of our own, held by its timer and by the caller's signal, rather than AbortSignal.any
    // or AbortSignal.timeout: Node 20 holds those only weakly, and a collected one never fires (a request
    // to a silent server would then wait forever).
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs);
    timer.unref();
    const caller = request.signal;
    const follow = () => stop.abort(caller.reason);
    if (caller.aborted) follow();
    else caller.addEventListener('abort', follow, { once: true });
    const signal = stop.signal;
    const release = () => {
      clearTimeout(timer);
      caller.removeEventListener('abort', follow);
    };
    signal.throwIfAborted();
    const body = 'payload' in request ? request.payload : request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    if (body) headers['content-length'] = String(body.length);
    const host = normalHost(url.hostname);
    // The timeout and the caller's signal bound the resolution too.
    const address = await new Promise<string>((ok, no) => {
      const stop = () => no(signal.reason);
      signal.addEventListener('abort', stop, { once: true });
      addressOf(host)
        .then(ok, no)
        .finally(() => signal.removeEventListener('abort', stop));
    });
    headers.host = url.host;

    return new Promise<Response>((resolveResponse, reject) => {
      // Until the response is given, an abort rejects it; then it errors the body.
      let abort = (reason: unknown) => reject(reason);
      const onAbort = () => {
        abort(signal.reason);
        req.destroy();
      };
      const finish = () => {
        signal.removeEventListener('abort', onAbort);
        release();
      };
      const fail = (err: unknown) => {
        finish();
        reject(err instanceof TypeError || signal.aborted ? err : new TypeError('fetch failed', { cause: err }));
      };
      const req = (url.protocol === 'https:' ? https : http).request(
        {
          protocol: url.protocol,
          hostname: address,
          port: url.port || undefined,
          // TLS: the name is the one sent (SNI) and the one the certificate must be for.
          ...(isIP(host) ? {} : { servername: host }),
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers,
          agent: pool.agent(url.protocol),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 599) {
            res.destroy();
            return fail(new TypeError(`the server answered with an invalid status ${status}`));
          }
          if (Number(res.headers['content-length']) > maxBodyBytes) {
            res.destroy();
            return fail(new OutboundRefused(`a response body over ${maxBodyBytes} bytes`));
          }
          const responseHeaders = new Headers();
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            try {
              responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            } catch {
              // a header value fetch would not accept either
            }
          }
          const empty = request.method === 'HEAD' || status === 204 || status === 205 || status === 304;
          const stream = empty ? null : bodyStream(res, maxBodyBytes, finish, (a) => (abort = a));
          if (empty) {
            res.on('error', () => undefined); // nothing is read: a reset changes nothing
            res.resume();
            res.on('close', finish);
          }
          let response: Response;
          try {
            response = new Response(stream, { status, statusText: res.statusMessage ?? '', headers: responseHeaders });
          } catch {
            response = new Response(stream, { status, headers: responseHeaders });
          }
          // As fetch's: the URL answered (never a redirect's target).
          Object.defineProperty(response, 'url', { value: request.url });
          resolveResponse(response);
        },
      );
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', fail);
      req.end(body);
    });
  };

  return {
    check: (url) => void check(url),
    fetch: send as typeof globalThis.fetch,
    close: () => pool.destroy(),
  };
}
