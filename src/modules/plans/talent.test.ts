import { describe, expect, it } from 'vitest';
import { yearRows } from './talent.ts';

/** Targets for consecutive fiscal years from R`first`. */
const targets = (xs: (number | null)[], first = 6) => xs.map((target, n) => ({ periodLabel: `R${first + n}年度`, target, note: null }));

describe('targets per year against what was reached', () => {
  it.each([
    {
      what: 'one year reached of five',
      targets: [200, 200, 200, 200, 200],
      values: [{ period: 'R6年度', value: 200 }],
      cumulativeTarget: [200, 400, 600, 800, 1000],
      reached: [200, null, null, null, null],
      cumulativeReached: [200, null, null, null, null],
    },
    {
      what: 'two years, the second short of its target',
      targets: [200, 200],
      values: [
        { period: 'R6年度', value: 200 },
        { period: 'R7年度', value: 150 },
      ],
      cumulativeTarget: [200, 400],
      reached: [200, 150],
      cumulativeReached: [200, 350],
    },
    {
      what: 'a blank target makes the running total unknown from there, not 0',
      targets: [200, null, 200],
      values: [],
      cumulativeTarget: [200, null, null],
      reached: [null, null, null],
      cumulativeReached: [null, null, null],
    },
    {
      what: 'a missing year stops the running total of what was reached',
      targets: [100, 100, 100],
      values: [
        { period: 'R6年度', value: 90 },
        { period: 'R8年度', value: 120 },
      ],
      cumulativeTarget: [100, 200, 300],
      reached: [90, null, 120],
      cumulativeReached: [90, null, null],
    },
    {
      what: 'a value of another period is not paired',
      first: 7,
      targets: [300],
      values: [{ period: 'R6年度', value: 200 }],
      cumulativeTarget: [300],
      reached: [null],
      cumulativeReached: [null],
    },
  ])('$what', (c) => {
    const t = targets(c.targets, c.first);
    const rows = yearRows(t, c.values);
    expect(rows.map((r) => r.cumulativeTarget)).toEqual(c.cumulativeTarget);
    expect(rows.map((r) => r.reached)).toEqual(c.reached);
    expect(rows.map((r) => r.cumulativeReached)).toEqual(c.cumulativeReached);
  });
});
