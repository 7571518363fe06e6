// Transcribes 青森市総合計画 (shared/seeds/003) into data/aomori/aomori-city-plan.json.
// The seed's text is regular (headings, 《…》 groups, "- " items), so it is read mechanically and
// the JSON is committed; provenance.test.ts then checks the JSON against the seed again.
// Usage: node scripts/transcribe/city-plan.mjs ../shared/seeds/003_*.txt > data/aomori/aomori-city-plan.json
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .map((l, i) => ({ text: l.trim(), line: i + 1 }));
const chapters = [];
let chapter, policy, measure, section, group;

const chapterOf = (code, name, line) => {
  let c = chapters.find((x) => x.code === code);
  if (!c) chapters.push((c = { code, name, line, policies: [] }));
  return c;
};

for (const { text, line } of lines) {
  if (!text) continue;
  let m;
  if ((m = /^(\d) (\S.*)$/.exec(text))) {
    chapter = chapterOf(m[1], m[2], line);
  } else if ((m = /^(\d)-(\d) (\S.*)$/.exec(text))) {
    chapter = chapterOf(m[1], chapter?.code === m[1] ? chapter.name : null, line);
    policy = { code: `${m[1]}-${m[2]}`, name: m[3], line, situation: [], direction: [], measures: [] };
    chapter.policies.push(policy);
    measure = undefined;
    section = undefined;
  } else if ((m = /^(\d-\d-\d) (\S.*)$/.exec(text))) {
    measure = { code: m[1], name: m[2], line, summary: [], initiatives: [], indicators: [], indicatorColumns: null };
    policy.measures.push(measure);
    section = 'summary';
  } else if (text === '現状と課題') section = 'situation';
  else if (text === '基本方向') section = 'direction';
  else if (text === '施策の体系') section = 'system';
  else if (text === '主な取組') section = 'initiatives';
  else if (text === '目標とする指標') section = 'indicators';
  else if (section === 'indicators' && text.includes('\t')) measure.indicatorColumns = text.split('\t');
  else if ((m = /^《(.*)》$/.exec(text))) {
    group = { heading: m[1], items: [] };
    (section === 'situation' ? policy.situation : measure.initiatives).push(group);
  } else if (text.startsWith('- ')) group.items.push(text.slice(2));
  else if (text.startsWith('※')) measure.footnotes = [...(measure.footnotes ?? []), text];
  else if (section === 'direction') policy.direction.push(text);
  else if (section === 'summary') measure.summary.push(text);
  else throw new Error(`line ${line}: not understood: ${text}`);
}

// A page break can cut a sentence in two: join a paragraph that does not end a sentence with the next.
const joinBroken = (paragraphs) =>
  paragraphs.reduce((out, p) => (out.length && !/[。）)]$/.test(out.at(-1)) ? [...out.slice(0, -1), out.at(-1) + p] : [...out, p]), []);
for (const c of chapters)
  for (const p of c.policies) {
    p.direction = joinBroken(p.direction);
    for (const g of p.situation) g.items = joinBroken(g.items);
    for (const m of p.measures) {
      m.summary = joinBroken(m.summary);
      for (const g of m.initiatives) g.items = joinBroken(g.items);
    }
  }

// Public provenance names the document and its sections; `transcribedFrom` (the seed) and each heading's line
// are for provenance.test.ts only and never reach a page.
const document = '青森市総合計画 前期基本計画';
const provenance = `${document} 第2章「ひと創り」・3-1「地域内連携・広域連携の推進」`;
const transcribedFrom = { seed: '003' };
process.stdout.write(`${JSON.stringify({ provenance, document, transcribedFrom, chapters }, null, 2)}\n`);
