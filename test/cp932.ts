// A CP932 (Shift_JIS, Windows code page 932) encoder for test fixtures: the bytes Excel in Japan
// writes for a CSV. Built from the code page itself, by decoding every single- and double-byte code
// with the CP932 decoder and keeping the first code for each character (as Windows' encoder does).
let table: Map<string, number[]> | undefined;

function codePage(): Map<string, number[]> {
  if (table) return table;
  const d = new TextDecoder('shift_jis', { fatal: true });
  const t = new Map<string, number[]>();
  const add = (bytes: number[]) => {
    try {
      const ch = d.decode(new Uint8Array(bytes));
      if ([...ch].length === 1 && ch !== '\uFFFD' && !t.has(ch)) t.set(ch, bytes);
    } catch {
      // not a code of the page
    }
  };
  for (let b = 0; b < 0x80; b++) add([b]);
  for (let b = 0xa1; b <= 0xdf; b++) add([b]);
  for (const lead of [...range(0x81, 0x9f), ...range(0xe0, 0xfc)])
    for (const trail of [...range(0x40, 0x7e), ...range(0x80, 0xfc)]) add([lead, trail]);
  return (table = t);
}

function* range(from: number, to: number) {
  for (let i = from; i <= to; i++) yield i;
}

/** The CP932 bytes of a text; a character the code page lacks throws (a fixture must be exact). */
export function encodeCp932(text: string): Uint8Array {
  const t = codePage();
  const out: number[] = [];
  for (const ch of text) {
    const bytes = t.get(ch);
    if (!bytes) throw new Error(`CP932 has no code for ${JSON.stringify(ch)}`);
    out.push(...bytes);
  }
  return new Uint8Array(out);
}
