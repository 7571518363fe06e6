// The import of one layer of one municipality: the file read again (the preview page shows the same
// reading), then every entity written to the municipality's own tenant and published to the open data
// tenant, and that municipality's previous entities of the layer which the file no longer has deleted,
// with the audit entry — all in one broker transaction, so a failed import changes nothing.
import { appendAudit } from '../../platform/audit.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';
import type { BrokerModule } from '../broker/index.ts';
import { layers, parseLayerFile, type LayerName, type Parsed } from './layers.ts';
import { canManageLayers } from './rules.ts';

export interface LayerImport {
  layer: LayerName;
  /** 5-digit municipality code */
  municipality: string;
  file: { name: string; bytes: Uint8Array };
}

/** Reads the file as the actor may import it: 404 for a municipality they do not act for. */
export function readLayerImport(actor: Actor, known: (code: string) => boolean, input: LayerImport): Parsed {
  if (!known(input.municipality) || !canManageLayers(actor, input.municipality)) throw notFound('市町村');
  return parseLayerFile(input.layer, input.municipality, input.file);
}

export async function importLayer(
  broker: Pick<BrokerModule, 'queries' | 'commands'>,
  actor: Actor,
  known: (code: string) => boolean,
  input: LayerImport,
): Promise<{ written: number; removed: number }> {
  const parsed = readLayerImport(actor, known, input);
  if (parsed.errors.length) throw badRequest(`ファイルに誤りが${parsed.errors.length}件あります。取り込みませんでした。`);
  const { type } = layers[input.layer];
  const ref = `urn:ngsi-ld:Municipality:${input.municipality}`;
  const keep = new Set(parsed.entities.map((e) => e.id));
  const ops: Parameters<BrokerModule['commands']['batch']>[0] = [];
  let removed = 0;
  for (const tenant of [input.municipality, '']) {
    const before = await broker.queries.entities(tenant, { types: [type], limit: 100_000 }, true);
    for (const e of before) {
      if (e.municipality !== ref || keep.has(e.id)) continue;
      ops.push({ tenant, remove: e.id });
      if (tenant === '') removed++;
    }
    for (const put of parsed.entities) ops.push({ tenant, put });
  }
  await broker.commands.batch(ops, (tx) =>
    appendAudit(tx, {
      actorId: actor.id,
      action: 'import_disaster_layer',
      entity: 'disaster_layer',
      entityId: `${input.municipality}/${input.layer}`,
      after: { written: parsed.entities.length, removed, source: input.file.name },
    }),
  );
  return { written: parsed.entities.length, removed };
}
