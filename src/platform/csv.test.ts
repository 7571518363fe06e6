import { describe, expect, it } from 'vitest';
import { readCsv, toCsv, type CsvLimits } from './csv.ts';

describe('CSV for Excel', () => {
  it('starts with a BOM, ends rows with CRLF, quotes per RFC 4180 §2.6–2.7', () => {
    expect(
      toCsv([
        ['a', 'b,c'],
        ['say "hi"', 'two\nlines'],
      ]),
    ).toBe('\uFEFFa,"b,c"\r\n"say ""hi""","two\nlines"\r\n');
  });
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1'])('guards text %j that a spreadsheet would run', (s) => {
    expect(toCsv([[s]])).toMatch(/^\uFEFF"?'/);
  });
  it('keeps numbers (negative ones too) and leaves null empty', () => {
    expect(toCsv([[-5, 0, null, '－']])).toBe('\uFEFF-5,0,,－\r\n');
  });
});

const limits: CsvLimits = { maxRows: 100, maxFields: 10, maxField: 100 };
const cells = (text: string, l: CsvLimits = limits) => {
  const r = readCsv(text, l);
  return 'error' in r ? r.error : r.records.map((x) => x.cells);
};

describe('readCsv (RFC 4180 §2)', () => {
  it('rule 1: records end in CRLF; a lone LF or CR is taken too', () => {
    expect(cells('a,b\r\nc,d\ne,f\rg,h\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });
  it('rule 2: the last record may have no line break', () => {
    expect(cells('a,b\r\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
  it('rule 3: the header is the first record, with as many fields as the others', () => {
    const r = readCsv('名称,緯度\r\n青森,40.8\r\n', limits);
    expect('records' in r && r.records[0]).toEqual({ line: 1, cells: ['名称', '緯度'] });
  });
  it('rule 4: fields separated by commas, spaces kept; an empty field is an empty string; a blank line is no record', () => {
    expect(cells(' a ,,c\r\n\r\nd\r\n')).toEqual([[' a ', '', 'c'], ['d']]);
  });
  it('rule 5: a field may be enclosed in double quotes (the quotes are no part of the value)', () => {
    expect(cells('"a","",c')).toEqual([['a', '', 'c']]);
  });
  it('rule 6: a quoted field may hold commas and line breaks (CRLF and LF); the record starts on its first line', () => {
    const r = readCsv('h\r\n"x,\r\ny"\r\n"p\nq"\r\nz\r\n', limits);
    expect('records' in r && r.records.map((x) => [x.line, x.cells])).toEqual([
      [1, ['h']],
      [2, ['x,\r\ny']],
      [4, ['p\nq']],
      [6, ['z']],
    ]);
  });
  it('rule 7: a double quote inside a quoted field is written twice', () => {
    expect(cells('"say ""hi""",b')).toEqual([['say "hi"', 'b']]);
  });
  it('drops a leading byte-order mark (Excel writes one), only at the start', () => {
    expect(cells('\uFEFF名称,x\uFEFF')).toEqual([['名称', 'x\uFEFF']]);
  });
  it('refuses an unclosed quote, naming the line it opened on', () => {
    expect(cells('a\r\n"open,b\r\nc\r\n')).toBe('2行目: 「"」で始まる欄が閉じられていません');
  });
  it('refuses a field, a record or a file over its limit (hostile input), in Japanese', () => {
    expect(cells(`"${'""'.repeat(120)}"`)).toBe('1行目: 1つの欄が長すぎます（100文字まで）');
    expect(cells(`a\r\n${'x,'.repeat(10)}x\r\n`)).toBe('2行目: 欄が多すぎます（10まで）');
    expect(cells(`${'x,'.repeat(9)}x`)).toHaveLength(1);
    expect(cells('h\r\n1\r\n2\r\n3', { ...limits, maxRows: 2, unit: '人' })).toBe('行が多すぎます（2人まで）');
    expect(cells('h\r\n1\r\n2\r\n', { ...limits, maxRows: 2 })).toHaveLength(3);
    expect(cells('あ'.repeat(400), { ...limits, maxBytes: 1000 })).toBe('ファイルが大きすぎます（0.001MBまで）');
  });
  it('reads control characters and NUL as text (the caller judges them), never throws', () => {
    expect(cells('a\u0000,b\u0007')).toEqual([['a\u0000', 'b\u0007']]);
  });
});
