// Checks the transcription in data/aomori/aomori-dx.json against the document it came from
// (shared/seeds/004: 青森県DX推進本部会議資料, 資料1-1 and 1-2), so no number is invented or mistyped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultDataFiles, readPlanFile, type PlanFile } from './default-data.ts';

const seedsDir = process.env.SEEDS_DIR ?? fileURLToPath(new URL('../../../../shared/seeds', import.meta.url));
const seedFile = existsSync(seedsDir) ? readdirSync(seedsDir).find((f) => f.startsWith('004_')) : undefined;

/** NFKC, no white space: the PDF's text extraction breaks lines and spaces inside names and numbers. */
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/** The numbers of a text in order; "▲" is the document's minus sign. */
const numbers = (s: string) =>
  [
    ...s
      .replace(/▲/g, '-')
      .replace(/,/g, '')
      .matchAll(/-?\d+(?:\.\d+)?/g),
  ].map((m) => Number(m[0]));

function isSubsequence(needle: number[], haystack: number[]) {
  let i = 0;
  for (const x of haystack) if (i < needle.length && x === needle[i]) i++;
  return i === needle.length;
}

describe.skipIf(!seedFile)('transcription of seed 004 (資料1-1, 1-2)', () => {
  let text = '';
  let data: PlanFile;
  /** 資料1-2's eight KPI tables, in order: each from its header row to its "ＫＰＩ nn.n％" line. */
  let tables: string[] = [];
  beforeAll(async () => {
    text = norm(readFileSync(join(seedsDir, seedFile!), 'utf8'));
    data = await readPlanFile(defaultDataFiles[0]!);
    const start = text.indexOf('資料編');
    const annex = text.slice(start, text.indexOf('青森県におけるデータ連携基盤共同利用に関するビジョン(案)31', start));
    tables = annex.split('中間指標名').slice(1);
  });

  it('finds the eight KPI tables', () => {
    expect(tables).toHaveLength(8);
  });

  it('every KPI: name, published index (達成率の単純平均) and components', () => {
    data.kpis.forEach((k, n) => {
      const table = tables[n]!;
      const published = /KPI(\d+\.\d)%\(達成率の単純平均\)/.exec(table);
      expect(Number(published?.[1]), k.code).toBe(k.publishedIndex);
      expect(norm(table), k.code).toContain(norm(k.name));
      expect(text, k.code).toContain(norm(`【指標の構成要素】${k.components}`));
    });
  });

  it('every indicator: name, periods, and A, B, C, D, E in the document order', () => {
    data.kpis.forEach((k, n) => {
      const table = tables[n]!;
      let rest = table;
      for (const i of k.indicators) {
        const at = rest.indexOf(norm(i.name));
        expect(at, `${k.code} ${i.name}`).toBeGreaterThanOrEqual(0);
        rest = rest.slice(at + norm(i.name).length);
        const expected = [i.target, i.previous?.value, i.previous?.rate, i.latest?.value, i.latest?.rate].filter(
          (x): x is number => x !== null && x !== undefined,
        );
        // the numbers up to the next indicator's name
        const next = k.indicators[k.indicators.indexOf(i) + 1];
        const segment = next ? rest.slice(0, rest.indexOf(norm(next.name))) : rest;
        const found = numbers(segment);
        expect(isSubsequence(expected, found), `${k.code} ${i.name}: ${expected} in ${found}`).toBe(true);
        for (const p of [i.previous?.period, i.latest?.period]) if (p) expect(segment, `${i.name} ${p}`).toContain(norm(p));
        if (i.dataSource) expect(text, i.name).toContain(norm(i.dataSource));
      }
    });
  });

  it('every basic goal: target and values, with their years', () => {
    for (const g of data.goals) {
      expect(text).toContain(norm(g.name));
      const fmt = (v: number) => (g.unit === '%' ? `${v.toFixed(1)}%` : `${v}${g.unit}`);
      if (g.target !== null && g.unit !== '%') expect(text).toContain(fmt(g.target));
      for (const v of [g.previous, g.latest]) if (v) expect(text, g.name).toContain(`${fmt(v.value!)}(${v.period.replace('年', '')})`);
    }
  });

  it('every case (代表的な事例): title and text', () => {
    // One stray 「 in the document (「ICT機器「を利用して」) is dropped in the data: brackets are not compared.
    const plain = (s: string) => norm(s).replace(/[「」]/g, '');
    const doc = plain(text);
    for (const f of data.fields) {
      for (const c of f.cases) {
        expect(text).toContain(norm(c.title));
        // The text is compared sentence by sentence: the PDF interleaves columns between them.
        for (const sentence of c.body.split('。').filter((s) => s.length > 8 && !s.startsWith('（統合型'))) {
          expect(doc, c.title).toContain(plain(sentence));
        }
      }
    }
  });
});
