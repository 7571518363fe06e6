// Checks of the default data (data/aomori) against the text of the documents it was transcribed
// from (../shared/seeds). Each check answers the problems it found, so that a test can show both
// that the data holds and that a changed number is caught. The seed file and line range of each
// record are in its `transcribedFrom`, which only these checks read.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlanFile } from '../src/modules/plans/default-data.ts';
import type { CityPlanFile, ProjectSheet, VisionFile } from '../src/modules/plans/vision-data.ts';

const seedsDir = process.env.SEEDS_DIR ?? fileURLToPath(new URL('../../shared/seeds', import.meta.url));

/** The text of a seed document by its number (e.g. "004"), or null where the seeds are not present. */
export function seedText(seed: string): string | null {
  const f = existsSync(seedsDir) ? readdirSync(seedsDir).find((x) => x.startsWith(`${seed}_`)) : undefined;
  return f ? readFileSync(join(seedsDir, f), 'utf8') : null;
}

const isSubsequence = (needle: number[], hay: number[]) => {
  let i = 0;
  for (const x of hay) if (i < needle.length && x === needle[i]) i++;
  return i === needle.length;
};

/** Collects a problem for each failed condition. */
function problems(work: (check: (ok: boolean, what: string) => void) => void): string[] {
  const found: string[] = [];
  work((ok, what) => {
    if (!ok) found.push(what);
  });
  return found;
}

// --- 青森県DX推進プラン (資料1-1, 1-2) ---

/** NFKC, no white space: the PDF's text extraction breaks lines and spaces inside names and numbers. */
const dxNorm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/** The numbers of a text in order; "▲" is the document's minus sign. */
const dxNumbers = (s: string) =>
  [
    ...s
      .replace(/▲/g, '-')
      .replace(/,/g, '')
      .matchAll(/-?\d+(?:\.\d+)?/g),
  ].map((m) => Number(m[0]));

/** 資料1-2's eight KPI tables, in order: each from its header row to its "ＫＰＩ nn.n％" line. */
export function dxTables(raw: string) {
  const text = dxNorm(raw);
  const start = text.indexOf('資料編');
  const annex = text.slice(start, text.indexOf('青森県におけるデータ連携基盤共同利用に関するビジョン(案)31', start));
  return { text, tables: annex.split('中間指標名').slice(1) };
}

export const dxKpiProblems = (data: PlanFile, raw: string) =>
  problems((check) => {
    const { text, tables } = dxTables(raw);
    data.kpis.forEach((k, n) => {
      const table = tables[n] ?? '';
      const published = /KPI(\d+\.\d)%\(達成率の単純平均\)/.exec(table);
      check(Number(published?.[1]) === k.publishedIndex, `${k.code}: KPI ${k.publishedIndex}`);
      check(table.includes(dxNorm(k.name)), `${k.code}: ${k.name}`);
      check(text.includes(dxNorm(`【指標の構成要素】${k.components}`)), `${k.code}: ${k.components}`);
    });
  });

export const dxIndicatorProblems = (data: PlanFile, raw: string) =>
  problems((check) => {
    const { text, tables } = dxTables(raw);
    data.kpis.forEach((k, n) => {
      let rest = tables[n] ?? '';
      for (const [j, i] of k.indicators.entries()) {
        const at = rest.indexOf(dxNorm(i.name));
        check(at >= 0, `${k.code} ${i.name}: name`);
        if (at < 0) continue;
        rest = rest.slice(at + dxNorm(i.name).length);
        const expected = [i.target, i.previous?.value, i.previous?.rate, i.latest?.value, i.latest?.rate].filter(
          (x): x is number => x !== null && x !== undefined,
        );
        // the numbers up to the next indicator's name
        const next = k.indicators[j + 1];
        const segment = next ? rest.slice(0, rest.indexOf(dxNorm(next.name))) : rest;
        const found = dxNumbers(segment);
        check(isSubsequence(expected, found), `${k.code} ${i.name}: ${expected.join(', ')} not in ${found.join(', ')}`);
        for (const p of [i.previous?.period, i.latest?.period]) if (p) check(segment.includes(dxNorm(p)), `${i.name}: ${p}`);
        if (i.dataSource) check(text.includes(dxNorm(i.dataSource)), `${i.name}: ${i.dataSource}`);
      }
    });
  });

