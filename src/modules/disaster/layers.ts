// Municipalities' own layers (issue 13 point 3): 医療機関, AED, hazard areas, high ground and the road
// network, read from a CSV or GeoJSON file into broker entities, every problem reported by row in
// Japanese. Nothing here writes: the import command (layer-import.ts) writes what this accepts.
//
// CSV columns: the 推奨データセット / 自治体標準オープンデータセット layouts 「医療機関一覧」 and
// 「AED設置箇所一覧」 as published in NEC-FIWARE/smart-data-models (cio/01_AED設置箇所一覧, cio/03_医療機関一覧,
// datamodels.md): 都道府県コード又は市区町村コード, NO, 名称, 名称_カナ, 住所, 方書, 緯度, 経度, 電話番号,
// 設置位置 (AED), 医療機関の種類, 診療科目, 病床数 (医療機関), 備考 … The newer デジタル庁 edition's 全国地方公共団体コード
// and ID are accepted as the same columns (their exact current list could not be verified here).
// Polygons and lines come only as GeoJSON (RFC 7946).
import { readCsv } from '../../platform/csv.ts';
import { decodeText } from '../../platform/text.ts';
import type { LocalEntity } from '../broker/index.ts';

export const layerNames = ['medical', 'aed', 'hazard-areas', 'high-ground', 'roads'] as const;
export type LayerName = (typeof layerNames)[number];
export const isLayerName = (s: unknown): s is LayerName => typeof s === 'string' && (layerNames as readonly string[]).includes(s);

type Geometry = 'Point' | 'Polygon' | 'LineString';
interface Layer {
  type: string;
  label: string;
  geometry: Geometry[];
  /** CSV allowed (points only): the columns copied, as property name ← column headers. */
  csv?: Record<string, string[]>;
  nameRequired: boolean;
}

// Column names of the 推奨データセット (2017–, 都道府県コード又は市区町村コード / NO) and of デジタル庁's
// 自治体標準オープンデータセット (全国地方公共団体コード / ID); either header is taken, in any order.
const common = {
  nameKana: ['名称_カナ'],
  address: ['住所'],
  addressDetail: ['方書'],
  phone: ['電話番号'],
  url: ['URL'],
  note: ['備考'],
  localId: ['NO', 'No', 'ID'],
};
/** The column naming the publishing body: 6 digits (全国地方公共団体コード with its check digit) or 5. */
const bodyCodeColumns = ['全国地方公共団体コード', '都道府県コード又は市区町村コード', '市区町村コード'];
export const layers: Record<LayerName, Layer> = {
  medical: {
    type: 'MedicalFacility',
    label: '医療機関',
    geometry: ['Point'],
    csv: {
      ...common,
      category: ['医療機関の種類'],
      days: ['診療曜日'],
      opens: ['診療開始時間'],
      closes: ['診療終了時間'],
      hoursNote: ['診療日時特記事項'],
      afterHours: ['時間外における対応'],
      departments: ['診療科目'],
      beds: ['病床数'],
    },
    nameRequired: true,
  },
  aed: {
    type: 'Aed',
    label: 'AED',
    geometry: ['Point'],
    csv: {
      ...common,
      placement: ['設置位置'],
      days: ['利用可能曜日'],
      opens: ['開始時間'],
      closes: ['終了時間'],
      hoursNote: ['利用可能日時特記事項'],
      pediatric: ['小児対応設備の有無'],
    },
    nameRequired: true,
  },
  'hazard-areas': { type: 'HazardArea', label: 'ハザード区域', geometry: ['Polygon'], nameRequired: false },
  'high-ground': { type: 'HighGround', label: '高台', geometry: ['Point', 'Polygon'], nameRequired: true },
  roads: { type: 'RoadSegment', label: '道路網', geometry: ['LineString'], nameRequired: false },
};

