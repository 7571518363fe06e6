// Where the published figures and the system's recomputation disagree, and why. Pure: no I/O.
import { clip, rawRate, roundTo, roundingModes, type PlanSettings, type RoundingMode } from './achievement.ts';
import type { Dashboard, DashboardIndicator } from './snapshot.ts';
import { formatExact, formatNumber } from '../../web/format.ts';

export const roundingLabels: Record<RoundingMode, string> = {
  'half-up': '四捨五入',
  'half-even': '偶数丸め',
  truncate: '切り捨て',
};

export interface Discrepancy {
  kind: 'indicator_rate' | 'kpi_index';
  kpiCode: string;
  kpiName: string;
  indicatorCode: string | null;
  indicatorName: string | null;
  /** For indicator rates: the previous (C) or latest (E) rate. */
  which: 'previous' | 'latest' | null;
  published: number | null;
  computed: number | null;
  difference: number | null;
  /** The recomputation written out, in Japanese. */
  arithmetic: string;
  /** What reproduces the published figure, when something does. */
  explanation: string | null;
}

function rateArithmetic(i: DashboardIndicator, which: 'previous' | 'latest', s: PlanSettings): string {
  const value = i[which]?.value ?? null;
  const raw = rawRate({ value, target: i.target, direction: i.direction, base: i.base });
  if (value === null || i.target === null || raw === null) return '値または目標値が不明なため計算できません';
  const v = formatNumber(value);
  const t = formatNumber(i.target);
  const b = formatNumber(i.base);
  const expr =
    i.direction === 'higher' ? `${v} ÷ ${t} × 100` : i.direction === 'lower' ? `${t} ÷ ${v} × 100` : `(${v} − ${b}) ÷ (${t} − ${b}) × 100`;
  const clipped = clip(raw, s.clip);
  const clipText = clipped !== raw && s.clip ? ` → ${s.clip.min}〜${s.clip.max} の範囲に収めて ${formatNumber(clipped)}` : '';
  const rounded = roundTo(clipped, s.rounding.digits, s.rounding.mode);
  return `${expr} = ${formatExact(raw)}${clipText} → ${formatNumber(rounded, s.rounding.digits)}（${roundingLabels[s.rounding.mode]}）`;
}

/** Which rounding reproduces the published rate; said plainly when none does (the row is never left unexplained). */
function roundingThatMatches(x: number, published: number, s: PlanSettings): string {
  const modes = roundingModes.filter((m) => m !== s.rounding.mode && roundTo(x, s.rounding.digits, m) === published);
  return modes.length
    ? `${modes.map((m) => roundingLabels[m]).join('・')}で計算すると公表値と一致します。`
    : '丸め方を変えても公表値とは一致しません。公表値は資料のとおり示しています。';
}

export function reconcile(d: Dashboard): Discrepancy[] {
  const s = d.snapshot.settings;
  const out: Discrepancy[] = [];
  for (const kpi of d.kpis) {
    for (const i of kpi.indicators) {
      for (const which of ['previous', 'latest'] as const) {
        const published = i[which]?.rate ?? null;
        const rate = i.computed[which];
        if (published === rate.rounded) continue;
        out.push({
          kind: 'indicator_rate',
          kpiCode: kpi.code,
          kpiName: kpi.name,
          indicatorCode: i.code,
          indicatorName: i.name,
          which,
          published,
          computed: rate.rounded,
          difference: published === null || rate.rounded === null ? null : roundTo(published - rate.rounded, s.rounding.digits, 'half-up'),
          arithmetic: rateArithmetic(i, which, s),
          explanation: published === null || rate.clipped === null ? null : roundingThatMatches(rate.clipped, published, s),
        });
      }
    }
    if (kpi.index === kpi.computedIndex) continue;
    const rates = kpi.indicators.map((i) => (s.averaging === 'rounded-rates' ? i.computed.latest.rounded : i.computed.latest.clipped));
    const used = rates.filter((r): r is number => r !== null);
    const sum = `(${used.map((r) => formatNumber(r, s.rounding.digits)).join(' + ')}) ÷ ${used.length}`;
    const mean = used.reduce((a, b) => a + b, 0) / used.length;
    const publishedRates = kpi.indicators.map((i) => i.latest?.rate ?? null).filter((r): r is number => r !== null);
    const publishedMean = publishedRates.reduce((a, b) => a + b, 0) / publishedRates.length;
    const fromPublished = roundTo(publishedMean, s.rounding.digits, s.rounding.mode);
    out.push({
      kind: 'kpi_index',
      kpiCode: kpi.code,
      kpiName: kpi.name,
      indicatorCode: null,
      indicatorName: null,
      which: null,
      published: kpi.index,
      computed: kpi.computedIndex,
      difference:
        kpi.index === null || kpi.computedIndex === null ? null : roundTo(kpi.index - kpi.computedIndex, s.rounding.digits, 'half-up'),
      arithmetic: used.length
        ? `${sum} = ${formatExact(mean)} → ${formatNumber(kpi.computedIndex, s.rounding.digits)}（${roundingLabels[s.rounding.mode]}）`
        : '達成率を計算できる指標がありません',
      explanation:
        publishedRates.length && fromPublished === kpi.index
          ? `公表された各指標の達成率の平均は ${formatNumber(fromPublished, s.rounding.digits)} で公表値と一致します。差は指標の達成率の差によるものです。`
          : null,
    });
  }
  return out;
}
