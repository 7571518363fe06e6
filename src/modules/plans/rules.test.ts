import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../identity/index.ts';
import { canAssignOwner, canEditProjectOf } from './rules.ts';

const actor = (roles: Role[], extra: Partial<Actor> = {}): Actor => ({
  id: roles.join('+') || 'none',
  name: 'x',
  roles,
  department: null,
  municipalityCode: null,
  ...extra,
});
const dxEditor = actor(['department_editor'], { department: '総合政策部DX推進課' });
const hiranai = actor(['municipality_editor'], { municipalityCode: '02301' });
const approver = actor(['approver']);
const planAdmin = actor(['plan_admin']);
const prefAdmin = actor(['prefecture_admin']);
const viewer = actor(['viewer']);

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
