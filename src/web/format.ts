// Number and text formatting shared by pages, CSV and explanations. Unknown is always "－".
import type { Lang } from './messages.ts';

export const UNKNOWN = '－';

/** 1234.5 -> "1,234.5"; fixed digits when given (rates), otherwise as many as the value has (up to 3). */
export function formatNumber(x: number | null | undefined, digits?: number): string {
  if (x === null || x === undefined || Number.isNaN(x)) return UNKNOWN;
  return x.toLocaleString('ja-JP', {
    minimumFractionDigits: digits ?? 0,
    maximumFractionDigits: digits ?? 3,
  });
}

/** An intermediate result: three decimals, with "…" when more were cut. */
export function formatExact(x: number): string {
  const shown = formatNumber(x);
  return Number(x.toFixed(3)) === x ? shown : `${shown}…`;
}

/** A value with its unit; percentages keep one decimal, as the documents print them (6.0%). */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return UNKNOWN;
  return `${unit === '%' ? formatNumber(value, Math.max(1, decimals(value))) : formatNumber(value)}${unit}`;
}

const decimals = (x: number) => (String(x).split('.')[1] ?? '').length;

export function formatRate(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? UNKNOWN : `${formatNumber(rate, digits)}%`;
}

export function formatChange(change: number | null, digits = 1, lang: Lang = 'ja'): string {
  if (change === null) return lang === 'ja' ? 'ー' : UNKNOWN;
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const points = lang === 'ja' ? 'ポイント' : Math.abs(change) === 1 ? ' point' : ' points';
  return `${sign}${formatNumber(Math.abs(change), digits)}${points}`;
}

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2025-01-31 -> 2025年1月31日, or in English 31 January 2025 */
export function formatDate(iso: string, lang: Lang = 'ja'): string {
  const [y, m, d] = iso.split('-').map(Number);
  return lang === 'ja' ? `${y}年${m}月${d}日` : `${d} ${months[m! - 1]} ${y}`;
}

const eras: Record<string, number> = { R: 2018, 令和: 2018, H: 1988, 平成: 1988 };

/**
 * A period label's parts as the documents write it (R5年度, R5年度末, R4年, R7年1月末時点, 2021年), read
 * one way for the parser (plans/periods.ts) and for English pages. Null for other labels.
 */
export function readPeriod(label: string) {
  const s = label.normalize('NFKC').replace(/\s/g, '');
  const m = /^(?:(R|令和|H|平成)(\d+|元)|(\d{4}))年(?:(度)(末)?|(\d{1,2})月(末)?(時点)?)?$/.exec(s);
  if (!m) return null;
  const [, era, eraYear, western, fiscal, fiscalEnd, month, monthEnd, asOf] = m;
  const year = western ? Number(western) : eras[era!]! + (eraYear === '元' ? 1 : Number(eraYear));
  const mo = month === undefined ? null : Number(month);
  if (mo !== null && (mo < 1 || mo > 12)) return null;
  return { year, fiscal: !!fiscal, fiscalEnd: !!fiscalEnd, month: mo, monthEnd: !!monthEnd, asOf: !!asOf };
}

/**
 * A period label in English: R5年度 -> FY2023, R5年度末 -> end of FY2023, 2025年1月末時点 -> as of end
 * of January 2025, R4年 -> 2022. Null for other labels (shown as data).
 */
export function englishPeriod(label: string): string | null {
  const p = readPeriod(label);
  if (!p) return null;
  if (p.fiscal) return `${p.fiscalEnd ? 'end of ' : ''}FY${p.year}`;
  if (p.month !== null) return `${p.asOf ? 'as of ' : ''}${p.monthEnd ? 'end of ' : ''}${months[p.month - 1]} ${p.year}`;
  return String(p.year);
}
