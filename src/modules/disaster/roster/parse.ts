// Reading a 避難行動要支援者名簿 CSV. There is no national file layout: 災害対策基本法 第49条の10第2項 lists
// what the roster holds (氏名, 生年月日, 性別, 住所又は居所, 電話番号その他の連絡先, 避難支援等を必要とする事由,
// and what the municipality's head finds necessary), and 内閣府「避難行動要支援者の避難行動支援に関する
// 取組指針」 (平成25年8月, 令和3年5月改定) repeats that list; each municipality's system exports its own
// columns. So the headers are those items' names (with the usual short forms), in any order, plus
// ふりがな, 町名・地区, the supporters (避難支援等関係者) and the 個別避難計画 (第49条の14). Nothing here writes.
import { decodeText, type TextEncoding } from '../../../platform/text.ts';
import { readCsv } from '../../../platform/csv.ts';

export const rosterLimits = { bytes: 5_000_000, people: 20_000, fields: 200, cell: 2000, text: 200, supporters: 3 } as const;

export interface Supporter {
  name: string;
  phone: string;
}
export interface RosterPerson {
  row: number;
  name: string;
  kana: string;
  /** YYYY-MM-DD (西暦), whatever the file wrote (和暦 too). */
  birthDate: string;
  sex: string;
  address: string;
  district: string;
  phone: string;
  reason: string;
  supporters: Supporter[];
  /** 個別避難計画: 有, 無, or its text; '' when the file says nothing. */
  plan: string;
}
export interface RowError {
  row: number;
  message: string;
}
export interface ParsedRoster {
  people: RosterPerson[];
  errors: RowError[];
  encoding: TextEncoding;
}

type Field = Exclude<keyof RosterPerson, 'row' | 'supporters'>;
/** Column headers per field: the law's wording first, then what municipalities' exports call it. */
export const rosterColumns: Record<Field, { headers: string[]; required: boolean; label: string }> = {
  name: { headers: ['氏名', '名前'], required: true, label: '氏名' },
  kana: { headers: ['ふりがな', 'フリガナ', '氏名カナ', '氏名_カナ'], required: false, label: 'ふりがな' },
  birthDate: { headers: ['生年月日'], required: true, label: '生年月日' },
  sex: { headers: ['性別'], required: false, label: '性別' },
  address: { headers: ['住所又は居所', '住所', '居所'], required: true, label: '住所' },
  district: { headers: ['町名・地区', '地区', '町名', '町内会', '行政区'], required: false, label: '町名・地区' },
  phone: { headers: ['電話番号その他の連絡先', '電話番号', '電話', '連絡先'], required: false, label: '電話' },
  reason: { headers: ['避難支援等を必要とする事由', '要支援の理由', '事由', '支援が必要な理由'], required: true, label: '要支援の理由' },
  plan: { headers: ['個別避難計画', '個別避難計画の有無'], required: false, label: '個別避難計画' },
};
/** 避難支援等関係者1_氏名 / 支援者1電話 …: up to three supporters, a name and a phone each. */
const supporterHeader = /^(?:避難支援等関係者|支援者)([1-9])_?(氏名|電話|電話番号)$/;

// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const lineBreaks = /[\r\n]/;
const multiline = new Set<Field>(['reason', 'plan']);

/** Why a cell is refused: control characters, a line break where one makes no sense, a spreadsheet formula, or too long. */
function badCell(v: string, field: Field | 'supporter', max: number): string | undefined {
  if (controls.test(v)) return '制御文字が含まれています';
  if (lineBreaks.test(v) && !multiline.has(field as Field)) return '改行が含まれています';
  if (/^[=+\-@\t]/.test(v) && field !== 'phone') return '数式として読まれる文字（= + - @）で始まっています';
  if (v.length > max) return `${max}文字を超えています`;
  return undefined;
}

const eras: Record<string, number> = {
  明治: 1867,
  大正: 1911,
  昭和: 1925,
  平成: 1988,
  令和: 2018,
  M: 1867,
  T: 1911,
  S: 1925,
  H: 1988,
  R: 2018,
};

/** 1940-03-04, 1940/3/4, 昭和15年3月4日, S15.3.4 (元年 too) as YYYY-MM-DD, or undefined when it is no real past date. */
export function readBirthDate(raw: string): string | undefined {
  const v = raw.normalize('NFKC').trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v);
  let y: number;
  if (m) y = Number(m[1]);
  else {
    m = /^(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})[年.](\d{1,2})[月.](\d{1,2})日?$/.exec(v);
    if (!m) return undefined;
    y = eras[m[1]!]! + (m[2] === '元' ? 1 : Number(m[2]));
    m = [m[0], String(y), m[3]!, m[4]!] as unknown as RegExpExecArray;
  }
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  if (y < 1880 || date.getTime() > Date.now()) return undefined;
  return date.toISOString().slice(0, 10);
}

