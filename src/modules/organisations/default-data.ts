// The registry's Aomori data: the departments and sections named in the prefecture's documents
// (data/aomori/organisations.json, each with its source) and the 40 municipalities of the N03 data.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Db } from '../../platform/db.ts';
import { insertUnits } from './repository.ts';

const unit = { id: z.string().min(1), name: z.string().min(1), provenance: z.string().min(1) };
const file = z.object({
  provenance: z.string(),
  departments: z.array(z.object({ ...unit, sections: z.array(z.object(unit)) })),
});
const n03 = z.object({ features: z.array(z.object({ properties: z.object({ N03_004: z.string(), N03_007: z.string() }) })) });

const N03_SOURCE = '国土数値情報（行政区域データ）N03（国土交通省）';

export async function loadOrganisations(db: Db, dir = new URL('../../../data/aomori/', import.meta.url)) {
  const data = file.parse(JSON.parse(await readFile(new URL('organisations.json', dir), 'utf8')));
  const areas = n03.parse(JSON.parse(await readFile(new URL('N03-21_02_210101.geojson', dir), 'utf8')));
  const rows = data.departments.flatMap((d) => [
    { id: d.id, kind: 'department', name: d.name, parentId: null, provenance: d.provenance },
    ...d.sections.map((s) => ({ id: s.id, kind: 'section', name: s.name, parentId: d.id, provenance: s.provenance })),
  ]);
  // A municipality has several polygons (islands): one unit per code, in code order.
  const municipalities = new Map(areas.features.map((f) => [f.properties.N03_007, f.properties.N03_004]));
  for (const [code, name] of [...municipalities].sort(([a], [b]) => a.localeCompare(b)))
    rows.push({ id: code, kind: 'municipality', name, parentId: null, provenance: N03_SOURCE });
  await insertUnits(
    db,
    rows.map((r, position) => ({ ...r, position })),
  );
}
