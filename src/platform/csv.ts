// CSV for Excel, the one writer: UTF-8 with a BOM (Excel in Japan reads it as UTF-8), CRLF, RFC 4180
// quoting. Text a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe
// (OWASP "CSV Injection"); numbers stay numbers, and null is an empty cell.

const guard = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const cell = (v: string | number | null) => (v === null ? '' : typeof v === 'number' ? String(v) : quote(guard(v)));

export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
