import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionLabel, changes, formatJst, formatValue, jstDayStart, templatedActions, toCsv } from './audit-format.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) ? [p] : [];
  });
}

describe('action labels', () => {
  const written = new Set<string>();
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    // A code chosen by a condition: action: x ? 'approve_entry' : 'return_entry'
    for (const m of text.matchAll(/action:[^,\n]*\?\s*'([a-z_]+)'\s*:\s*'([a-z_]+)'/g)) written.add(m[1]!).add(m[2]!);
    // A code handed to a module's own audit-entry builder: auditOf(actor, 'update_shelter_status', …)
    for (const m of text.matchAll(/auditOf\([^,()]+,\s*'([a-z_]+)'/g)) written.add(m[1]!);
    for (const m of text.matchAll(/action:\s*['`]([a-z_]+)(\$\{)?/g)) {
      // A template (add_${kind}) counts through templatedActions, checked below.
      if (!m[2]) written.add(m[1]!);
      else
        expect(
          templatedActions.some((t) => t.startsWith(m[1]!)),
          `${file}: ${m[1]}…`,
        ).toBe(true);
    }
  }

  it('finds the codes in the source', () => {
    expect(written).toContain('publish_round');
    expect(written).toContain('return_entry');
    expect(written.size).toBeGreaterThan(10);
  });

  it.each([...written, ...templatedActions])('%s has a Japanese label', (code) => {
    expect(actionLabel(code)).not.toBe(code);
    expect(actionLabel(code)).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });

  it.each([
    ['publish_round', '報告ラウンドの公表'],
    ['add_kpi', 'KPIの追加'],
    ['retire_indicator', '指標の廃止'],
    ['rename_field', '分野の名称変更'],
    ['import_budgets', '予算の取り込み'],
    ['something_new', 'something_new'],
    ['add_unknown', 'add_unknown'],
  ])('%s -> %s', (code, label) => {
    expect(actionLabel(code)).toBe(label);
  });
});

describe('times in JST', () => {
  it.each([
    ['2026-12-01T05:05:00.000Z', '2026年12月1日 14:05'],
    ['2026-12-31T15:00:00.000Z', '2027年1月1日 00:00'],
    ['2026-01-09T23:59:59.999Z', '2026年1月10日 08:59'],
  ])('%s -> %s', (iso, text) => {
    expect(formatJst(iso)).toBe(text);
  });

  it('a JST day starts at 15:00 UTC the day before', () => {
    expect(jstDayStart('2026-12-01')).toBe('2026-11-30T15:00:00.000Z');
  });
});

describe('changes', () => {
  it.each([
    ['a renamed KPI', { name: 'A', components: 'x' }, { name: 'B', components: 'x' }, [{ field: '名称', before: 'A', after: 'B' }]],
    [
      'a new record',
      null,
      { name: '事業', number: 1200 },
      [
        { field: '名称', before: '－', after: '事業' },
        { field: '事業番号', before: '－', after: '1,200' },
      ],
    ],
    ['an owner', { ownerDepartment: null }, { ownerDepartment: 'DX推進課' }, [{ field: '担当部局', before: '－', after: 'DX推進課' }]],
    ['a status', { status: 'submitted' }, { status: 'approved' }, [{ field: '状態', before: '提出済み', after: '承認済み' }]],
    ['partners', ['02201'], ['02201', '02202'], [{ field: '値', before: '02201', after: '02201、02202' }]],
    [
      'a budget year',
      [
        { fiscalYear: 2025, amount: 100, cell: 'value' },
        { fiscalYear: null, amount: 100, cell: 'value' },
      ],
      [
        { fiscalYear: 2025, amount: 150, cell: 'value' },
        { fiscalYear: null, amount: 100, cell: 'value' },
      ],
      [{ field: '2025年度', before: '100', after: '150' }],
    ],
    ['nothing changed', { a: 1 }, { a: 1 }, []],
  ])('%s', (_label, before, after, expected) => {
    expect(changes(before, after)).toEqual(expected);
  });

  it('names the units that owners, departments and municipalities hold, not their ids or codes', () => {
    const names: Record<string, string> = { 'sogo-seisaku.dx-suishin': '総合政策部DX推進課', '02201': '青森市', somu: '総務部' };
    const name = (id: string) => names[id] ?? id;
    expect(changes({ ownerDepartment: null }, { ownerDepartment: 'sogo-seisaku.dx-suishin' }, name)).toEqual([
      { field: '担当部局', before: '－', after: '総合政策部DX推進課' },
    ]);
    expect(changes({ department: 'somu', municipalityCode: null }, { department: null, municipalityCode: '02201' }, name)).toEqual([
      { field: '担当部局', before: '総務部', after: '－' },
      { field: '市町村', before: '－', after: '青森市' },
    ]);
    expect(changes(['02201'], ['02201', '02202'], (id) => ({ '02201': '青森市', '02202': '弘前市' })[id] ?? id)).toEqual([
      { field: '値', before: '青森市', after: '青森市、弘前市' },
    ]);
    // Other fields keep their values, even when one looks like a unit id.
    expect(changes({ name: 'somu' }, { name: 'x' }, name)).toEqual([{ field: '名称', before: 'somu', after: 'x' }]);
  });

  it('nested values are short text, never JSON braces', () => {
    const text = formatValue({ scope: ['a', 'b'], name: { x: 1 } });
    expect(text).toBe('範囲: a、b、名称: x: 1');
    expect(text).not.toMatch(/[{}[\]"]/);
    expect(formatValue('2026-12-01T05:05:00.000Z')).toBe('2026年12月1日 14:05');
    expect(formatValue(true)).toBe('はい');
  });
});

describe('CSV for Excel', () => {
  it('starts with a BOM, ends lines with CRLF and quotes per RFC 4180', () => {
    const csv = toCsv([
      ['日時', '理由'],
      ['a,b', 'say "hi"'],
      ['line\nbreak', 'plain'],
    ]);
    expect(csv).toBe('\uFEFF日時,理由\r\n"a,b","say ""hi"""\r\n"line\nbreak",plain\r\n');
  });

  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+81', "'+81"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['=a,b', `"'=a,b"`],
    ['ok=1', 'ok=1'],
  ])('guards %s', (cell, out) => {
    expect(toCsv([[cell]])).toBe(`\uFEFF${out}\r\n`);
  });
});
