// Checks of data/aomori/aomori-dx-talent.json (資料3「青森県デジタル人財育成方針に基づく実施状況」) against
// the seed text it was read from: every sentence, name and figure, in the lines its `transcribedFrom`
// names. Answers the problems found, so a test shows both that the data holds and that a change is caught.
import type { TalentFile } from '../src/modules/plans/talent-data.ts';

/** NFKC without white space: the PDF's text extraction breaks lines inside sentences and puts full-width digits. */
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
const numbers = (s: string) =>
  [
    ...s
      .normalize('NFKC')
      .replace(/(\d),(\d)/g, '$1$2')
      .matchAll(/\d+/g),
  ].map((m) => Number(m[0]));

function problems(work: (check: (ok: boolean, what: string) => void) => void): string[] {
  const found: string[] = [];
  work((ok, what) => {
    if (!ok) found.push(what);
  });
  return found;
}

const linesOf = (raw: string, range: number[] | undefined) => {
  const lines = raw.split('\n');
  return range ? lines.slice(range[0]! - 1, range[1]).join('\n') : raw;
};

export const talentProblems = (data: TalentFile, raw: string) =>
  problems((check) => {
    const lines = raw.split('\n');
    const plan = linesOf(raw, data.plan.transcribedFrom.lines);
    check(lines[data.plan.transcribedFrom.lines![0]! - 1]?.trim() === `${data.plan.name}に基づく実施状況`, 'plan: title line');
    check(norm(plan).includes('資料3'), 'plan: 資料3');
    // The page numbers the provenance names: 19 after the first slide, 20 on the second.
    check(lines[632]?.trim() === '19' && lines[638]?.trim() === '20', 'pages 19 and 20');

    for (const p of data.pillars) {
      const text = norm(linesOf(raw, p.transcribedFrom.lines));
      check(text.includes(norm(p.name)), `${p.code}: ${p.name}`);
      check(text.includes(norm(p.label)), `${p.code}: ${p.label}`);
      for (const s of [p.summary, ...p.items, ...p.next].filter((x): x is string => x !== null))
        check(text.includes(norm(s)), `${p.code}: ${s}`);
      for (const m of p.measures) check(text.includes(norm(`${m.name}：${m.text}`)), `${p.code}: ${m.name}`);
      for (const i of p.indicators) {
        check(text.includes(norm(i.quoted)), `${i.code}: quoted 「${i.quoted}」`);
        const found = numbers(i.quoted);
        for (const v of i.values) check(v.value !== null && found.includes(v.value), `${i.code}: ${v.value} not in 「${i.quoted}」`);
        // A target of one year (next year's plan) is printed in the sentence, its note too.
        if (i.periodTargets.length === 1) {
          const t = i.periodTargets[0]!;
          check(t.target !== null && found.includes(t.target), `${i.code}: ${t.target} not in 「${i.quoted}」`);
          if (t.note) check(norm(i.quoted).includes(norm(t.note)), `${i.code}: ${t.note}`);
        }
      }
    }
    // R6 is this year: the slide calls the next one Ｒ７ (「来年度の実施に向けて Ｒ７ 取組」).
    check(norm(raw).includes(norm('来年度の実施に向けてＲ７取組')), 'R7 is next year');

    const s = data.stages;
    const stages = linesOf(raw, s.transcribedFrom.lines);
    const st = norm(stages);
    check(st.includes(norm(s.title)), `stages: ${s.title}`);
    if (s.summary) check(st.includes(norm(s.summary)), `stages: ${s.summary}`);
    if (s.allStaff) check(st.includes(norm(s.allStaff)), `stages: ${s.allStaff}`);
    for (const n of s.notes) check(st.includes(norm(n)), `stages: ${n}`);
    // The header row: the years, then 累計.
    const header = stages.split('\n').find((l) => l.includes('累計')) ?? '';
    check(norm(header) === norm(`${s.years.map((y) => y.replace('年度', '')).join('')}累計`), `stages: header 「${header}」`);
    for (const r of s.rows) {
      check(st.includes(norm(r.stage)), `stages: ${r.stage}`);
      check(st.includes(norm(r.target)), `stages: ${r.target}`);
      check(st.includes(norm(r.group)), `stages: ${r.group}`);
      check(st.includes(norm(r.method)), `stages: ${r.method} (the vertical text, letter by letter)`);
      check(st.includes(`${r.years}年`), `stages: ${r.stage} ${r.years}年`);
      // Where the stage and its years share a line, they are paired there.
      const line = stages.split('\n').find((l) => l.includes(r.stage));
      const own = /^\S+\s+(\d+)年/.exec(line?.trim() ?? '');
      if (own) check(Number(own[1]) === r.years, `stages: ${r.stage} printed with ${own[1]}年`);
    }
    // Row ①: its line prints four yearly figures and the total; the fifth 200 stands alone below
    // (the text extraction moved it). The yearly targets of its indicator are those five, summing to the total.
    const first = s.rows.find((r) => r.indicator);
    if (first) {
      const i = data.pillars.flatMap((p) => p.indicators).find((x) => x.code === first.indicator)!;
      const row = stages.split('\n').find((l) => l.includes(first.stage)) ?? '';
      const printed = numbers(row.slice(row.indexOf(`${first.years}年`) + `${first.years}年`.length));
      const targets = i.periodTargets.map((t) => t.target);
      check(targets.length === s.years.length, `${i.code}: one target per year of the table`);
      check(
        i.periodTargets.every((t, n) => t.period === s.years[n]),
        `${i.code}: the table's years`,
      );
      check(printed.at(-1) === i.target, `${i.code}: 累計 ${printed.at(-1)} against ${i.target}`);
      const after = stages.split('\n').slice(stages.split('\n').indexOf(row) + 1);
      const alone = after.filter((l) => /^\d[\d,]*$/.test(l.trim())).map(Number);
      // Four on the row, the fifth the first figure standing alone (200); the other (100) has no cell we can tell.
      const yearly = [...printed.slice(0, -1), alone[0]];
      const sorted = (xs: (number | null | undefined)[]) => JSON.stringify([...xs].sort());
      check(sorted(yearly) === sorted(targets), `${i.code}: ${targets.join(', ')} against ${yearly.join(', ')}`);
      check(targets.reduce<number>((a, b) => a + (b ?? 0), 0) === i.target, `${i.code}: the years sum to the total`);
      check(
        i.target !== null && st.includes(norm(`5年間で${i.target.toLocaleString('en')}名以上を育成`)),
        `${i.code}: 5年間で${i.target}名以上`,
      );
    }
  });
