// Spreadsheets: a dataset goes out as XLSX or CSV (one header row, one record per row, the first
// column its key) and comes back in the same layout. Every problem is reported by row and column;
// the changes are previewed, then applied all or nothing.

import { readCsv } from '../../platform/csv.ts';
import { decodeText } from '../../platform/text.ts';
import { blank, sameValue, type Change, type Column, type DataRecord } from '../../platform/columns.ts';

/** What a sheet holds: its name in URLs, its title, and its columns (the first is the key). */
export interface Dataset {
  name: string;
  title: string;
  columns: Column[];
}

export function sheetTable(ds: Dataset, records: DataRecord[]): (string | number)[][] {
  return [ds.columns.map((c) => c.header), ...records.map((r) => ds.columns.map((c) => c.show(r[c.field] ?? null)))];
}

// exceljs takes a quarter of a second to load: only when a spreadsheet is made or read.
const excel = async () => (await import('exceljs')).default;

export async function toXlsx(table: (string | number)[][], sheetName: string): Promise<Uint8Array> {
  const wb = new (await excel()).Workbook();
  const ws = wb.addWorksheet(sheetName);
  for (const row of table) ws.addRow(row);
  ws.getRow(1).font = { bold: true };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export { toCsv as toCsvText } from '../../platform/csv.ts';

/** Reads the first sheet of an XLSX, or a CSV, into rows of plain values. */
export async function readTable(file: { name: string; bytes: Uint8Array }): Promise<unknown[][]> {
  if (/\.csv$/i.test(file.name)) {
    // UTF-8 (with or without a BOM) or CP932, as Excel in Japan saves it: platform/text.ts.
    const { text } = decodeText(file.bytes);
    // Held to a worksheet's own limits (Excel: 1,048,576 rows, 16,384 columns, 32,767 characters a cell).
    const read = readCsv(text, { maxRows: 1_048_575, maxFields: 16_384, maxField: 32_767 });
    if ('error' in read) throw new Error(read.error);
    return read.records.map((r) => r.cells);
  }
  const wb = new (await excel()).Workbook();
  // exceljs declares its own `Buffer extends ArrayBuffer`, which a Uint8Array does not satisfy in its types (it reads one fine).
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

const columnName = (i: number) => String.fromCharCode(65 + i);

/** Compares an uploaded table with the current records: the changes, and every row's errors. */
export function diffSheet(ds: Dataset, table: unknown[][], current: Map<string, DataRecord>): { changes: Change[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const header = (table[0] ?? []).map((v) => String(v ?? '').trim());
  ds.columns.forEach((c, i) => {
    if (header[i] !== c.header)
      errors.push({
        row: 1,
        column: columnName(i),
        message: `見出しは「${c.header}」にしてください（「${header[i] ?? ''}」になっています）。`,
      });
  });
  if (errors.length) return { changes: [], errors };
  const key = ds.columns[0]!;
  const changes: Change[] = [];
  const seen = new Set<string>();
  table.slice(1).forEach((r, i) => {
    const row = i + 2;
    if (r.every(blank)) return;
    const k = String(r[0] ?? '').trim();
    const record = current.get(k);
    if (!record) return errors.push({ row, column: 'A', message: `${key.header}「${k}」が見つかりません。` });
    if (seen.has(k)) return errors.push({ row, column: 'A', message: `${key.header}「${k}」が重複しています。` });
    seen.add(k);
    const fields: Change['fields'] = [];
    ds.columns.forEach((c, j) => {
      if (!c.editable || j === 0) return;
      const read = c.read(r[j]);
      if ('error' in read) return errors.push({ row, column: columnName(j), message: read.error });
      const before = record[c.field] ?? null;
      if (!sameValue(before, read.value)) fields.push({ field: c.field, header: c.header, before, after: read.value });
    });
    if (fields.length) changes.push({ key: k, row, fields });
  });
  return { changes, errors };
}
