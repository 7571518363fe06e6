import { describe, expect, it } from 'vitest';
import { approver, dxEditor, hiranai, planAdmin, prefAdmin, viewer } from '../../../test/actors.ts';
import { canManageUnits } from './rules.ts';
import { comparable, covers } from './units.ts';

describe('organisations rules', () => {
  it.each([
    ['prefecture administrator keeps the registry', prefAdmin, true],
    ['plan administrator assigns owners but does not reorganise the prefecture', planAdmin, false],
    ['department editor', dxEditor, false],
    ['municipality editor', hiranai, false],
    ['approver', approver, false],
    ['viewer', viewer, false],
  ])('manage units: %s', (_label, a, expected) => {
    expect(canManageUnits(a)).toBe(expected);
  });

  it.each([
    ['the unit itself', 'sogo-seisaku.dx-suishin', 'sogo-seisaku.dx-suishin', true],
    ['a department covers its sections', 'sogo-seisaku', 'sogo-seisaku.dx-suishin', true],
    ['a section does not cover its department', 'sogo-seisaku.dx-suishin', 'sogo-seisaku', false],
    ['a sibling section', 'sogo-seisaku.sogo-seisaku', 'sogo-seisaku.dx-suishin', false],
    ['a department whose id is a prefix of another’s', 'sogo', 'sogo-seisaku.dx-suishin', false],
    ['no unit', null, 'sogo-seisaku', false],
    ['no owner', 'sogo-seisaku', null, false],
  ])('covers: %s', (_label, unit, owner, expected) => {
    expect(covers(unit, owner)).toBe(expected);
  });

  it('compares names as typed: full-width ＤＸ, half-width kana and spaces', () => {
    expect(comparable('総合政策部ＤＸ推進課')).toBe(comparable('総合政策部DX推進課'));
    expect(comparable(' 観光交流推進部\u3000観光政策課 ')).toBe('観光交流推進部観光政策課');
    expect(comparable('ｶﾝｺｳ')).toBe('カンコウ');
    expect(comparable('DX推進課')).not.toBe(comparable('DX推進室'));
  });
});
