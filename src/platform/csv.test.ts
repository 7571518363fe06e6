import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

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