export const dxGoalProblems = (data: PlanFile, raw: string) =>
  problems((check) => {
    const text = dxNorm(raw);
    for (const g of data.goals) {
      check(text.includes(dxNorm(g.name)), g.name);
      const fmt = (v: number) => (g.unit === '%' ? `${v.toFixed(1)}%` : `${v}${g.unit}`);
      if (g.target !== null && g.unit !== '%') check(text.includes(fmt(g.target)), `${g.name}: ${g.target}`);
      for (const v of [g.previous, g.latest])
        if (v) check(text.includes(`${fmt(v.value!)}(${v.period.replace('年', '')})`), `${g.name}: ${v.value} (${v.period})`);
    }
  });

export const dxCaseProblems = (data: PlanFile, raw: string) =>
  problems((check) => {
    // One stray 「 in the document (「ICT機器「を利用して」) is dropped in the data: brackets are not compared.
    const plain = (s: string) => dxNorm(s).replace(/[「」]/g, '');
    const text = dxNorm(raw);
    const doc = plain(raw);
    for (const f of data.fields) {
      for (const c of f.cases) {
        check(text.includes(dxNorm(c.title)), c.title);
        // The text is compared sentence by sentence: the PDF interleaves columns between them.
        for (const sentence of c.body.split('。').filter((s) => s.length > 8 && !s.startsWith('（統合型'))) {
          check(doc.includes(plain(sentence)), `${c.title}: ${sentence}`);
        }
      }
    }
  });

// --- 青森圏域連携中枢都市圏ビジョン (資料3-2, its 概要, 令和2年度の取組実績) and 青森市総合計画 ---

/** NFKC without white space, brackets or ※ marks: the PDF text moves and breaks these freely. */
const norm = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s「」※]/g, '')
    .replace(/[（(]/g, '(')
    .replace(/[）)]/g, ')');
const numbers = (s: string) => [...s.replace(/,/g, '').matchAll(/\d+/g)].map((m) => Number(m[0]));

const sheetText = (lines: string[], s: ProjectSheet) => lines.slice(s.transcribedFrom.lines[0] - 1, s.transcribedFrom.lines[1]).join('\n');

export const sheetProblems = (sheets: ProjectSheet[], raw: string) =>
  problems((check) => {
    const lines = raw.split('\n');
    for (const s of sheets) {
      check(new RegExp(`事 業 名 ${s.number}\\b`).test(lines[s.transcribedFrom.lines[0] - 1] ?? ''), `No.${s.number}: first line`);
      const text = norm(sheetText(lines, s));
      const parts = [s.name, ...s.description.split(/[。\n]/), ...s.effect.split('\n'), s.roles.aomori, ...s.roles.partners.split('\n')];
      for (const part of parts.filter((p) => p.trim())) check(text.includes(norm(part)), `No.${s.number}: ${part}`);
      for (const i of s.indicators) {
        check(text.includes(norm(i.name).replace(/\(.*\)$/, '')), `No.${s.number}: ${i.name}`);
        for (const cell of [i.baseline, i.target]) check(text.includes(norm(cell)), `No.${s.number}: ${cell}`);
      }
    }
  });

export const budgetProblems = (sheets: ProjectSheet[], raw: string) =>
  problems((check) => {
    const lines = raw.split('\n');
    for (const s of sheets) {
      const text = sheetText(lines, s);
      const after = text.slice(text.indexOf('2024年度 計') + '2024年度 計'.length);
      const row = after.split('\n').find((l) => l.trim()) ?? '';
      const cells = ['2020', '2021', '2022', '2023', '2024', 'total'] as const;
      const figures = cells.map((c) => s.budget[c]).filter((x): x is number => typeof x === 'number');
      const dashes = cells.filter((c) => s.budget[c] === '－').length;
      check(numbers(row).join(',') === figures.join(','), `No.${s.number}: ${figures.join(', ')} against 「${row.trim()}」`);
      check((row.match(/[－—]/g) ?? []).length === dashes, `No.${s.number}: ${dashes} dashes against 「${row.trim()}」`);
    }
  });