const phonePattern = /^[0-9+()\- ]{6,20}$/;
const normPhone = (v: string) =>
  v
    .normalize('NFKC')
    .replace(/[ー－‐―]/g, '-')
    .trim();
const normSex = (v: string) =>
  ({ 男: '男', 男性: '男', 女: '女', 女性: '女', M: '男', F: '女', '1': '男', '2': '女' })[v.trim()] ?? v.trim();

/** Reads an uploaded roster (UTF-8 with or without BOM, or CP932 as Excel in Japan saves it): people, or every row's errors. */
export function parseRoster(bytes: Uint8Array): ParsedRoster {
  const fail = (message: string, encoding: TextEncoding = 'utf-8'): ParsedRoster => ({
    people: [],
    errors: [{ row: 0, message }],
    encoding,
  });
  // The confirm form's text may be larger than the file it came from (CP932 grows in UTF-8).
  if (bytes.length > rosterLimits.bytes * 2) return fail('ファイルが大きすぎます（5MBまで）');
  const { text, encoding } = decodeText(bytes);
  const read = readCsv(text, { maxRows: rosterLimits.people, maxFields: rosterLimits.fields, maxField: rosterLimits.cell, unit: '人' });
  if ('error' in read) return fail(read.error, encoding);
  const [head, ...body] = read.records;
  if (!head) return fail('データが1件もありません', encoding);
  const header = head.cells.map((h) => h.normalize('NFKC').replace(/\s/g, '').replace('･', '・'));
  const at = {} as Record<Field, number>;
  const missing: string[] = [];
  for (const [field, col] of Object.entries(rosterColumns) as [Field, (typeof rosterColumns)[Field]][]) {
    at[field] = header.findIndex((h) => col.headers.includes(h));
    if (at[field] < 0 && col.required) missing.push(col.headers[0]!);
  }
  if (missing.length) return fail(`見出し行に「${missing.join('」「')}」の列が必要です（docs/disaster.md の列の一覧）`, encoding);
  const supporterAt: { n: number; part: 'name' | 'phone'; index: number }[] = [];
  header.forEach((h, index) => {
    const m = supporterHeader.exec(h);
    if (m && Number(m[1]) <= rosterLimits.supporters)
      supporterAt.push({ n: Number(m[1]), part: m[2] === '氏名' ? 'name' : 'phone', index });
  });
  const people: RosterPerson[] = [];
  const errors: RowError[] = [];
  for (const { line: row, cells } of body) {
    const problems: string[] = [];
    const cell = (f: Field) => (at[f] >= 0 ? (cells[at[f]] ?? '').trim() : '');
    const values = {} as Record<Field, string>;
    for (const f of Object.keys(rosterColumns) as Field[]) {
      const v = cell(f);
      const bad = v && badCell(v, f, multiline.has(f) ? rosterLimits.cell : rosterLimits.text);
      if (bad) problems.push(`${rosterColumns[f].label}: ${bad}`);
      else if (!v && rosterColumns[f].required) problems.push(`${rosterColumns[f].label}がありません`);
      values[f] = v;
    }
    const birthDate = values.birthDate && readBirthDate(values.birthDate);
    if (values.birthDate && !birthDate)
      problems.push(`生年月日「${values.birthDate.slice(0, 20)}」が日付として読めません（例: 1940-03-04、昭和15年3月4日）`);
    const phone = normPhone(values.phone);
    if (phone && !phonePattern.test(phone)) problems.push('電話: 番号として読めません');
    const supporters: Supporter[] = [];
    for (let n = 1; n <= rosterLimits.supporters; n++) {
      const part = (p: 'name' | 'phone') => {
        const c = supporterAt.find((s) => s.n === n && s.part === p);
        return c ? (cells[c.index] ?? '').trim() : '';
      };
      const [name, tel] = [part('name'), normPhone(part('phone'))];
      if (!name && !tel) continue;
      const bad = badCell(name, 'supporter', rosterLimits.text);
      if (bad) problems.push(`避難支援等関係者${n}の氏名: ${bad}`);
      else if (!name) problems.push(`避難支援等関係者${n}の氏名がありません`);
      if (tel && !phonePattern.test(tel)) problems.push(`避難支援等関係者${n}の電話: 番号として読めません`);
      supporters.push({ name, phone: tel });
    }
    if (problems.length) {
      errors.push(...problems.map((message) => ({ row, message })));
      continue;
    }
    people.push({ row, ...values, birthDate: birthDate!, sex: normSex(values.sex), phone, supporters });
  }
  if (!body.length) errors.push({ row: 0, message: 'データが1件もありません' });
  return { people: errors.length ? [] : people, errors, encoding };
}
