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
 * The address rules (ranges, names, the allow-list) are in outbound-address.ts.
 *
 * `check(url)` applies the same rules to the URL as written, without resolving it: what can be refused
 * when an address is stored (a subscription's endpoint) rather than when it is called.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { addressRules, normalHost, parseAllowList, shown } from './outbound-address.ts';
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

import { isIP } from 'node:net';

export { parseAllowList };

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
  const { allowedNames, refusal, nameRefusal } = addressRules(options.allow);

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
