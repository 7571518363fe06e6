// Period labels as the documents write them (R5年度, R5年度末, R4年, R7年1月末時点, 2021年). Pure.

const eras: Record<string, number> = { R: 2018, 令和: 2018, H: 1988, 平成: 1988 };

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
  const s = label.normalize('NFKC').replace(/\s/g, '');
  const m = /^(?:(R|令和|H|平成)(\d+|元)|(\d{4}))年(?:(度)(末)?|(\d{1,2})月末(?:時点)?)?$/.exec(s);
  if (!m) return null;
  const [, era, eraYear, western, fiscal, fiscalEnd, month] = m;
  const year = western ? Number(western) : eras[era!]! + (eraYear === '元' ? 1 : Number(eraYear));
  if (fiscal) {
    const end = `${year + 1}-03-31`;
    return { end, asOf: fiscalEnd ? end : null };
  }
  if (month) {
    const mo = Number(month);
    if (mo < 1 || mo > 12) return null;
    const end = `${year}-${pad(mo)}-${pad(lastDayOfMonth(year, mo))}`;
    return { end, asOf: end };
  }
  return { end: `${year}-12-31`, asOf: null };
}
