import { describe, expect, it } from 'vitest';
import { isCountUnit } from './units.ts';

describe('count units', () => {
  it.each([
    ['件', true, 'cases'],
    ['人', true, 'people'],
    ['回', true, 'downloads'],
    ['社', true, 'companies'],
    ['団体', true, 'organisations'],
    ['事業者', true, 'operators'],
    ['市町村', true, 'municipalities'],
    ['台', true, 'machines'],
    ['枚', true, 'sheets of paper'],
    ['施設', true, 'facilities'],
    [' 校 ', true, 'schools, with spaces'],
    ['%', false, 'a ratio'],
    ['％', false, 'a full-width ratio'],
    ['万円', false, 'money'],
    ['万人', false, 'a counter with a magnitude: 1.5万人'],
    ['時間', false, 'a measure'],
    ['', false, 'no unit'],
  ])('%s → %s (%s)', (...[unit, expected]) => {
    expect(isCountUnit(unit)).toBe(expected);
  });
});
