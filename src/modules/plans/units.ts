// Which indicator units are counts, whose values are whole numbers.
//
// The units in data/aomori/*.json are %, 万円, and counters: 件, 人, 回, 台, 枚, 社, 団体, 事業者,
// 市町村. The rule: a unit is a count when it is a counter word (a list, below, of those present and
// the ones the plans' kinds of indicator use: 事業, 施設, 校, 箇所 …). A ratio (%), an amount of money
// (万円, 千円), a measure (時間, km) or a counter with a magnitude prefix (万人: 1.5万人 is fine) is not,
// and keeps its decimals. An unknown unit is not a count: it is never refused by guessing.
const COUNTERS = new Set([
  '件',
  '人',
  '名',
  '回',
  '台',
  '枚',
  '社',
  '者',
  '団体',
  '事業',
  '事業者',
  '企業',
  '市町村',
  '自治体',
  '施設',
  '機関',
  '校',
  '箇所',
  'か所',
  'ヵ所',
  'カ所',
  '店舗',
  '世帯',
  '戸',
  '基',
  '本',
  '個',
  '冊',
  '講座',
  '地区',
]);

export const isCountUnit = (unit: string) => COUNTERS.has(unit.normalize('NFKC').trim());