export const categoryProblems = (file: VisionFile, raw: string) =>
  problems((check) => {
    const lines = raw.split('\n');
    const table = norm(lines.slice(0, 600).join('\n'));
    const walk = (cs: VisionFile['categories']): void => {
      for (const c of cs) {
        check(table.includes(norm(c.name).slice(0, 8)), c.name);
        check(new RegExp(`\\(${c.statedCount}事業\\)`).test(table), `${c.name}: ${c.statedCount}事業`);
        walk(c.children ?? []);
      }
    };
    walk(file.categories);
    // every project row in the table is marked for all four partner towns
    const rows = lines
      .slice(
        0,
        Math.max(
          0,
          lines.findIndex((l) => l.includes('事 業 名')),
        ),
      )
      .filter((l) => l.includes('○'));
    check(rows.length === 55, `${rows.length} project rows`);
    for (const r of rows) check(r.match(/○/g)?.length === 4, `four ○ in ${r}`);
  });

/** The lines a change's `transcribedFrom` names hold the mark it was read from (e.g. 「新規」 under a sheet). */
export const changeProblems = (file: VisionFile, sheets: ProjectSheet[], seeds: (n: string) => string) =>
  problems((check) => {
    const v48 = file.numbering.v48!;
    for (const ch of file.changes) {
      const text = seeds(ch.transcribedFrom.seed);
      for (const line of ch.transcribedFrom.lines ?? []) check(text.split('\n')[line - 1]?.trim() === '新規', `line ${line}: 新規`);
      if (ch.to !== 'v48') continue;
      const t = norm(text);
      for (const n of ch.projects) {
        const name = sheets.find((s) => s.number === n)!.name;
        check(t.includes(norm(`${v48[String(n)]}${name}`)), `${v48[String(n)]} ${name}`);
      }
    }
  });

export const evaluationProblems = (file: VisionFile, seeds: (n: string) => string) =>
  problems((check) => {
    for (const ev of file.evaluations) {
      const text = norm(seeds(ev.transcribedFrom.seed));
      for (const p of ev.projects) {
        check(text.includes(norm(`${p.numberInReport}${p.name}`)), `${p.numberInReport} ${p.name}`);
        for (const t of [...p.summary, ...p.effects]) check(text.includes(norm(t)), `${p.name}: ${t}`);
        for (const i of p.indicators) {
          check(text.includes(norm(i.name)), i.name);
          check(text.includes(norm(`${i.actual}(${i.target})${i.grade}`)), `${i.name}: ${i.actual} (${i.target}) ${i.grade}`);
        }
      }
    }
  });

export const cityPlanProblems = (plan: CityPlanFile, raw: string) =>
  problems((check) => {
    const text = norm(raw);
    const lines = raw.split('\n');
    const at = (line: number, code: string) => check(lines[line - 1]?.trim().startsWith(`${code} `) ?? false, `${code}: line ${line}`);
    for (const c of plan.chapters) {
      if (c.name) check(text.includes(norm(`${c.code} ${c.name}`)), `${c.code} ${c.name}`);
      for (const p of c.policies) {
        at(p.line, p.code);
        check(text.includes(norm(`${p.code} ${p.name}`)), `${p.code} ${p.name}`);
        for (const t of [...p.direction, ...p.situation.flatMap((g) => [g.heading, ...g.items])])
          check(text.includes(norm(t)), `${p.code}: ${t}`);
        for (const m of p.measures) {
          at(m.line, m.code);
          check(text.includes(norm(`${m.code} ${m.name}`)), `${m.code} ${m.name}`);
          for (const t of [...m.summary, ...m.initiatives.flatMap((g) => [g.heading, ...g.items])])
            check(text.includes(norm(t)), `${m.code}: ${t}`);
        }
      }
    }
  });
