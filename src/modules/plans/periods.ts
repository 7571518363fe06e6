// Period labels as the documents write them (R5年度, R5年度末, R4年, R7年1月末時点, 2021年). Pure.
import { readPeriod } from '../../web/format.ts';

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export interface Period {
  /** The last day the period covers; orders observations. */
  end: string;
  /** The date the figure is stated to be as of (年度末, 月末時点), or null when the label does not say. */
  asOf: string | null;
}

/** Parses a period label, or returns null when the label is not one of the known forms. */
export function parsePeriod(label: string): Period | null {
  const p = readPeriod(label);
  // A month is read only as its end (R7年1月末, R7年1月末時点).
  if (!p || (p.month !== null && !p.monthEnd)) return null;
  if (p.fiscal) {
    const end = `${p.year + 1}-03-31`;
    return { end, asOf: p.fiscalEnd ? end : null };
  }
  if (p.month !== null) {
    const end = `${p.year}-${pad(p.month)}-${pad(lastDayOfMonth(p.year, p.month))}`;
    return { end, asOf: end };
  }
  return { end: `${p.year}-12-31`, asOf: null };
}
