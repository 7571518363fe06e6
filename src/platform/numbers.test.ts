import { describe, expect, it } from 'vitest';
import { normalizeNumberText, parseNumberText } from './numbers.ts';

describe('numbers as typed', () => {
  it.each([
    ['38.5', 38.5, 'ASCII'],
    ['３８．５', 38.5, 'full-width digits and period (the IME)'],
    ['１，２３４', 1234, 'full-width comma'],
    ['1,234,567', 1234567, 'thousands'],
    ['－１２', -12, 'full-width minus'],
    ['−12', -12, 'the minus sign'],
    ['▲12.5', -12.5, 'accounting triangle'],
    ['△ 3', -3, 'white triangle with a space'],
    ['ー５', -5, 'the long vowel mark an IME gives for a minus'],
    ['　１２０　', 120, 'full-width spaces around'],
    [' 0 ', 0, 'zero'],
    ['１２，０００．５', 12000.5, 'thousands and decimals'],
    ['12,34', null, 'commas not in groups of three'],
    ['1.2.3', null, 'two periods'],
    ['12件', null, 'a unit'],
    ['', null, 'empty'],
    ['－', null, 'a dash alone'],
    ['abc', null, 'letters'],
    ['1e3', null, 'exponent'],
  ])('%s → %s (%s)', (...[input, expected]) => {
    expect(parseNumberText(input)).toBe(expected);
  });

  it('normalises without deciding', () => {
    expect(normalizeNumberText('　▲１，２３４．５ ')).toBe('-1,234.5');
    expect(normalizeNumberText('－')).toBe('-');
  });
});
