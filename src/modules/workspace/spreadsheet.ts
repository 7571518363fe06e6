// The budgets sheet: one row per project, fiscal years and the stated total as columns. The same
// layout goes out (XLSX, CSV) and comes back in; every problem is reported by row and column.
import ExcelJS from 'exceljs';

export const budgetHeader = ['事業コード', '事業番号', '事業名', '2020年度', '2021年度', '2022年度', '2023年度', '2024年度', '計'] as const;
const years = [2020, 2021, 2022, 2023, 2024, null] as const;

export type Cell = { amount: number | null; cell: 'value' | 'blank' | 'dash' };

export interface BudgetRow {
  code: string;
  number: number;
  name: string;
  budgets: { fiscalYear: number | null; amount: number | null; cell: string }[];
}

const show = (b: BudgetRow['budgets'][number] | undefined): string | number =>
  !b || b.cell === 'blank' ? '' : b.cell === 'dash' ? '－' : b.amount!;

export function budgetTable(rows: BudgetRow[]): (string | number)[][] {
  return [
    [...budgetHeader],
    ...rows.map((r) => [r.code, r.number, r.name, ...years.map((fy) => show(r.budgets.find((b) => b.fiscalYear === fy)))]),
  ];
}

export async function toXlsx(table: (string | number)[][], sheetName: string): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  for (const row of table) ws.addRow(row);
  ws.getRow(1).font = { bold: true };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export function toCsvText(table: (string | number)[][]): string {
  const cell = (v: string | number) => (typeof v === 'string' && /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  return `\uFEFF${table.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Reads the first sheet of an XLSX, or a CSV, into rows of plain values. */
export async function readTable(file: { name: string; bytes: Uint8Array }): Promise<unknown[][]> {
  if (/\.csv$/i.test(file.name)) {
    const text = new TextDecoder().decode(file.bytes).replace(/^\uFEFF/, '');
    return text
      .split(/\r?\n/)
      .filter((l) => l.length)
      .map((line) =>
        [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"')),
      );
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const values = (row.values as unknown[]).slice(1);
    out[n - 1] = values.map((v) => (v && typeof v === 'object' && 'result' in v ? (v as { result: unknown }).result : v));
  });
  return out.map((r) => r ?? []);
}

export interface RowError {
  row: number;
  column: string;
  message: string;
}

export interface BudgetChange {
  code: string;
  number: number;
  row: number;
  cells: { fiscalYear: number | null; before: Cell; after: Cell }[];
}

function cellOf(v: unknown): Cell | null {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return { amount: null, cell: 'blank' };
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? { amount: v, cell: 'value' } : null;
  const s = String(v).trim();
  if (/^[－—-]$/.test(s)) return { amount: null, cell: 'dash' };
  if (/^(\d{1,3}(,\d{3})*|\d+)$/.test(s)) return { amount: Number(s.replace(/,/g, '')), cell: 'value' };
  return null;
}

const same = (a: Cell, b: Cell) => a.cell === b.cell && a.amount === b.amount;
const columnName = (i: number) => String.fromCharCode(65 + i);

/** Compares an uploaded table with the current budgets: the changes, and every row's errors. */
export function diffBudgetTable(table: unknown[][], current: Map<string, BudgetRow>): { changes: BudgetChange[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const header = (table[0] ?? []).map((v) => String(v ?? '').trim());
  budgetHeader.forEach((h, i) => {
    if (header[i] !== h)
      errors.push({ row: 1, column: columnName(i), message: `見出しは「${h}」にしてください（「${header[i] ?? ''}」になっています）。` });
  });
  if (errors.length) return { changes: [], errors };
  const changes: BudgetChange[] = [];
  const seen = new Set<string>();
  table.slice(1).forEach((r, i) => {
    const row = i + 2;
    if (r.every((v) => v === null || v === undefined || String(v).trim() === '')) return;
    const code = String(r[0] ?? '').trim();
    const project = current.get(code);
    if (!project) return errors.push({ row, column: 'A', message: `事業コード「${code}」の事業が見つかりません。` });
    if (seen.has(code)) return errors.push({ row, column: 'A', message: `事業コード「${code}」が重複しています。` });
    seen.add(code);
    const cells: BudgetChange['cells'] = [];
    years.forEach((fy, k) => {
      const after = cellOf(r[3 + k]);
      if (!after)
        return errors.push({
          row,
          column: columnName(3 + k),
          message: `${budgetHeader[3 + k]}は千円単位の0以上の整数、「－」、または空欄にしてください（「${String(r[3 + k])}」）。`,
        });
      const b = project.budgets.find((x) => x.fiscalYear === fy);
      const before: Cell = b ? { amount: b.amount, cell: b.cell as Cell['cell'] } : { amount: null, cell: 'blank' };
      if (!same(before, after)) cells.push({ fiscalYear: fy, before, after });
    });
    if (cells.length) changes.push({ code, number: project.number, row, cells });
  });
  return { changes, errors };
}
