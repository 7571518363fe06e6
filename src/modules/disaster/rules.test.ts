import { describe, expect, it } from 'vitest';
import { actor, approver, dxEditor, hiranai, prefAdmin, viewer } from '../../../test/actors.ts';
import { alertMunicipalitiesOf, canActOnAlert, canUseAlerts } from './rules.ts';

const noCode = actor(['municipality_editor']);

describe('disaster alert rules', () => {
  it.each([
    ['prefecture admin, any municipalities', prefAdmin, ['02201', '02301'], true],
    ['municipality editor, own', hiranai, ['02301'], true],
    ['municipality editor, another', hiranai, ['02201'], false],
    ['municipality editor, own and another', hiranai, ['02301', '02201'], false],
    ['municipality editor, none', hiranai, [], false],
    ['municipality editor without a code', noCode, ['02301'], false],
    ['department editor', dxEditor, ['02301'], false],
    ['approver', approver, ['02301'], false],
    ['viewer', viewer, ['02301'], false],
  ])('%s', (_label, a, codes, allowed) => {
    expect(canActOnAlert(a, codes)).toBe(allowed);
    expect(canUseAlerts(a)).toBe(a === prefAdmin || a === hiranai);
  });

  it('offers all municipalities to a prefecture admin, the own one to an editor, none to others', () => {
    expect(alertMunicipalitiesOf(prefAdmin)).toBeUndefined();
    expect(alertMunicipalitiesOf(hiranai)).toEqual(['02301']);
    expect(alertMunicipalitiesOf(viewer)).toEqual([]);
  });
});
