// Every purpose id a held value is opened for (`fields.open(db, actor, subject, purposeId, …)`) has a
// Japanese title in heldPurposes, found in the source as audit-format.test.ts finds audit codes.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heldPurposeOf, heldPurposes, purposeLabel } from './held-purposes.ts';
import { purposes } from './purposes.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) ? [p] : [];
  });
}

const texts = sources('src').map((file) => ({ file, text: readFileSync(file, 'utf8') }));
// A constant's string value, wherever in the source it is declared (const SAFETY_PURPOSE = '…').
const constant = (name: string) =>
  texts.flatMap(({ text }) => [...text.matchAll(new RegExp(`const ${name}\\s*=\\s*'([^']+)'`, 'g'))].map((m) => m[1]!));

const opened: { file: string; arg: string; ids: string[] }[] = [];
// The purpose argument of fields.open (the fourth) and fields.openEach (the third); a forwarding wrapper
// (fields.open(...a)) names no purpose of its own.
const calls = [
  /fields\.open\(\s*(?!\.\.\.)[^,]+,\s*[^,]+,\s*[^,]+,\s*([^,)]+?)\s*,/g,
  /fields\.openEach\(\s*(?!\.\.\.)[^,]+,\s*[^,]+,\s*([^,)]+?)\s*,/g,
];
for (const { file, text } of texts)
  for (const m of calls.flatMap((re) => [...text.matchAll(re)])) {
    const arg = m[1]!;
    const literal = /^'([^']+)'$/.exec(arg);
    opened.push({ file, arg, ids: literal ? [literal[1]!] : /^[A-Z_]+$/.test(arg) ? constant(arg) : [] });
  }

describe('held purposes', () => {
  it('finds the fields.open calls of every holder in the source', () => {
    const files = new Set(opened.map((o) => o.file.replace(/^src\/modules\//, '')));
    for (const holder of [
      'disaster/checkin.ts',
      'disaster/safety/safety.ts',
      'disaster/roster/roster.ts',
      'disaster/certificate/certificates.ts',
      'disaster/my-area-points.ts',
    ])
      expect(files).toContain(holder);
    expect(opened.length).toBeGreaterThanOrEqual(7);
  });

  it.each(opened.map((o) => [`${o.file}: ${o.arg}`, o] as const))('%s names one purpose with a held title', (_where, o) => {
    expect(o.ids, `${o.arg} should be a string or a constant declared as one`).toHaveLength(1);
    expect(heldPurposeOf(o.ids[0]!)?.title).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });

  it('lists each purpose once, each with a Japanese title and basis', () => {
    expect(new Set(heldPurposes.map((p) => p.id)).size).toBe(heldPurposes.length);
    for (const p of heldPurposes) {
      expect(p.title).toMatch(/^[^a-z]+$/);
      expect(p.basis).toMatch(/第\d+条/);
    }
  });

  it.each([
    ['safety-confirmation', 'held', '安否確認'],
    ['safety-confirmation', 'consent', '安否確認'],
    ['disaster-certificate', undefined, '罹災証明書の交付'],
    // An id in both lists: a held read by its held title, a consented one by the consent's.
    ['evacuation-support-roster', 'held', '避難行動要支援者名簿'],
    ['evacuation-support-roster', 'legal-basis', purposes.find((p) => p.id === 'evacuation-support-roster')!.title],
    ['shelter-reception', 'consent', '避難所の受付で要配慮情報を共有する'],
    ['shelter-reception', 'held', '避難所の受付（避難している人の把握）'],
    ['disclosure-request', 'disclosure-request', '開示の請求'],
    ['made-up', 'held', 'made-up'],
  ])('purposeLabel(%s, %s) is %s', (id, basis, title) => {
    expect(purposeLabel(id, basis)).toBe(title);
  });
});
