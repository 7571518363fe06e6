import { describe, expect, it } from 'vitest';
import { missingForPublication } from './missing.ts';

const i = (id: number, ownerDepartment: string | null) => ({ id, code: `c${id}`, name: `指標${id}`, ownerDepartment });
const names: Record<string, string> = {
  'sogo-seisaku.dx-suishin': '総合政策部DX推進課',
  'kanko-koryu.kanko-seisaku': '観光交流推進部観光政策課',
};
const name = (id: string) => names[id] ?? id;
const dx = 'sogo-seisaku.dx-suishin';
const kanko = 'kanko-koryu.kanko-seisaku';

describe('what a publication would be without', () => {
  it.each([
    ['everything approved', [i(1, dx), i(2, null)], [1, 2], null],
    ['one unit missing, named by its full name', [i(1, dx), i(2, kanko), i(3, dx)], [2], '総合政策部DX推進課（2件）'],
    ['an owner the registry does not know: as stored', [i(1, '旧DX推進課')], [], '旧DX推進課（1件）'],
    ['no owner yet: nobody was asked', [i(1, null), i(2, null)], [], '担当部局が未設定の指標2件: 指標1、指標2'],
    [
      'both, in order',
      [i(1, kanko), i(2, null), i(3, dx)],
      [],
      '観光交流推進部観光政策課（1件）、総合政策部DX推進課（1件）／担当部局が未設定の指標1件: 指標2',
    ],
    [
      'many unowned: the first five named',
      [1, 2, 3, 4, 5, 6, 7].map((n) => i(n, null)),
      [],
      '担当部局が未設定の指標7件: 指標1、指標2、指標3、指標4、指標5ほか2件',
    ],
  ])('%s', (...[, indicators, approved, summary]) => {
    expect(missingForPublication(indicators, new Set(approved), name).summary).toBe(summary);
  });

  it('counts by unit', () => {
    const m = missingForPublication([i(1, dx), i(2, dx), i(3, null)], new Set(), name);
    expect(m.departments).toEqual([{ department: '総合政策部DX推進課', count: 2 }]);
    expect(m.unowned).toEqual([{ code: 'c3', name: '指標3' }]);
  });
});
