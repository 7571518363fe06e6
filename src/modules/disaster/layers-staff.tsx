// Staff screens for a municipality's layers (/staff/disaster/layers): choose the municipality, the
// layer and a file; a preview shows the first rows, the count and every row error; confirming imports
// it whole. The confirm form carries the file's text back, and the import reads it again exactly as
// the preview did (the staff member could upload any file anyway, so nothing in it is trusted).
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { FormStatus } from '../../platform/errors.ts';
import type { BrokerModule } from '../broker/index.ts';
import { Csrf, FormAlert, staffPage, submitForm, type StaffEnv } from '../workspace/index.ts';
import { ImportPreview, RowErrors } from './import-preview.tsx';
import { importLayer, readLayerImport, type LayerImport } from './layer-import.ts';
import { isLayerName, layerNames, layers, limits } from './layers.ts';
import { layerMunicipalities } from './rules.ts';
import type { MapDataSource } from './shelters.ts';

const formats = (l: keyof typeof layers) => (layers[l].csv ? 'CSV・GeoJSON' : 'GeoJSON');

export function layerScreens(deps: { broker: Pick<BrokerModule, 'queries' | 'commands'>; map: MapDataSource }) {
  const app = new Hono<StaffEnv>();
  const known = async () => {
    const m = (await deps.map.get()).municipalities;
    return (code: string) => m.has(code);
  };

  async function page(c: Context<StaffEnv>, result?: Child, status: 200 | FormStatus = 200) {
    const mine = layerMunicipalities(c.get('actor'), [...(await deps.map.get()).municipalities.values()]);
    const imported = c.req.query('imported');
    return staffPage(
      c,
      '防災レイヤーの取り込み',
      <>
        <h1>防災レイヤーの取り込み</h1>
        <p>
          医療機関・AED・ハザード区域・高台・道路網を、1レイヤーずつファイルで取り込みます。取り込むと、その市町村の同じレイヤーはファイルの内容に置き換わり、オープンデータとして公開されます。1行でも誤りがあるファイルは取り込みません。
        </p>
        {imported && <p role="status">{`取り込みました（${Number(imported) || 0}件）。`}</p>}
        {result}
        {mine.length === 0 ? (
          <p>取り込める市町村がありません。</p>
        ) : (
          <form method="post" action="/staff/disaster/layers/preview" enctype="multipart/form-data" class="filters">
            <Csrf c={c} />
            <label>
              市町村
              <select name="municipality" required>
                {mine.map((m) => (
                  <option value={m.code}>{m.name}</option>
                ))}
              </select>
            </label>
            <label>
              レイヤー
              <select name="layer" required>
                {layerNames.map((l) => (
                  <option value={l}>{`${layers[l].label}（${formats(l)}）`}</option>
                ))}
              </select>
            </label>
            <label>
              ファイル（CSV は UTF-8 または Shift_JIS、5MBまで）
              <input type="file" name="file" accept=".csv,.geojson,.json" required />
            </label>
            <button type="submit">読み込んで確認する</button>
          </form>
        )}
      </>,
      status,
    );
  }

  /** The form's fields as an import, or a message; the file from the upload or from the confirm form's text. */
  async function input(c: Context<StaffEnv>): Promise<LayerImport | string> {
    const body = await c.req.parseBody();
    const layer = String(body.layer ?? '');
    const municipality = String(body.municipality ?? '');
    if (!isLayerName(layer) || !/^\d{5}$/.test(municipality)) return 'レイヤーと市町村を選んでください。';
    if (body.file instanceof File) {
      if (body.file.size === 0) return 'ファイルを選んでください。';
      if (body.file.size > limits.bytes) return 'ファイルが大きすぎます（5MBまで）。';
      return { layer, municipality, file: { name: body.file.name, bytes: new Uint8Array(await body.file.arrayBuffer()) } };
    }
    const content = String(body.content ?? '');
    if (!content) return 'ファイルを選んでください。';
    return { layer, municipality, file: { name: String(body.fileName ?? 'upload'), bytes: new TextEncoder().encode(content) } };
  }

  app.get('/staff/disaster/layers', (c) => page(c));

  app.post('/staff/disaster/layers/preview', async (c) => {
    const i = await input(c);
    if (typeof i === 'string') return page(c, <FormAlert message={i} />, 400);
    const parsed = readLayerImport(c.get('actor'), await known(), i);
    if (parsed.errors.length) return page(c, <RowErrors errors={parsed.errors} />, 400);
    const m = (await deps.map.get()).municipalities.get(i.municipality)!;
    return page(
      c,
      <ImportPreview
        c={c}
        id="layer-preview"
        heading={`確認: ${m.name}の${layers[i.layer].label}（${parsed.entities.length}件）`}
        lead={`取り込むと、${m.name}の${layers[i.layer].label}はこの${parsed.entities.length}件に置き換わります。`}
        columns={['名称', '住所・種類']}
        rows={parsed.preview.map((p) => ({ row: p.row, name: p.name, cells: [p.detail || '－'] }))}
        action="/staff/disaster/layers/import"
        file={i.file}
        fields={{ layer: i.layer, municipality: i.municipality }}
      />,
    );
  });

  app.post('/staff/disaster/layers/import', async (c) => {
    const i = await input(c);
    if (typeof i === 'string') return page(c, <FormAlert message={i} />, 400);
    const isKnown = await known();
    return submitForm(
      c,
      () => importLayer(deps.broker, c.get('actor'), isKnown, i),
      (message, status) => page(c, <FormAlert message={message} />, status),
      (r) => c.redirect(`/staff/disaster/layers?imported=${r.written}`, 303),
    );
  });
  return app;
}