/** The hazards a HazardArea names (浸水想定区域, 土砂災害警戒区域, 津波浸水想定), by key or by its Japanese name. */
export const areaHazards = { flood: '浸水想定区域', landslide: '土砂災害警戒区域', tsunami: '津波浸水想定' } as const;
const hazardOf = (v: unknown) => (Object.keys(areaHazards) as (keyof typeof areaHazards)[]).find((k) => v === k || v === areaHazards[k]);

export const limits = { bytes: 5_000_000, rows: 5000, vertices: 200_000, verticesPerFeature: 20_000, depth: 8, text: 500 };
/** Aomori prefecture with a margin (its islands included): coordinates outside are a mistake. */
export const AOMORI_BOX = [139.4, 40.1, 141.8, 41.7] as const;

export interface RowError {
  row: number;
  message: string;
}
export interface Parsed {
  entities: LocalEntity[];
  errors: RowError[];
  /** The first rows as read, for the preview. */
  preview: { row: number; name: string; detail: string }[];
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v.trim() || undefined : typeof v === 'number' ? String(v) : undefined;

/** Why a text value is refused, or undefined: control characters, a spreadsheet formula, or too long. */
function badText(v: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) return '制御文字が含まれています';
  if (/^[=+\-@\t\r]/.test(v)) return '数式として読まれる文字（= + - @）で始まっています';
  if (v.length > limits.text) return `${limits.text}文字を超えています`;
  return undefined;
}

const inBox = ([lon, lat]: number[]) => lon! >= AOMORI_BOX[0] && lon! <= AOMORI_BOX[2] && lat! >= AOMORI_BOX[1] && lat! <= AOMORI_BOX[3];

/** Checks a GeoJSON geometry of the layer; returns its vertex count or an error in Japanese. */
function checkGeometry(g: unknown, allowed: Geometry[]): number | string {
  const geom = g as { type?: unknown; coordinates?: unknown } | null;
  if (!geom || typeof geom !== 'object' || !allowed.includes(geom.type as Geometry))
    return `形状が正しくありません（${allowed.join('・')}のみ）`;
  const position = (p: unknown) =>
    Array.isArray(p) && (p.length === 2 || p.length === 3) && p.every((n) => typeof n === 'number' && Number.isFinite(n));
  const ring = (r: unknown, min: number) => Array.isArray(r) && r.length >= min && r.every(position);
  const c = geom.coordinates;
  let points: number[][];
  if (geom.type === 'Point') {
    if (!position(c)) return '座標が正しくありません';
    points = [c as number[]];
  } else if (geom.type === 'LineString') {
    if (!ring(c, 2)) return '線の座標が正しくありません（2点以上）';
    points = c as number[][];
  } else {
    if (!Array.isArray(c) || !c.length || !c.every((r) => ring(r, 4))) return '多角形の座標が正しくありません';
    const rings = c as number[][][];
    if (rings.some((r) => r[0]![0] !== r.at(-1)![0] || r[0]![1] !== r.at(-1)![1])) return '多角形の輪が閉じていません';
    points = rings.flat();
  }
  if (points.length > limits.verticesPerFeature) return `頂点が多すぎます（${limits.verticesPerFeature}まで）`;
  if (!points.every(inBox)) return '座標が青森県の範囲外です（経度・緯度の順か確認してください）';
  return points.length;
}

interface Row {
  row: number;
  props: Record<string, unknown>;
  geometry: unknown;
}

