// Columns of a table exchanged as a spreadsheet: how a cell is read (with a message for people when
// it cannot be) and how a value is written. No domain words: the modules declare their columns.
import { parseNumberText } from './numbers.ts';

/** A figure, 「－」 or blank: three different things, and none of them becomes 0 by accident. */
export type AmountCell = { amount: number | null; cell: 'value' | 'blank' | 'dash' };
export type Value = string | number | null | AmountCell;
export type DataRecord = Record<string, Value>;

export interface Column {
  header: string;
  field: string;
  /** Read-only columns are exported for context and ignored on import. */
  editable: boolean;
  read(v: unknown): { value: Value } | { error: string };
  show(v: Value): string | number;
}

/** One row's edited fields, before and after. */
export interface Change {
  key: string;
  row: number;
  fields: { field: string; header: string; before: Value; after: Value }[];
}

export const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const plain = (v: Value): string | number => (v === null ? '' : typeof v === 'object' ? '' : v);
export const sameValue = (a: Value, b: Value) => JSON.stringify(a) === JSON.stringify(b);

export const textColumn = (header: string, field: string, o: { editable?: boolean; required?: boolean; max?: number } = {}): Column => ({
  header,
  field,
  editable: o.editable ?? true,
  read: (v) => {
    const s = blank(v) ? '' : String(v).trim();
    if (o.required && !s) return { error: `${header}を入力してください。` };
    if (s.length > (o.max ?? 500)) return { error: `${header}は${o.max ?? 500}文字以内にしてください。` };
    return { value: s || null };
  },
  show: plain,
});

export const numberColumn = (header: string, field: string, o: { integer?: boolean; required?: boolean } = {}): Column => ({
  header,
  field,
  editable: true,
  read: (v) => {
    if (blank(v)) return o.required ? { error: `${header}を入力してください。` } : { value: null };
    const n = typeof v === 'number' ? v : (parseNumberText(String(v)) ?? NaN);
    if (!Number.isFinite(n) || (o.integer && !Number.isInteger(n)))
      return { error: `${header}は${o.integer ? '整数' : '数字'}で入力してください（「${String(v)}」）。` };
    return { value: n };
  },
  show: plain,
});

/** A figure in thousand yen, 「－」, or blank. */
export const amountColumn = (header: string, field: string): Column => ({
  header,
  field,
  editable: true,
  read: (v) => {
    if (blank(v)) return { value: { amount: null, cell: 'blank' } };
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { value: { amount: v, cell: 'value' } };
    const s = String(v).trim();
    if (/^[－—―ー−‐-]$/.test(s)) return { value: { amount: null, cell: 'dash' } };
    const n = parseNumberText(s);
    if (n !== null && Number.isInteger(n) && n >= 0) return { value: { amount: n, cell: 'value' } };
    return { error: `${header}は千円単位の0以上の整数、「－」、または空欄にしてください（「${s}」）。` };
  },
  show: (v) => {
    const c = v as AmountCell;
    return c.cell === 'blank' ? '' : c.cell === 'dash' ? '－' : c.amount!;
  },
});
