// The outbound policy: what may be called as written (table tests of check), and what is refused when
// the connection is made (real HTTP servers on 127.0.0.1, a resolver the test controls).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config.ts';
import { outbound, OutboundRefused, parseAllowList, type ResolvedAddress } from './outbound.ts';

const refusedBy = (o: ReturnType<typeof outbound>, url: string) => {
  try {
    o.check(url);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(OutboundRefused);
    return (e as OutboundRefused).reason;
  }
};

describe('check: refused by default, whatever the notation', () => {
  const policy = outbound({ allow: [] });
  it.each([
    ['http://127.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://127.255.255.254:8080/x', /loopback/],
    ['http://[::1]/', /::1 is a loopback address/],
    ['http://2130706433/', /127\.0\.0\.1 is a loopback/], // decimal
    ['http://0177.0.0.1/', /127\.0\.0\.1 is a loopback/], // octal
    ['http://0x7f.1/', /127\.0\.0\.1 is a loopback/], // hex, short
    ['http://0x7f000001/', /127\.0\.0\.1 is a loopback/],
    ['http://127.1/', /127\.0\.0\.1 is a loopback/], // short
    ['http://%31%32%37.0.0.1/', /127\.0\.0\.1 is a loopback/], // percent-encoded
    ['http://１２７.0.0.1/', /127\.0\.0\.1 is a loopback/], // full-width digits
    ['http://0.0.0.0/', /unspecified/],
    ['http://0/', /unspecified/],
    ['http://[::]/', /unspecified/],
    ['http://10.1.2.3/', /private/],
    ['http://172.16.0.1/', /private/],
    ['http://172.31.255.255/', /private/],
    ['http://192.168.1.1/', /private/],
    ['http://100.64.0.1/', /carrier-grade NAT/],
    ['http://100.100.100.200/', /carrier-grade NAT/], // a cloud's metadata address
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://[fe80::1]/', /link-local/],
    ['http://[fec0::1]/', /site-local/],
    ['http://[fc00::1]/', /unique local/],
    ['http://[fd12:3456::1]/', /unique local/],
    ['http://224.0.0.1/', /multicast/],
    ['http://239.255.255.250/', /multicast/],
    ['http://[ff02::1]/', /multicast/],
    ['http://255.255.255.255/', /broadcast/],
    ['http://240.0.0.1/', /reserved/],
    ['http://192.0.0.8/', /reserved/],
    ['http://192.0.2.1/', /documentation/],
    ['http://198.51.100.1/', /documentation/],
    ['http://203.0.113.1/', /documentation/],
    ['http://198.18.0.1/', /benchmarking/],
    ['http://[2001:db8::1]/', /documentation/],
    ['http://[2001::1]/', /Teredo/],
    ['http://[100::1]/', /discard/],
    ['http://[::ffff:127.0.0.1]/', /IPv4-mapped form of 127\.0\.0\.1, a loopback/],
    ['http://[::ffff:a9fe:a9fe]/', /IPv4-mapped form of 169\.254\.169\.254, a link-local/],
    ['http://[::127.0.0.1]/', /IPv4-compatible/],
    ['http://[::ffff:0:7f00:1]/', /IPv4-translated/],
    ['http://[64:ff9b::127.0.0.1]/', /NAT64 form of 127\.0\.0\.1, a loopback/],
    ['http://[64:ff9b::10.0.0.1]/', /NAT64 form of 10\.0\.0\.1, a private/],
    ['http://[64:ff9b:1::1]/', /local-use NAT64/],
    ['http://[2002:7f00:1::1]/', /6to4 form of 127\.0\.0\.1/],
    ['http://[4000::1]/', /reserved/], // outside global unicast
    ['http://localhost/', /local name/],
    ['http://LOCALHOST:3000/', /local name/],
    ['http://localhost./', /local name/],
    ['http://api.localhost/', /local name/],
    ['http://printer.local/', /local name/],
    ['http://db.internal/', /local name/],
    ['http://router.home.arpa/', /local name/],
    ['http://metadata.google.internal/', /local name/],
    ['http://metadata.goog/', /metadata name/],
    ['http://metadata.tencentyun.com/', /metadata name/],
    ['http://metadata/', /single-label/],
    ['http://instance-data/', /single-label/],
    ['http://intranet:8080/', /single-label/],
    ['ftp://example.jp/x', /only http and https/],
    ['javascript:alert(1)', /only http and https/],
    ['file:///etc/passwd', /only http and https/],
    ['mailto:x@example.jp', /only http and https/],
    ['data:text/plain,x', /only http and https/],
    ['http:///x', /with a host/],
    ['http:x', /with a host/],
    ['http:/example.jp/', /with a host/],
    ['http:\\\\example.jp\\', /with a host/],
    ['http://exa\tmple.jp/', /with a host/],
    [' http://example.jp/', /with a host/],
    ['http://', /not a URL/],
    ['not a url', /not a URL/],
    ['', /not a URL/],
    ['http://user:secret@example.jp/', /credentials/],
    ['http://127.0.0.1@example.jp/', /credentials/],
  ])('%s', (url, reason) => {
    expect(refusedBy(policy, url)).toMatch(reason);
  });

  it.each([
    'http://example.jp/',
    'https://receiver.example.jp:8443/notify?x=1',
    'http://93.184.215.14/',
    'http://8.8.8.8:8080/x',
    'http://172.32.0.1/', // just past 172.16.0.0/12
    'http://100.128.0.1/', // just past 100.64.0.0/10
    'http://169.255.0.1/',
    'http://[2606:4700:4700::1111]/',
    'http://[::ffff:8.8.8.8]/',
    'http://[64:ff9b::8.8.8.8]/',
    'http://[2002:808:808::1]/',
    'http://127.0.0.1.nip.io/', // a name: its addresses are checked when it is called
  ])('allowed: %s', (url) => {
    expect(refusedBy(policy, url)).toBeUndefined();
  });
});

