import { describe, expect, it } from 'vitest';
import { englishPeriod, formatChange, formatDate } from './format.ts';

describe('englishPeriod: the documents’ period labels in English', () => {
  it.each([
    ['R5年度', 'FY2023'],
    ['R5年度末', 'end of FY2023'],
    ['令和元年度', 'FY2019'],
    ['H30年度', 'FY2018'],
    ['R4年', '2022'],
    ['2021年', '2021'],
    ['2025年1月末時点', 'as of end of January 2025'],
    ['R7年7月末時点', 'as of end of July 2025'],
    ['Ｒ５年度', 'FY2023'],
  ])('%s → %s', (label, english) => {
    expect(englishPeriod(label)).toBe(english);
  });

  it.each(['2025年13月末時点', '変更案（55事業・資料3-2）', 'R5年度上半期', ''])('%s is not one we can read: shown as data', (label) => {
    expect(englishPeriod(label)).toBeNull();
  });
});

describe('dates and changes in each language', () => {
  it('formatDate', () => {
    expect(formatDate('2025-01-31')).toBe('2025年1月31日');
    expect(formatDate('2025-01-31', 'en')).toBe('31 January 2025');
  });

  it('formatChange', () => {
    expect(formatChange(1.25)).toBe('+1.3ポイント');
    expect(formatChange(-2, 1, 'en')).toBe('−2.0 points');
    expect(formatChange(null)).toBe('ー');
    expect(formatChange(null, 1, 'en')).toBe('－');
  });
});
