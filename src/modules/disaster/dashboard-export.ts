// The dashboard's figures as CSV for Excel, shaped after the items of 内閣府「災害対応基本共有情報（EEI）」
// (避難所の開設状況, 道路・交通, ライフライン, 被害の発生場所): the bridge to SOBO-WEB (the national
// disaster information system), which has no public API to post to — staff upload or transcribe
// these files. One row per item, with its municipality code, its time and its source, so every figure
// says when and from whom it is; unknown values are empty cells, never 0. See docs/disaster.md.
import { toCsv } from '../../platform/csv.ts';
import { ageGroups } from './checkin-attributes.ts';
import type { Dashboard } from './dashboard.ts';
import type { AttributeCounts } from './repository-checkin.ts';
import { infoCategories, summary } from './information.ts';
import { kindLabels } from './map-view.tsx';

const statusText = { open: '開設', closed: '閉鎖' } as const;

export function shelterCsv(d: Dashboard, at: string): string {
  return toCsv([
    [
      '報告時点',
      '市町村コード',
      '市町村名',
      '避難所ID',
      '避難所名',
      '種別',
      '開設状況',
      '開設日時',
      '避難者数',
      '収容人数',
      '不足している物資',
      '体調不良者数',
      '負傷者数',
      '出来事の件数',
      // From the reception's records (checkin-attributes.ts): empty for a shelter with none.
      ...ageGroups.map((g) => `受付で数えた${g.label}`),
      '年齢を数えた世帯数',
      '要配慮のある世帯数',
      '市町村外からの避難者数',
    ],
    ...d.shelters.map((r) => [
      at,
      r.shelter.municipality,
      d.scope.get(r.shelter.municipality) ?? null,
      r.shelter.id,
      r.shelter.name,
      kindLabels[r.shelter.kind],
      r.shelter.status ? statusText[r.shelter.status] : null,
      r.shelter.openedAt,
      r.shelter.occupancy,
      r.shelter.capacity,
      r.shortages?.value || null,
      r.sickCount?.value ?? null,
      r.injuredCount?.value ?? null,
      r.incidents.length,
      ...attributeCells(d.attributes.byShelter.get(r.shelter.id)),
    ]),
  ]);
}

const attributeCells = (a: AttributeCounts | undefined) =>
  a ? [...ageGroups.map((g) => a[g.key]), a.counted, a.careYes, a.outside] : Array<null>(ageGroups.length + 3).fill(null);

export function damageCsv(d: Dashboard, at: string): string {
  return toCsv([
    ['報告時点', '市町村コード', '市町村名', '情報の種類', '件名', '状況', '観測日時', '情報源', '古い可能性', 'ID'],
    ...d.information.map((i) => [
      at,
      i.municipality,
      (i.municipality && d.scope.get(i.municipality)) ?? null,
      infoCategories[i.category].label,
      i.name,
      summary(i) || null,
      i.observed,
      i.source,
      i.stale ? 'はい' : 'いいえ',
      i.id,
    ]),
  ]);
}