describe('check with OUTBOUND_ALLOW: hosts and CIDRs open what they name, nothing more', () => {
  const policy = outbound({ allow: parseAllowList(' 127.0.0.1, 10.0.0.0/8,receiver.example.jp,fd00::/8 ,metadata,[::1],') });
  it.each([
    'http://127.0.0.1:8080/notify',
    'http://0x7f.0.0.1/',
    'http://2130706433/',
    'http://[::ffff:127.0.0.1]/',
    'http://10.200.0.1/',
    'http://receiver.example.jp/',
    'http://RECEIVER.example.jp./',
    'http://[fd00::5]/',
    'http://[::1]/',
    'http://metadata/',
  ])('opened: %s', (url) => {
    expect(refusedBy(policy, url)).toBeUndefined();
  });
  it.each([
    ['http://127.0.0.2/', /loopback/],
    ['http://192.168.0.1/', /private/],
    ['http://169.254.169.254/', /link-local/],
    ['http://[fc00::1]/', /unique local/],
    ['http://localhost/', /local name/],
    ['http://other.example.jp.localhost/', /local name/],
    ['ftp://receiver.example.jp/', /only http/],
  ])('still refused: %s', (url, reason) => {
    expect(refusedBy(policy, url)).toMatch(reason);
  });

  it('OUTBOUND_ALLOW entries that are not hosts, addresses or CIDRs are named', () => {
    expect(parseAllowList('')).toEqual([]);
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/8/1', 'host/8', 'http://x', 'not a host', 'a..b'])
      expect(() => parseAllowList(`127.0.0.1,${bad}`), bad).toThrow(`"${bad}" is not a host name`);
    expect(() => outbound({ allow: ['10.0.0.0/99'] })).toThrow('10.0.0.0/99');
    expect(loadConfig({ OUTBOUND_ALLOW: '127.0.0.1, receiver.example.jp' }).OUTBOUND_ALLOW).toEqual(['127.0.0.1', 'receiver.example.jp']);
    expect(loadConfig({}).OUTBOUND_ALLOW).toEqual([]);
    expect(() => loadConfig({ OUTBOUND_ALLOW: '10.0.0.0/8,::/200' })).toThrow(/OUTBOUND_ALLOW: "::\/200" is not a host name/);
  });
});

