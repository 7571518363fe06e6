// CSV for Excel, the one writer (and below, the one reader): UTF-8 with a BOM (Excel in Japan reads it as UTF-8), CRLF, RFC 4180
// quoting. Text a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe
// (OWASP "CSV Injection"); numbers stay numbers, and null is an empty cell.

const guard = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const cell = (v: string | number | null) => (v === null ? '' : typeof v === 'number' ? String(v) : quote(guard(v)));

export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

// CSV as RFC 4180 defines it (§2), the one reader: records end in CRLF (rule 1; a lone LF or CR is
// taken too, as other tools write it), the last one may have no line break (rule 2), the first is the
// header in every layout read here (rule 3), fields are separated by commas, spaces kept (rule 4), a
// field may be enclosed in double quotes (rule 5) and then may hold commas and line breaks (rule 6) and
// quotes, a quote written twice (rule 7). A leading byte-order mark is dropped (files from Excel have
// one; platform/text.ts decodes UTF-8 or CP932 bytes before this). Limits bound hostile input.

export interface CsvRecord {
  /** The file's line where the record starts (1 = the header), for row errors. */
  line: number;
  cells: string[];
}

export interface CsvLimits {
  /** Records below the header (the error names them with `unit`, default 行). */
  maxRows: number;
  /** Fields in one record. */
  maxFields: number;
  /** Characters in one field. */
  maxField: number;
  /** The text's size in UTF-8 bytes (callers check the uploaded file's own size before decoding it). */
  maxBytes?: number;
  unit?: string;
}

export type CsvResult = { records: CsvRecord[] } | { error: string };

/** Reads the text into records; stops with a Japanese error at an unclosed quote or past a limit. Blank lines are no records. */
export function readCsv(text: string, limits: CsvLimits): CsvResult {
  if (limits.maxBytes !== undefined && Buffer.byteLength(text, 'utf8') > limits.maxBytes)
    return { error: `ファイルが大きすぎます（${limits.maxBytes / 1_000_000}MBまで）` };
  const tooMany = { error: `行が多すぎます（${limits.maxRows}${limits.unit ?? '行'}まで）` };
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    return cells.length > limits.maxFields;
  };
  const endRecord = () => {
    const over = endCell();
    // A blank line is no record (rule 4 asks for the same fields on every line; Excel leaves blank ones).
    if (cells.length > 1 || cells[0] !== '') records.push({ line: start, cells });
    cells = [];
    return over;
  };
  const tooWide = () => ({ error: `${start}行目: 欄が多すぎます（${limits.maxFields}まで）` });
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      if (endCell()) return tooWide();
    } else if (ch === '\r' && text[i + 1] === '\n') {
      i++;
      continue;
    } else if (ch === '\n' || ch === '\r') {
      if (endRecord()) return tooWide();
      line++;
      start = line;
      if (records.length - 1 > limits.maxRows) return tooMany;
    } else cell += ch;
    if (cell.length > limits.maxField) return { error: `${start}行目: 1つの欄が長すぎます（${limits.maxField}文字まで）` };
    i++;
  }
  if (quoted) return { error: `${start}行目: 「"」で始まる欄が閉じられていません` };
  if ((cell !== '' || cells.length) && endRecord()) return tooWide();
  if (records.length - 1 > limits.maxRows) return tooMany;
  return { records };
}
