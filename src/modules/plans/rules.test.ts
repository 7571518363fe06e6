import { describe, expect, it } from 'vitest';
import { dxEditor, hiranai, approver, planAdmin, prefAdmin, viewer } from '../../../test/actors.ts';
import { canAssignOwner, canEditProjectOf } from './rules.ts';

describe('rules', () => {
  it.each([
    ['town editor, own town', hiranai, '02301', true],
    ['town editor, another town', hiranai, '02303', false],
    ['department editor', dxEditor, '02301', false],
    ['plan administrator', planAdmin, '02303', true],
  ])('edit a municipality’s project figures: %s', (_label, a, code, expected) => {
    expect(canEditProjectOf(a, code)).toBe(expected);
  });

  it('opening rounds, assigning owners and publishing', () => {
    expect([dxEditor, approver, planAdmin, prefAdmin, viewer].map(canAssignOwner)).toEqual([false, false, true, true, false]);
  });
});
