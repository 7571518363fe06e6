// A notification receiver for the broker's tests: an HTTP server on 127.0.0.1 (port 0 unless given)
// that records what it accepted (2xx), refuses the paths in `failing` with 500 and redirects /redirect
// to /redirected (which a notifier must not follow).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}
export async function receiver(port = 0) {
  const accepted: Delivery[] = [];
  const failing = new Set<string>();
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      if (failing.has(req.url!)) return res.writeHead(500).end();
      if (req.url === '/redirect') return res.writeHead(302, { Location: '/redirected' }).end();
      accepted.push({ path: req.url!, headers: req.headers, body: JSON.parse(text) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted,
    failing,
    to: (path: string) => accepted.filter((d) => d.path === path),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