function toEntities(layer: LayerName, code: string, source: string, rows: Row[], errors: RowError[]): Parsed {
  const def = layers[layer];
  const entities: LocalEntity[] = [];
  const preview: Parsed['preview'] = [];
  const ids = new Set<string>();
  let vertices = 0;
  for (const { row, props, geometry } of rows) {
    const problems: string[] = [];
    const name = text(props.name);
    if (def.nameRequired && !name) problems.push('名称がありません');
    const g = checkGeometry(geometry, def.geometry);
    if (typeof g === 'string') problems.push(g);
    else vertices += g;
    const hazard = layer === 'hazard-areas' ? hazardOf(text(props.hazard)) : undefined;
    if (layer === 'hazard-areas' && !hazard) problems.push(`災害の種類が不明です（${Object.values(areaHazards).join('・')}）`);
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...props, name })) {
      const t = text(v);
      if (!t || k === 'hazard') continue;
      const bad = badText(t);
      if (bad) problems.push(`${k}: ${bad}`);
      else values[k] = t;
    }
    const localId = values.localId ?? String(row);
    const id = `urn:ngsi-ld:${def.type}:${code}-${localId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    if (ids.has(id)) problems.push(`番号（NO/ID）「${localId}」が重複しています`);
    ids.add(id);
    if (problems.length) {
      errors.push(...problems.map((message) => ({ row, message })));
      continue;
    }
    const label = values.name ?? (hazard ? areaHazards[hazard] : `${def.label} ${localId}`);
    const entity: LocalEntity = {
      id,
      type: def.type,
      name: { type: 'Property', value: label },
      location: { type: 'GeoProperty', value: geometry },
      municipality: { type: 'Relationship', object: `urn:ngsi-ld:Municipality:${code}` },
      source: { type: 'Property', value: source },
    };
    for (const [k, v] of Object.entries(values)) if (k !== 'name' && k !== 'localId') entity[k] = { type: 'Property', value: v };
    if (hazard) entity.hazard = { type: 'Property', value: hazard };
    entities.push(entity);
    if (preview.length < 10) preview.push({ row, name: label, detail: values.address ?? (hazard ? areaHazards[hazard] : '') });
  }
  if (rows.length > limits.rows) errors.unshift({ row: 0, message: `行（地物）が多すぎます（${limits.rows}まで）` });
  if (vertices > limits.vertices) errors.unshift({ row: 0, message: `頂点の合計が多すぎます（${limits.vertices}まで）` });
  if (!rows.length && !errors.length) errors.push({ row: 0, message: 'データが1件もありません' });
  return { entities: errors.length ? [] : entities, errors, preview };
}

/**
 * Whether a file's 全国地方公共団体コード (or the older 都道府県コード又は市区町村コード) names the municipality
 * or its prefecture (a prefecture's file, e.g. 020001): its first five digits, and the check digit when it
 * has six (JIS X 0402: 11 − (6d₁+5d₂+4d₃+3d₄+2d₅) mod 11, last digit).
 */
export function bodyCodeFits(value: string, municipality: string): boolean {
  const v = value.trim();
  if (!/^\d{5}\d?$/.test(v)) return false;
  const d = [...v].map(Number);
  if (v.length === 6 && (11 - ((6 * d[0]! + 5 * d[1]! + 4 * d[2]! + 3 * d[3]! + 2 * d[4]!) % 11)) % 10 !== d[5]) return false;
  return v.slice(0, 5) === municipality || v.slice(0, 5) === `${municipality.slice(0, 2)}000`;
}

function csvRows(layer: LayerName, code: string, body: string, errors: RowError[]): Row[] {
  const columns = layers[layer].csv;
  if (!columns) {
    errors.push({ row: 0, message: `${layers[layer].label}はGeoJSONで取り込んでください（CSVは点のデータだけです）` });
    return [];
  }
  // A field up to 10,000 characters is read, and then held to limits.text with its row named (badText).
  const read = readCsv(body, { maxRows: limits.rows, maxFields: 200, maxField: 10_000, unit: '件' });
  if ('error' in read) {
    errors.push({ row: 0, message: read.error });
    return [];
  }
  const [head, ...records] = read.records;
  const header = (head?.cells ?? []).map((h) => h.trim());
  const at = (names: string[]) => header.findIndex((h) => names.includes(h));
  const nameAt = at(['名称']);
  const lat = at(['緯度']);
  const lon = at(['経度']);
  if (nameAt < 0 || lat < 0 || lon < 0) {
    errors.push({ row: 1, message: '見出し行に「名称」「緯度」「経度」の列が必要です' });
    return [];
  }
  const rows: Row[] = [];
  for (const { line, cells: c } of records) {
    if (c.length === 1 && !c[0]!.trim()) continue;
    const bodyCode = at(bodyCodeColumns) >= 0 ? (c[at(bodyCodeColumns)] ?? '').trim() : '';
    if (bodyCode && !bodyCodeFits(bodyCode, code))
      errors.push({ row: line, message: `全国地方公共団体コード「${bodyCode.slice(0, 10)}」がこの市町村（${code}）のものではありません` });
    const props: Record<string, unknown> = { name: c[nameAt] };
    for (const [prop, names] of Object.entries(columns)) if (at(names) >= 0) props[prop] = c[at(names)];
    const num = (s: string | undefined) => (s && /^\s*\d{1,3}(\.\d{1,12})?\s*$/.test(s) ? Number(s) : NaN);
    const point = [num(c[lon]), num(c[lat])];
    rows.push({ row: line, props, geometry: { type: 'Point', coordinates: point.some(Number.isNaN) ? null : point } });
  }
  return rows;
}

function geojsonRows(layer: LayerName, body: string, errors: RowError[]): Row[] {
  // Only known properties become attributes (any other name could be no valid NGSI-LD attribute name).
  const known = new Set([
    'name',
    'address',
    'addressDetail',
    'hazard',
    'localId',
    'note',
    'phone',
    ...Object.keys(layers[layer].csv ?? {}),
  ]);
  const rename: Record<string, string> = { 名称: 'name', 住所: 'address', 種類: 'hazard', NO: 'localId', ID: 'localId', id: 'localId' };
  // Nesting is counted before parsing: JSON.parse of a deeply nested file would exhaust the stack.
  let depth = 0;
  let max = 0;
  for (const ch of body.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if (ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ']' || ch === '}') depth--;
  }
  if (max > limits.depth) {
    errors.push({ row: 0, message: `入れ子が深すぎます（${limits.depth}段まで）` });
    return [];
  }
  let doc: { type?: unknown; features?: unknown };
  try {
    doc = JSON.parse(body) as typeof doc;
  } catch {
    errors.push({ row: 0, message: 'GeoJSONとして読めません' });
    return [];
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    errors.push({ row: 0, message: 'GeoJSONのFeatureCollectionではありません' });
    return [];
  }
  return doc.features.slice(0, limits.rows + 1).map((f: { properties?: unknown; geometry?: unknown }, k) => {
    const p = (f && typeof f.properties === 'object' && f.properties) || {};
    const props: Record<string, unknown> = {};
    // The same names as the CSV columns, or their property names (name, address, hazard ...).
    for (const [key, v] of Object.entries(p as Record<string, unknown>)) {
      const k = rename[key] ?? key;
      if (known.has(k)) props[k] = v;
    }
    return { row: k + 1, props, geometry: f?.geometry };
  });
}

/** Reads an uploaded file (CSV in UTF-8 or CP932, or GeoJSON) of one layer for a municipality. */
export function parseLayerFile(layer: LayerName, code: string, file: { name: string; bytes: Uint8Array }): Parsed {
  const errors: RowError[] = [];
  // The preview's text may be larger than the file it came from (CP932 grows in UTF-8); the upload itself is held to limits.bytes.
  if (file.bytes.length > limits.bytes * 2)
    return { entities: [], errors: [{ row: 0, message: 'ファイルが大きすぎます（5MBまで）' }], preview: [] };
  const { text: body } = decodeText(file.bytes);
  const isCsv = /\.csv$/i.test(file.name);
  const rows = isCsv ? csvRows(layer, code, body, errors) : geojsonRows(layer, body, errors);
  const source = `${isCsv ? 'CSV' : 'GeoJSON'}: ${file.name.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 100)}`;
  return toEntities(layer, code, source, rows, errors);
}
