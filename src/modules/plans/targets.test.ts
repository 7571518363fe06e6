import { describe, expect, it } from 'vitest';
import { budgetTotals, grade, parseQuantity, parseTarget, type Grading } from './targets.ts';

const grading: Grading = {
  thresholds: [
    { grade: 'A', min: 100 },
    { grade: 'B', min: 80 },
    { grade: 'C', min: 50 },
    { grade: 'D', min: null },
  ],
  notEvaluable: '－',
};

describe('parseQuantity', () => {
  it('reads value, unit, period and whether it is an estimate or an actual', () => {
    expect(parseQuantity('21件 (2019年度見込)')).toEqual({ value: 21, unit: '件', period: '2019年度', qualifier: '見込' });
    expect(parseQuantity('51.8％ (2018年度実績)')).toEqual({ value: 51.8, unit: '%', period: '2018年度', qualifier: '実績' });
    expect(parseQuantity('6,936千人 (2018年実績)')).toEqual({ value: 6936, unit: '千人', period: '2018年', qualifier: '実績' });
    expect(parseQuantity('44事業 （2020年度見込）')).toMatchObject({ value: 44, unit: '事業' });
    expect(parseQuantity('100%※ (2019年度見込)')).toMatchObject({ value: 100, unit: '%', period: '2019年度' });
  });
  it('a dash or an empty cell is unknown, not 0', () => {
    expect(parseQuantity('－')).toBeNull();
    expect(parseQuantity('')).toBeNull();
  });
});

describe('parseTarget', () => {
  it('recognises the shapes the sheets use', () => {
    expect(parseTarget('52事業')).toEqual({ kind: 'value', value: 52, unit: '事業', mergedInto: null });
    expect(parseTarget('1回以上/年度')).toEqual({ kind: 'at_least_per_year', value: 1, unit: '回', mergedInto: null });
    expect(parseTarget('11回以上/年度')).toMatchObject({ kind: 'at_least_per_year', value: 11 });
    expect(parseTarget('NO.4に統合')).toEqual({ kind: 'merged', value: null, unit: '', mergedInto: 4 });
    expect(parseTarget('100%', parseQuantity('100% (2019年度見込)'))).toMatchObject({ kind: 'maintain', value: 100 });
    expect(parseTarget('－')).toMatchObject({ kind: 'unknown', value: null });
    expect(parseTarget('8人', null, '人事交流人数（累計）')).toMatchObject({ kind: 'cumulative', value: 8 });
  });
});

describe('budgetTotals', () => {
  it('sums the years with figures; blanks and dashes are not 0 and not counted', () => {
    expect(budgetTotals([21833, 14662, null, null, null], 36495)).toEqual({ stated: 36495, computed: 36495, difference: 0 });
    expect(budgetTotals(['－', 207, '－', 207, '－'], 414)).toEqual({ stated: 414, computed: 414, difference: 0 });
    expect(budgetTotals([null, '－', '－', '－', '－'], '－')).toEqual({ stated: '－', computed: null, difference: null });
    expect(budgetTotals([100, 200], 400)).toMatchObject({ difference: 100 });
  });
});

describe('grade', () => {
  it('grades actual against the year target by the plan thresholds', () => {
    expect(grade('3件', '3件', grading)).toEqual({ grade: 'A', rate: 100 });
    expect(grade('4回', '1回以上', grading)).toMatchObject({ grade: 'A' });
    expect(grade('17人', '15人', grading)).toMatchObject({ grade: 'A' });
    expect(grade('12人', '15人', grading)).toEqual({ grade: 'B', rate: 80 });
    expect(grade('8人', '15人', grading)).toMatchObject({ grade: 'C' });
    expect(grade('7人', '15人', grading)).toMatchObject({ grade: 'D' });
  });
  it('direction is a setting: for an indicator that should fall, target ÷ actual', () => {
    const lower: Grading = { ...grading, direction: 'lower' };
    expect(grade('10件', '8件', lower)).toEqual({ grade: 'B', rate: 80 });
    expect(grade('6件', '8件', lower)).toMatchObject({ grade: 'A' });
  });
  it('is "－" when it cannot be evaluated', () => {
    expect(grade('－', '－', grading)).toEqual({ grade: '－', rate: null });
    expect(grade('3件', 'NO.4に統合', grading).grade).toBe('－');
  });
});
