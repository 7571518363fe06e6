import { describe, expect, it } from 'vitest';
import type { AmountCell } from '../../platform/columns.ts';
import { totalDifference, totalWarning } from './budget-check.ts';

const v = (amount: number): AmountCell => ({ amount, cell: 'value' });
const dash: AmountCell = { amount: null, cell: 'dash' };
const blankCell: AmountCell = { amount: null, cell: 'blank' };

describe('stated total against its years', () => {
  it.each([
    [[v(629), v(517), dash, blankCell], v(1146), 0, 'agree; 「－」 and blank add nothing'],
    [[v(629), v(600)], v(1146), 1146 - 1229, 'a year changed, the total left'],
    [[v(629)], dash, null, 'total 「－」'],
    [[dash, blankCell], v(100), null, 'no year has a figure'],
  ])('%j, %j → %s (%s)', (...[years, total, expected]) => {
    expect(totalDifference(years, total)).toBe(expected);
  });

  it('names the project and both figures', () => {
    expect(totalWarning({ number: 9, name: '広域観光推進事業' }, [v(629), v(1600)], v(1146))).toBe(
      'No.9 広域観光推進事業: 計（1,146千円）が年度の合計（2,229千円）と1,083千円異なります。取り込みはできますが、公開ページには差として表示されます。',
    );
    expect(totalWarning({ number: 9, name: 'x' }, [v(629), v(517)], v(1146))).toBeNull();
  });
});
