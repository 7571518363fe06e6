import { describe, expect, it } from 'vitest';
import { missingForPublication } from './missing.ts';

const i = (id: number, ownerDepartment: string | null) => ({ id, code: `c${id}`, name: `指標${id}`, ownerDepartment });

describe('what a publication would be without', () => {
  it.each([
    ['everything approved', [i(1, 'DX推進課'), i(2, null)], [1, 2], null],
    ['one department missing', [i(1, 'DX推進課'), i(2, '観光政策課'), i(3, 'DX推進課')], [2], 'DX推進課（2件）'],
    ['no owner yet: nobody was asked', [i(1, null), i(2, null)], [], '担当部局が未設定の指標2件: 指標1、指標2'],
    [
      'both, in order',
      [i(1, '観光政策課'), i(2, null), i(3, 'DX推進課')],
      [],
      '観光政策課（1件）、DX推進課（1件）／担当部局が未設定の指標1件: 指標2',
    ],
    [
      'many unowned: the first five named',
      [1, 2, 3, 4, 5, 6, 7].map((n) => i(n, null)),
      [],
      '担当部局が未設定の指標7件: 指標1、指標2、指標3、指標4、指標5ほか2件',
    ],
  ])('%s', (...[, indicators, approved, summary]) => {
    expect(missingForPublication(indicators, new Set(approved)).summary).toBe(summary);
  });

  it('counts by department', () => {
    const m = missingForPublication([i(1, 'A課'), i(2, 'A課'), i(3, null)], new Set());
    expect(m.departments).toEqual([{ department: 'A課', count: 2 }]);
    expect(m.unowned).toEqual([{ code: 'c3', name: '指標3' }]);
  });
});
