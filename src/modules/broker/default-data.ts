// The Aomori open data on the broker (default tenant): the 40 municipalities with their boundaries,
// 指定緊急避難場所 (EmergencyEvacuationSite) and 指定避難所 (EvacuationShelter). See docs/ngsi-ld.md.
// Sources: 国土数値情報（行政区域データ）N03 (国土交通省); 国土地理院「指定緊急避難場所・指定避難所データ」.
import { readdir, readFile } from 'node:fs/promises';
import type { Db } from '../../platform/db.ts';
import { termMap } from './context.ts';
import { toStored, type StoredEntity } from './entity.ts';
import { countEntities } from './repository.ts';
import type { EntityStore } from './store.ts';

const dir = new URL('../../../data/aomori/', import.meta.url);

/** Hazard columns of the 指定緊急避難場所 data -> property names. */
export const hazards: Record<string, string> = {
  洪水: 'flood',
  '崖崩れ、土石流及び地滑り': 'landslide',
  高潮: 'stormSurge',
  地震: 'earthquake',
  津波: 'tsunami',
  大規模な火事: 'largeFire',
  内水氾濫: 'inlandFlooding',
  火山現象: 'volcano',
};

type Feature = { geometry: { type: string; coordinates: unknown }; properties: Record<string, string | number | null> };
const prop = (value: unknown) => ({ type: 'Property', value });
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const municipalityId = (code5: string) => `urn:ngsi-ld:Municipality:${code5}`;

export async function aomoriEntities(now: string): Promise<StoredEntity[]> {
  const map = termMap(undefined, () => undefined);
  const out: StoredEntity[] = [];
  const n03 = JSON.parse(await readFile(new URL('N03-21_02_210101.geojson', dir), 'utf8')) as { features: Feature[] };
  const byCode = new Map<string, { name: string; polygons: unknown[] }>();
  for (const f of n03.features) {
    const code = String(f.properties.N03_007);
    const m = byCode.get(code) ?? { name: String(f.properties.N03_004), polygons: [] };
    m.polygons.push(...(f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : (f.geometry.coordinates as unknown[])));
    byCode.set(code, m);
  }
  for (const [code, m] of byCode) {
    out.push(
      toStored(
        {
          id: municipalityId(code),
          type: 'Municipality',
          name: prop(m.name),
          code: prop(code),
          location: { type: 'GeoProperty', value: { type: 'MultiPolygon', coordinates: m.polygons } },
        },
        map,
        now,
      ),
    );
  }
  for (const [kind, type] of [
    ['emergency', 'EmergencyEvacuationSite'],
    ['evacuation', 'EvacuationShelter'],
  ] as const) {
    const folder = new URL(`shelters/${kind}/`, dir);
    for (const file of (await readdir(folder)).sort()) {
      const doc = JSON.parse(await readFile(new URL(file, folder), 'utf8')) as { type: string; features?: Feature[] };
      if (!doc.features) continue; // e.g. 023612 藤崎町: its data is not published
      const municipality = municipalityId(file.slice(0, 5));
      for (const f of doc.features) {
        const p = f.properties;
        const entity: Record<string, unknown> = {
          id: `urn:ngsi-ld:${type}:${p['共通ID']}`,
          type,
          name: prop(p['施設・場所名']),
          address: prop(p['住所']),
          location: { type: 'GeoProperty', value: f.geometry },
          municipality: { type: 'Relationship', object: municipality },
          source: prop('国土地理院「指定緊急避難場所・指定避難所データ」'),
        };
        if (kind === 'emergency') {
          entity.hazards = prop(
            Object.entries(hazards)
              .filter(([col]) => p[col] === '1')
              .map(([, name]) => name),
          );
          entity.sameAddressAsShelter = prop(p['指定避難所との住所同一'] === '1');
        } else {
          entity.sameAddressAsEvacuationSite = prop(p['指定緊急避難場所との住所同一'] === '1');
          if (text(p['受入対象者'])) entity.intendedFor = prop(text(p['受入対象者']));
          if (text(p['その他市町村長が必要と認める事項'])) entity.otherNotes = prop(text(p['その他市町村長が必要と認める事項']));
        }
        if (text(p['備考'])) entity.remarks = prop(text(p['備考']));
        out.push(toStored(entity, map, now));
      }
    }
  }
  return out;
}

/** Loads the Aomori entities into the default tenant when it is empty. */
export async function loadAomoriIfEmpty(db: Db, store: EntityStore): Promise<boolean> {
  if ((await countEntities(db, '')) > 0) return false;
  await store.create('', await aomoriEntities(new Date().toISOString()));
  return true;
}
