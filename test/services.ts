// Two stand-in citizen services for the common ID's tests: one HTTP receiver that only records the
// authorization redirects it gets, reached under two host names (127.0.0.1 and localhost), so the
// two services have different OIDC sectors (pairwise subjects differ).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SERVICES = ['bousai-app', 'kosodate-app'] as const;

export async function twoServices(audience?: 'residents') {
  const codes: URL[] = [];
  const receiver = createServer((req, res) => {
    const url = new URL(req.url!, `http://${req.headers.host}`);
    if (url.pathname.endsWith('/callback')) codes.push(url);
    res.end('ok');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const redirectUri = (clientId: string) =>
    `${clientId === 'bousai-app' ? url : url.replace('127.0.0.1', 'localhost')}/${clientId}/callback`;
  const clients = SERVICES.map((id) => ({
    client_id: id,
    client_secret: `${id}-secret-for-the-test`,
    redirect_uris: [redirectUri(id)],
    grant_types: ['authorization_code'],
    response_types: ['code' as const],
    subject_type: 'pairwise' as const,
    ...(audience && { audience }),
  }));
  return { codes, clients, redirectUri, close: () => receiver.close() };
}