/** A local HTTP server recording the requests it got; `answer` decides the response. */
async function server(
  answer: (req: IncomingMessage, res: ServerResponse, body: string) => void = (_q, s) => s.end('ok'),
  host = '127.0.0.1',
) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    seen,
    close: async () => {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    },
  };
}

describe('fetch: the check is made on the address connected to', () => {
  let rx: Awaited<ReturnType<typeof server>>;
  let next: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    next = await server();
    rx = await server((req, res, body) => {
      if (req.url === '/redirect') return res.writeHead(302, { Location: `${next.url}/stolen` }).end();
      if (req.url === '/big') return res.write('x'.repeat(2048), () => res.end('x'.repeat(2048))); // chunked: no length said
      if (req.url === '/big-declared') return res.writeHead(200, { 'Content-Length': 4096 }).end('x'.repeat(4096));
      if (req.url === '/silent') return; // never answers
      if (req.url === '/empty') return res.writeHead(204).end();
      res.writeHead(201, { 'Content-Type': 'text/plain', 'X-Seen': req.headers['content-type'] ?? '' }).end(`got ${req.method} ${body}`);
    });
  });
  afterAll(async () => {
    await rx.close();
    await next.close();
  });
  const names =
    (table: Record<string, string[]>) =>
    async (host: string): Promise<ResolvedAddress[]> =>
      (table[host] ?? []).map((address) => ({ address, family: 4 }));

  it('a receiver on 127.0.0.1 is refused without the allow-list (it sees nothing) and reached with OUTBOUND_ALLOW=127.0.0.1', async () => {
    const before = rx.seen.length;
    await expect(outbound({ allow: [] }).fetch(`${rx.url}/notify`, { method: 'POST', body: 'x' })).rejects.toThrow(OutboundRefused);
    expect(rx.seen.length).toBe(before);

    const send: typeof fetch = outbound({ allow: ['127.0.0.1'] }).fetch;
    const res = await send(`${rx.url}/notify?a=1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"n":1}' });
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${rx.url}/notify?a=1`);
    expect(res.headers.get('x-seen')).toBe('application/json');
    expect(await res.text()).toBe('got POST {"n":1}');
    expect(rx.seen.at(-1)).toMatchObject({ method: 'POST', url: '/notify?a=1', body: '{"n":1}' });
    expect(rx.seen.at(-1)!.headers['content-length']).toBe('7');
  });

  it('the IPv6 loopback too: refused, reached with OUTBOUND_ALLOW=::1, and a name resolving to it is refused', async () => {
    const v6 = await server(undefined, '::1');
    try {
      await expect(outbound({ allow: ['127.0.0.1'] }).fetch(`${v6.url}/`)).rejects.toThrow('::1 is a loopback address');
      const resolve = async (): Promise<ResolvedAddress[]> => [{ address: '::1', family: 6 }];
      await expect(outbound({ allow: ['127.0.0.1'], resolve }).fetch(`http://six.test:${v6.port}/`)).rejects.toThrow(
        'six.test resolves to ::1, a loopback address',
      );
      expect(v6.seen).toEqual([]);
      expect(await (await outbound({ allow: ['::1'] }).fetch(`${v6.url}/`)).text()).toBe('ok');
      expect(await (await outbound({ allow: ['::1/128'], resolve }).fetch(`http://six.test:${v6.port}/`)).text()).toBe('ok');
      expect(v6.seen).toHaveLength(2);
    } finally {
      await v6.close();
    }
  });

  it('takes a Request as fetch does, and gives no body for 204', async () => {
    const send = outbound({ allow: ['127.0.0.1'] }).fetch;
    const res = await send(new Request(`${rx.url}/put`, { method: 'PUT', body: 'abc' }));
    expect(await res.text()).toBe('got PUT abc');
    const empty = await send(`${rx.url}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('a 302 is returned as it is, never followed: the server it points to sees no request', async () => {
    const res = await outbound({ allow: ['127.0.0.1'] }).fetch(`${rx.url}/redirect`, { method: 'POST', body: 'x', redirect: 'follow' });
    expect(res.status).toBe(302);
    expect(res.ok).toBe(false);
    expect(res.headers.get('location')).toBe(`${next.url}/stolen`);
    await new Promise((r) => setTimeout(r, 100));
    expect(next.seen).toEqual([]);
  });

  it('DNS rebinding: a name that resolves to a refused address when it is called is refused, though its URL passed the check', async () => {
    let calls = 0;
    const flipping = async (host: string) =>
      host === 'rebind.test' ? [{ address: ++calls === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }] : [];
    const policy = outbound({ allow: ['127.0.0.1'], resolve: flipping });
    const url = `http://rebind.test:${rx.port}/rebind`;
    expect(() => policy.check(url)).not.toThrow();
    // Each request resolves again when it connects: the first lands on 127.0.0.1, the second on 127.0.0.2.
    expect((await policy.fetch(url)).status).toBe(201);
    await expect(policy.fetch(url)).rejects.toThrow('rebind.test resolves to 127.0.0.2, a loopback address');
    expect(rx.seen.filter((s) => s.url === '/rebind')).toHaveLength(1);
  });

  it('one refused address among those a name resolves to refuses it; a name on the allow-list is not checked', async () => {
    const resolve = names({ 'mixed.test': ['127.0.0.1', '127.0.0.2'], 'receiver.test': ['127.0.0.1'], 'nowhere.test': [] });
    const before = rx.seen.length;
    await expect(outbound({ allow: ['127.0.0.1'], resolve }).fetch(`http://mixed.test:${rx.port}/`)).rejects.toThrow(/127\.0\.0\.2/);
    expect(rx.seen.length).toBe(before);
    const byName = outbound({ allow: ['receiver.test'], resolve });
    expect((await byName.fetch(`http://receiver.test:${rx.port}/named`)).status).toBe(201);
    await expect(byName.fetch(`http://127.0.0.1:${rx.port}/`)).rejects.toThrow(OutboundRefused);
    const unknown = await outbound({ allow: ['127.0.0.1'], resolve })
      .fetch(`http://nowhere.test:${rx.port}/`)
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(TypeError);
    expect((unknown as TypeError).message).toBe('fetch failed');
  });

  it('bounded: the timeout and init.signal abort; a body over maxBodyBytes fails', async () => {
    const policy = outbound({ allow: ['127.0.0.1'], timeoutMs: 200, maxBodyBytes: 1024 });
    const started = Date.now();
    await expect(policy.fetch(`${rx.url}/silent`)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2000);
    const controller = new AbortController();
    const pending = policy.fetch(`${rx.url}/silent`, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    await expect(policy.fetch(`${rx.url}/big-declared`)).rejects.toThrow('a response body over 1024 bytes');
    const big = await policy.fetch(`${rx.url}/big`);
    await expect(big.text()).rejects.toThrow('a response body over 1024 bytes');
  });

  it('refuses before anything is sent: not http(s), no host, a refused literal address', async () => {
    const policy = outbound({ allow: [] });
    for (const url of ['ftp://127.0.0.1/', 'http:///x', `http://[::ffff:127.0.0.1]:${rx.port}/`, `http://2130706433:${rx.port}/`])
      await expect(policy.fetch(url), url).rejects.toThrow(OutboundRefused);
  });
});
