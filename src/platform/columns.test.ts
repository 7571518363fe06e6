import { describe, expect, it } from 'vitest';
import { amountColumn, numberColumn } from './columns.ts';

describe('spreadsheet cells as typed', () => {
  const amount = amountColumn('2024年度', 'y2024');
  it.each([
    ['１，２３４', { value: { amount: 1234, cell: 'value' } }],
    ['　５００ ', { value: { amount: 500, cell: 'value' } }],
    ['－', { value: { amount: null, cell: 'dash' } }],
    ['-', { value: { amount: null, cell: 'dash' } }],
    ['', { value: { amount: null, cell: 'blank' } }],
    [1200, { value: { amount: 1200, cell: 'value' } }],
  ])('amount %s', (input, expected) => {
    expect(amount.read(input)).toEqual(expected);
  });
  it.each(['▲５', '1.5', '12,34', '千円'])('amount %s is refused', (input) => {
    expect(amount.read(input)).toMatchObject({ error: expect.stringContaining('2024年度は千円単位の0以上の整数') });
  });
  it('numbers and integers', () => {
    expect(numberColumn('目標値', 'target').read('３８．５')).toEqual({ value: 38.5 });
    expect(numberColumn('目標値', 'target').read('▲２')).toEqual({ value: -2 });
    expect(numberColumn('目標年', 'targetYear', { integer: true }).read('２０３０')).toEqual({ value: 2030 });
    expect(numberColumn('目標年', 'targetYear', { integer: true }).read('2030.5')).toMatchObject({
      error: expect.stringContaining('整数'),
    });
  });
});
