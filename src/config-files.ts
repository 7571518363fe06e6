// The JSON files the configuration names (IDENTITY_FEDERATION, RESIDENT_MYNUMBER_PROVIDER, IDENTITY_CLIENTS, NGSI_LD_CONTEXTS and
// the context documents that map names), read and checked before anything starts: a problem is one
// line naming the variable, the file and what is wrong.
import { readFile } from 'node:fs/promises';
import { generateKeyPairSync } from 'node:crypto';
import Provider, { type Adapter, type ClientMetadata } from 'oidc-provider';
import { z } from 'zod';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';
import { federatedProvider, type FederatedProvider } from './modules/identity/index.ts';
import { mynumberProvider, type MynumberProvider } from './modules/residents/index.ts';

export interface ConfigFiles {
  federation?: FederatedProvider[];
  mynumber?: MynumberProvider;
  clients?: ClientMetadata[];
  /** @context URL -> its document. */
  contexts: Record<string, unknown>;
}

const clients = z.array(z.object({ client_id: z.string().min(1) }).passthrough());
const contextMap = z.record(z.url(), z.string().min(1));
// A remote context is a JSON object with an @context member (JSON-LD 1.1 API, "invalid remote context").
const contextDocument = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && '@context' in v,
  '@context を持つ JSON オブジェクトではありません / not a JSON object with an @context member',
);

function fail(where: string, problem: string): never {
  throw new ConfigError(`設定エラー / configuration error: ${where}: ${problem}`);
}

/** V8's JSON errors give a position; people look for a line. */
function jsonProblem(err: SyntaxError, text: string): string {
  const at = /at position (\d+)/.exec(err.message);
  if (!at || /line \d+/.test(err.message)) return err.message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return `${err.message} (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

/** Reads one JSON file and checks its shape; `where` names it in messages, e.g. `NGSI_LD_CONTEXTS (/etc/renkei/contexts.json)`. */
export async function readJsonFile<T extends z.ZodTypeAny>(where: string, path: string, schema: T): Promise<z.infer<T>> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(
      where,
      code === 'ENOENT' ? 'ファイルがありません / no such file' : `ファイルを読めません / cannot read the file (${code ?? String(err)})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fail(where, `JSON として読めません / not valid JSON — ${jsonProblem(err as SyntaxError, text)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map(
        (i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') || '(全体 / top level)'}: ${i.message}`,
      );
    fail(where, `形式が正しくありません / wrong shape — ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** Stores nothing: the provider below only checks client metadata. */
class NoStorage implements Adapter {
  upsert = async () => {};
  find = async () => undefined;
  findByUid = async () => undefined;
  findByUserCode = async () => undefined;
  consume = async () => {};
  destroy = async () => {};
  revokeByGrantId = async () => {};
}

/**
 * oidc-provider checks a client's metadata only when the client is first used (a sign-in, long after
 * start): checked here by a provider of its own, configured enough not to warn.
 */
async function checkClients(where: string, list: ClientMetadata[]) {
  const provider = new Provider('https://renkei.invalid/id', {
    clients: list.map((c) => ({ id_token_signed_response_alg: 'ES256', ...c })),
    adapter: NoStorage,
    jwks: { keys: [{ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), alg: 'ES256' } as never] },
    extraClientMetadata: { properties: ['broker_scope'] },
    features: { devInteractions: { enabled: false } },
  });
  for (const [i, client] of list.entries()) {
    await provider.Client.find(client.client_id).catch((err: { error_description?: string; message: string }) =>
      fail(where, `形式が正しくありません / wrong shape — [${i}] (${client.client_id}): ${err.error_description ?? err.message}`),
    );
  }
}

export async function loadConfigFiles(
  config: Pick<Config, 'IDENTITY_FEDERATION' | 'IDENTITY_CLIENTS' | 'NGSI_LD_CONTEXTS'> &
    Partial<Pick<Config, 'RESIDENT_MYNUMBER_PROVIDER'>>,
): Promise<ConfigFiles> {
  const named = (variable: string, path: string) => `${variable} (${path})`;
  const federation = config.IDENTITY_FEDERATION
    ? await readJsonFile(named('IDENTITY_FEDERATION', config.IDENTITY_FEDERATION), config.IDENTITY_FEDERATION, z.array(federatedProvider))
    : undefined;
  const mynumber = config.RESIDENT_MYNUMBER_PROVIDER
    ? await readJsonFile(
        named('RESIDENT_MYNUMBER_PROVIDER', config.RESIDENT_MYNUMBER_PROVIDER),
        config.RESIDENT_MYNUMBER_PROVIDER,
        mynumberProvider,
      )
    : undefined;
  let trusted: ClientMetadata[] | undefined;
  if (config.IDENTITY_CLIENTS) {
    const where = named('IDENTITY_CLIENTS', config.IDENTITY_CLIENTS);
    trusted = (await readJsonFile(where, config.IDENTITY_CLIENTS, clients)) as ClientMetadata[];
    await checkClients(where, trusted);
  }
  const contexts: Record<string, unknown> = {};
  if (config.NGSI_LD_CONTEXTS) {
    const where = named('NGSI_LD_CONTEXTS', config.NGSI_LD_CONTEXTS);
    const map = await readJsonFile(where, config.NGSI_LD_CONTEXTS, contextMap);
    for (const [url, path] of Object.entries(map)) contexts[url] = await readJsonFile(`${where} ${url} (${path})`, path, contextDocument);
  }
  return { federation, mynumber, clients: trusted, contexts };
}
