// Checks the regional vision and city plan data against the documents they were transcribed from
// (shared/seeds/000, 001, 002, 003), so no figure or text is invented or mistyped.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCityPlan, readVision, type CityPlanFile, type ProjectSheet, type VisionFile } from './vision-data.ts';

const seedsDir = process.env.SEEDS_DIR ?? fileURLToPath(new URL('../../../../shared/seeds', import.meta.url));
const seed = (n: string) => {
  const f = existsSync(seedsDir) ? readdirSync(seedsDir).find((x) => x.startsWith(`${n}_`)) : undefined;
  return f ? readFileSync(join(seedsDir, f), 'utf8') : null;
};
const s000 = seed('000');

/** NFKC without white space, brackets or ※ marks: the PDF text moves and breaks these freely. */
const norm = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s「」※]/g, '')
    .replace(/[（(]/g, '(')
    .replace(/[）)]/g, ')');
const numbers = (s: string) => [...s.replace(/,/g, '').matchAll(/\d+/g)].map((m) => Number(m[0]));
const isSubsequence = (needle: number[], hay: number[]) => {
  let i = 0;
  for (const x of hay) if (i < needle.length && x === needle[i]) i++;
  return i === needle.length;
};

describe.skipIf(!s000)('transcription of the regional vision (seeds 000, 001, 002)', () => {
  let lines: string[];
  let file: VisionFile;
  let sheets: ProjectSheet[];
  beforeAll(async () => {
    lines = s000!.split('\n');
    ({ file, sheets } = await readVision());
  });
  const sheetText = (s: ProjectSheet) => lines.slice(s.lines[0] - 1, s.lines[1]).join('\n');

  it('has the 55 sheets, each starting at its 「事 業 名 N」 line', () => {
    expect(sheets.map((s) => s.number)).toEqual(Array.from({ length: 55 }, (_, i) => i + 1));
    for (const s of sheets) expect(lines[s.lines[0] - 1], `No.${s.number}`).toMatch(new RegExp(`事 業 名 ${s.number}\\b`));
  });

  it('every sheet: name, 内容, 連携効果, 役割分担, indicators and footnotes appear in its lines', () => {
    for (const s of sheets) {
      const text = norm(sheetText(s));
      const parts = [s.name, ...s.description.split(/[。\n]/), ...s.effect.split('\n'), s.roles.aomori, ...s.roles.partners.split('\n')];
      for (const part of parts.filter((p) => p.trim())) expect(text, `No.${s.number}: ${part}`).toContain(norm(part));
      for (const i of s.indicators) {
        expect(text, `No.${s.number} ${i.name}`).toContain(norm(i.name).replace(/\(.*\)$/, ''));
        for (const cell of [i.baseline, i.target]) expect(text, `No.${s.number} ${cell}`).toContain(norm(cell));
      }
    }
  });

  it('every budget row: the printed figures in order, right after the column headings', () => {
    for (const s of sheets) {
      const text = sheetText(s);
      const after = text.slice(text.indexOf('2024年度 計') + '2024年度 計'.length);
      const row = after.split('\n').find((l) => l.trim())!;
      const cells = ['2020', '2021', '2022', '2023', '2024', 'total'] as const;
      const figures = cells.map((c) => s.budget[c]).filter((x): x is number => typeof x === 'number');
      const dashes = cells.filter((c) => s.budget[c] === '－').length;
      expect(numbers(row), `No.${s.number}: ${row}`).toEqual(figures);
      expect((row.match(/[－—]/g) ?? []).length, `No.${s.number}: ${row}`).toBe(dashes);
      expect(isSubsequence(figures, numbers(row))).toBe(true);
    }
  });

  it('the category table: names and printed counts', () => {
    const table = norm(lines.slice(0, 600).join('\n'));
    const walk = (cs: VisionFile['categories']): void => {
      for (const c of cs) {
        expect(table, c.name).toContain(norm(c.name).slice(0, 8));
        expect(table, `${c.name} ${c.statedCount}`).toMatch(new RegExp(`\\(${c.statedCount}事業\\)`));
        walk(c.children ?? []);
      }
    };
    walk(file.categories);
    // every project row in the table is marked for all four partner towns
    const rows = lines
      .slice(
        0,
        lines.findIndex((l) => l.includes('事 業 名')),
      )
      .filter((l) => l.includes('○'));
    expect(rows).toHaveLength(55);
    for (const r of rows) expect(r.match(/○/g)).toHaveLength(4);
  });

  it('seed 002: the 44 -> 48 revision, its new and changed projects with their numbers', () => {
    const s002 = norm(seed('002')!);
    expect(s002).toContain(norm('[現在] 44事業 ⇒ [変更案] 48事業'));
    const v48 = file.numbering.v48!;
    for (const ch of file.changes.filter((c) => c.to === 'v48')) {
      for (const n of ch.projects) {
        const name = sheets.find((s) => s.number === n)!.name;
        expect(s002, `${v48[String(n)]} ${name}`).toContain(norm(`${v48[String(n)]}${name}`));
      }
    }
  });

  it('seed 001: the FY2020 evaluations, each project numbered as in the report', () => {
    const s001 = norm(seed('001')!);
    for (const p of file.evaluations[0]!.projects) {
      expect(s001, p.name).toContain(norm(`${p.numberInReport}${p.name}`));
      for (const t of [...p.summary, ...p.effects]) expect(s001, p.name).toContain(norm(t));
      for (const i of p.indicators) {
        expect(s001, i.name).toContain(norm(i.name));
        expect(s001, `${i.name} ${i.actual}`).toContain(norm(`${i.actual}(${i.target})${i.grade}`));
      }
    }
  });
});

describe.skipIf(!seed('003'))('transcription of the city plan (seed 003)', () => {
  let plan: CityPlanFile;
  beforeAll(async () => {
    plan = await readCityPlan();
  });
  it('every heading, paragraph and item appears in the document', () => {
    const text = norm(seed('003')!);
    for (const c of plan.chapters) {
      if (c.name) expect(text).toContain(norm(`${c.code} ${c.name}`));
      for (const p of c.policies) {
        expect(text).toContain(norm(`${p.code} ${p.name}`));
        for (const t of [...p.direction, ...p.situation.flatMap((g) => [g.heading, ...g.items])]) expect(text, p.code).toContain(norm(t));
        for (const m of p.measures) {
          expect(text).toContain(norm(`${m.code} ${m.name}`));
          for (const t of [...m.summary, ...m.initiatives.flatMap((g) => [g.heading, ...g.items])]) expect(text, m.code).toContain(norm(t));
        }
      }
    }
  });
});
