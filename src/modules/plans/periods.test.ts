import { describe, expect, it } from 'vitest';
import { parsePeriod } from './periods.ts';

describe('parsePeriod', () => {
  it('reads fiscal years (年度): April to March, as-of unknown unless 年度末', () => {
    expect(parsePeriod('R5年度')).toEqual({ end: '2024-03-31', asOf: null });
    expect(parsePeriod('Ｒ4年度')).toEqual({ end: '2023-03-31', asOf: null });
    expect(parsePeriod('R5年度末')).toEqual({ end: '2024-03-31', asOf: '2024-03-31' });
    expect(parsePeriod('令和元年度')).toEqual({ end: '2020-03-31', asOf: null });
  });
  it('reads calendar years and month-end points', () => {
    expect(parsePeriod('R4年')).toEqual({ end: '2022-12-31', asOf: null });
    expect(parsePeriod('2021年')).toEqual({ end: '2021-12-31', asOf: null });
    expect(parsePeriod('R7年1月末時点')).toEqual({ end: '2025-01-31', asOf: '2025-01-31' });
    expect(parsePeriod('R6年2月末時点')).toEqual({ end: '2024-02-29', asOf: '2024-02-29' });
  });
  it('rejects what it cannot read', () => {
    expect(parsePeriod('昨年')).toBeNull();
    expect(parsePeriod('R5年13月末時点')).toBeNull();
    expect(parsePeriod('')).toBeNull();
  });
});
