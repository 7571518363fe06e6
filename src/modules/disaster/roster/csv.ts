// CSV as RFC 4180 defines it (§2): records end in CRLF (a lone LF is taken too, as other tools write
// it); a field may be enclosed in double quotes (rule 5), and then may hold commas, line breaks and
// quotes, a quote written twice (rule 7). The layer import's one-line reader cannot take a 個別避難計画
// written over several lines in one cell, so the roster reads records with this state machine.

export interface CsvRecord {
  /** The file's line where the record starts (1 = the header), for row errors. */
  line: number;
  cells: string[];
}

export type CsvResult = { records: CsvRecord[] } | { error: string };

/** Reads the text into records; stops with an error at an unclosed quote or when `maxRecords` or `maxCell` is passed. */
export function readCsv(text: string, limits: { maxRecords: number; maxCell: number }): CsvResult {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const endCell = () => {
    cells.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    // A blank line is no record (§2 rule 4 asks for the same fields on every line; Excel leaves blank ones).
    if (cells.length > 1 || cells[0] !== '') records.push({ line: start, cells });
    cells = [];
  };
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
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') endCell();
    else if (ch === '\r' && text[i + 1] === '\n') {
      i++;
      continue;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      line++;
      start = line;
      if (records.length > limits.maxRecords) return { error: `行が多すぎます（${limits.maxRecords - 1}人まで）` };
    } else cell += ch;
    if (cell.length > limits.maxCell) return { error: `${start}行目: 1つの欄が長すぎます（${limits.maxCell}文字まで）` };
    i++;
  }
  if (quoted) return { error: `${start}行目: 「"」で始まる欄が閉じられていません` };
  if (cell !== '' || cells.length) endRecord();
  if (records.length > limits.maxRecords) return { error: `行が多すぎます（${limits.maxRecords - 1}人まで）` };
  return { records };
}
