// Number and text formatting shared by pages, CSV and explanations. Unknown is always "－".

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

export function formatChange(change: number | null, digits = 1): string {
  if (change === null) return 'ー';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  return `${sign}${formatNumber(Math.abs(change), digits)}ポイント`;
}

/** 2025-01-31 -> 2025年1月31日 */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
