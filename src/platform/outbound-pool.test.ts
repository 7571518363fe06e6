// The outbound policy's kept-alive connections (outbound-pool.ts): reused per origin and checked address,
// bounded per origin, and a socket never outlives the DNS answer it was checked on. Real HTTP servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { outbound, OutboundRefused, type ResolvedAddress } from './outbound.ts';

let server: Server;
let port: number;
/** Each connection the server accepted: the local address it arrived at. */
const connections: string[] = [];
let open = 0;
let mostOpen = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    open++;
    mostOpen = Math.max(mostOpen, open);
    req.resume();
    req.on('end', () =>
      setTimeout(
        () => {
          open--;
          res.writeHead(201, { 'Content-Type': 'text/plain' }).end('ok');
        },
        req.url === '/slow' ? 40 : 0,
      ),
    );
  });
  server.on('connection', (s) => connections.push(s.localAddress ?? ''));
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const reset = () => {
  connections.length = 0;
  mostOpen = 0;
};

describe('outbound connection pool', () => {
  it('reuses one kept-alive connection for sequential requests to one origin; another policy has its own', async () => {
    reset();
    const policy = outbound({ allow: ['127.0.0.1'] });
    for (let i = 0; i < 5; i++) {
      const res = await policy.fetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: 'hello' });
      expect(await res.text()).toBe('ok');
    }
    expect(connections).toHaveLength(1);
    const other = outbound({ allow: ['127.0.0.1'] });
    expect((await other.fetch(`http://127.0.0.1:${port}/x`)).status).toBe(201);
    expect(connections).toHaveLength(2);
    policy.close();
    other.close();
  });

  it('opens at most maxSockets connections per origin, the other requests wait for one', async () => {
    reset();
    const policy = outbound({ allow: ['127.0.0.1'], pool: { maxSockets: 2 } });
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const res = await policy.fetch(`http://127.0.0.1:${port}/slow`);
        return `${res.status} ${await res.text()}`;
      }),
    );
    expect(answers).toEqual(Array(8).fill('201 ok'));
    expect(connections).toHaveLength(2);
    expect(mostOpen).toBeLessThanOrEqual(2);
    policy.close();
  });

  it('resolves and checks on every request: a changed answer gets a new socket, a refused one none', async () => {
    reset();
    let answer = '127.0.0.1';
    let asked = 0;
    const resolve = async (host: string): Promise<ResolvedAddress[]> => (
      asked++,
      host === 'push.test' ? [{ address: answer, family: 4 }] : []
    );
    const policy = outbound({ allow: ['127.0.0.0/8'], resolve });
    const url = `http://push.test:${port}/p`;
    expect((await policy.fetch(url)).status).toBe(201);
    expect((await policy.fetch(url)).status).toBe(201);
    expect(connections).toEqual(['127.0.0.1']); // the same answer: the same socket
    answer = '127.0.0.3';
    expect((await policy.fetch(url)).status).toBe(201);
    expect(connections).toEqual(['127.0.0.1', '127.0.0.3']); // a new answer: a new socket, to the new address
    answer = '10.0.0.1';
    await expect(policy.fetch(url)).rejects.toThrow(new OutboundRefused('push.test resolves to 10.0.0.1, a private address'));
    answer = '127.0.0.1';
    expect((await policy.fetch(url)).status).toBe(201);
    expect(connections).toHaveLength(2); // the first socket again: its address is the answer again and was checked
    expect(asked).toBe(5);
    policy.close();
  });

  it('closes an idle connection after idleMs: the next request connects again', async () => {
    reset();
    const policy = outbound({ allow: ['127.0.0.1'], pool: { idleMs: 50 } });
    expect((await policy.fetch(`http://127.0.0.1:${port}/x`)).status).toBe(201);
    await new Promise((r) => setTimeout(r, 200));
    expect((await policy.fetch(`http://127.0.0.1:${port}/x`)).status).toBe(201);
    expect(connections).toHaveLength(2);
    policy.close();
  });
});
