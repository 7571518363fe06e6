import { describe, expect, it } from 'vitest';
import type { Role } from '../identity/index.ts';
import { canManageLayers, layerMunicipalities } from './rules.ts';

const actor = (roles: Role[], municipalityCode: string | null = null) => ({ roles, municipalityCode });

describe("disaster rules: municipalities' layers", () => {
  it.each([
    [actor(['prefecture_admin']), '02201', true],
    [actor(['prefecture_admin']), '02203', true],
    [actor(['municipality_editor'], '02201'), '02201', true],
    [actor(['municipality_editor'], '02201'), '02203', false],
    [actor(['municipality_editor']), '02201', false],
    [actor(['department_editor'], '02201'), '02201', false],
    [actor(['viewer', 'approver', 'plan_admin']), '02201', false],
  ])('%o on %s → %s', (a, code, allowed) => {
    expect(canManageLayers(a, code)).toBe(allowed);
  });

  it('lists only the municipalities an editor may manage', () => {
    const all = [{ code: '02201' }, { code: '02203' }];
    expect(layerMunicipalities(actor(['municipality_editor'], '02203'), all)).toEqual([{ code: '02203' }]);
    expect(layerMunicipalities(actor(['prefecture_admin']), all)).toEqual(all);
  });
});
