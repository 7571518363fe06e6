// Every configuration problem is one line naming the variable, the file and what is wrong.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { loadConfigFiles } from './config-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'renkei-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function problem(config: Parameters<typeof loadConfigFiles>[0]): Promise<string> {
  const err = await loadConfigFiles(config).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  const message = (err as ConfigError).message;
  expect(message).not.toContain('\n');
  return message;
}

const town = { id: 'town', name: '平内町の共通ID', issuer: 'https://id.town.example.jp/', clientId: 'renkei', clientSecret: 's' };

describe('configuration errors', () => {
  it('a bad environment variable: one line naming it', () => {
    expect(() => loadConfig({ PORT: '70000', LOAD_DEFAULT_DATA: 'yes' })).toThrow(ConfigError);
    const message = (() => {
      try {
        loadConfig({ PORT: '70000' });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(/^設定エラー \/ configuration error: 環境変数 \/ environment: PORT: .+$/);
    expect(message).not.toContain('\n');
  });

  it('a file that is missing', async () => {
    const path = join(dir, 'no-such.json');
    expect(await problem({ IDENTITY_FEDERATION: path })).toBe(
      `設定エラー / configuration error: IDENTITY_FEDERATION (${path}): ファイルがありません / no such file`,
    );
  });

  it('a file that cannot be read (a directory)', async () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    expect(await problem({ IDENTITY_CLIENTS: path })).toBe(
      `設定エラー / configuration error: IDENTITY_CLIENTS (${path}): ファイルを読めません / cannot read the file (EISDIR)`,
    );
  });

  it('a file that is not JSON, with the line of the problem', async () => {
    const path = file('contexts.json', '{\n  "https://example.jp/ctx.jsonld": "ctx.jsonld",\n}\n');
    expect(await problem({ NGSI_LD_CONTEXTS: path })).toMatch(
      new RegExp(
        `^設定エラー / configuration error: NGSI_LD_CONTEXTS \\(${path}\\): JSON として読めません / not valid JSON — .+ \\(line 3, column 1\\)$`,
      ),
    );
    expect(await problem({ NGSI_LD_CONTEXTS: file('empty.json', '') })).toContain(
      'JSON として読めません / not valid JSON — Unexpected end of JSON input',
    );
  });

  it('IDENTITY_FEDERATION of the wrong shape names the member', async () => {
    const path = file('federation.json', JSON.stringify([town, { ...town, id: 'Town B', issuer: 'not a url' }]));
    const message = await problem({ IDENTITY_FEDERATION: path });
    expect(message).toMatch(
      new RegExp(`^設定エラー / configuration error: IDENTITY_FEDERATION \\(${path}\\): 形式が正しくありません / wrong shape — `),
    );
    expect(message).toContain('[1].id: ');
    expect(message).toContain('[1].issuer: ');
    expect(await problem({ IDENTITY_FEDERATION: file('object.json', JSON.stringify(town)) })).toContain(
      'wrong shape — (全体 / top level): ',
    );
  });

  it('IDENTITY_CLIENTS of the wrong shape names the member', async () => {
    const path = file('clients.json', JSON.stringify([{ client_secret: 'x' }]));
    expect(await problem({ IDENTITY_CLIENTS: path })).toMatch(
      new RegExp(
        `^設定エラー / configuration error: IDENTITY_CLIENTS \\(${path}\\): 形式が正しくありません / wrong shape — \\[0\\]\\.client_id: `,
      ),
    );
  });

  it('IDENTITY_CLIENTS that oidc-provider would refuse at the first sign-in are refused at start', async () => {
    const path = file(
      'refused-clients.json',
      JSON.stringify([{ client_id: 'svc', client_secret: 's', redirect_uris: 'https://svc.example.jp/cb' }]),
    );
    expect(await problem({ IDENTITY_CLIENTS: path })).toMatch(
      new RegExp(
        `^設定エラー / configuration error: IDENTITY_CLIENTS \\(${path}\\): 形式が正しくありません / wrong shape — \\[0\\] \\(svc\\): redirect_uris must be an array`,
      ),
    );
  });

  it('NGSI_LD_CONTEXTS of the wrong shape: a key that is not a URL, a path that is not a string', async () => {
    expect(await problem({ NGSI_LD_CONTEXTS: file('bad-key.json', JSON.stringify({ 'not a url': 'ctx.jsonld' })) })).toContain(
      'wrong shape — ',
    );
    expect(await problem({ NGSI_LD_CONTEXTS: file('bad-value.json', JSON.stringify({ 'https://example.jp/ctx.jsonld': 3 })) })).toContain(
      'wrong shape — .https://example.jp/ctx.jsonld: ',
    );
  });

  it('each context file of the map: missing, not JSON, not a context document', async () => {
    const url = 'https://example.jp/ctx.jsonld';
    const missing = join(dir, 'missing.jsonld');
    const map = file('map1.json', JSON.stringify({ [url]: missing }));
    expect(await problem({ NGSI_LD_CONTEXTS: map })).toBe(
      `設定エラー / configuration error: NGSI_LD_CONTEXTS (${map}) ${url} (${missing}): ファイルがありません / no such file`,
    );
    const broken = file('broken.jsonld', '{ "@context": { "name": "https://schema.org/name" ');
    const map2 = file('map2.json', JSON.stringify({ [url]: broken }));
    expect(await problem({ NGSI_LD_CONTEXTS: map2 })).toMatch(
      new RegExp(
        `^設定エラー / configuration error: NGSI_LD_CONTEXTS \\(${map2}\\) ${url} \\(${broken}\\): JSON として読めません / not valid JSON — `,
      ),
    );
    const list = file('list.jsonld', '["https://schema.org/"]');
    const map3 = file('map3.json', JSON.stringify({ [url]: list }));
    expect(await problem({ NGSI_LD_CONTEXTS: map3 })).toBe(
      `設定エラー / configuration error: NGSI_LD_CONTEXTS (${map3}) ${url} (${list}): 形式が正しくありません / wrong shape — (全体 / top level): @context を持つ JSON オブジェクトではありません / not a JSON object with an @context member`,
    );
  });

  it('good files are read, each context document under its URL', async () => {
    const url = 'https://example.jp/ctx.jsonld';
    const doc = { '@context': { name: 'https://schema.org/name' } };
    const files = await loadConfigFiles({
      IDENTITY_FEDERATION: file('good-federation.json', JSON.stringify([town])),
      IDENTITY_CLIENTS: file(
        'good-clients.json',
        JSON.stringify([{ client_id: 'svc', client_secret: 's', redirect_uris: ['https://svc.example.jp/cb'] }]),
      ),
      NGSI_LD_CONTEXTS: file('good-map.json', JSON.stringify({ [url]: file('good.jsonld', JSON.stringify(doc)) })),
    });
    expect(files).toEqual({
      federation: [town],
      clients: [{ client_id: 'svc', client_secret: 's', redirect_uris: ['https://svc.example.jp/cb'] }],
      contexts: { [url]: doc },
    });
    expect(await loadConfigFiles({})).toEqual({ federation: undefined, clients: undefined, contexts: {} });
  });
});
