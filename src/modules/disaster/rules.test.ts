import { describe, expect, it } from 'vitest';
import { actor, approver, dxEditor, hiranai, prefAdmin, viewer } from '../../../test/actors.ts';
import {
  alertMunicipalitiesOf,
  canActOnAlert,
  canModerateReports,
  canOperateShelter,
  canPostInformation,
  canUseAlerts,
  canUseRoster,
  canHandleCertificates,
  certificateStep,
  reportDecision,
  canUseSafety,
  safetyImportMunicipality,
  safetyMunicipalitiesOf,
} from './rules.ts';

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

import type { Role } from '../identity/index.ts';
import { canManageLayers, layerMunicipalities } from './rules.ts';

const who = (roles: Role[], municipalityCode: string | null = null) => ({ roles, municipalityCode });

describe("disaster rules: municipalities' layers", () => {
  it.each([
    [who(['prefecture_admin']), '02201', true],
    [who(['prefecture_admin']), '02203', true],
    [who(['municipality_editor'], '02201'), '02201', true],
    [who(['municipality_editor'], '02201'), '02203', false],
    [who(['municipality_editor']), '02201', false],
    [who(['department_editor'], '02201'), '02201', false],
    [who(['viewer', 'approver', 'plan_admin']), '02201', false],
  ])('%o on %s → %s', (a, code, allowed) => {
    expect(canManageLayers(a, code)).toBe(allowed);
  });

  it('lists only the municipalities an editor may manage', () => {
    const all = [{ code: '02201' }, { code: '02203' }];
    expect(layerMunicipalities(who(['municipality_editor'], '02203'), all)).toEqual([{ code: '02203' }]);
    expect(layerMunicipalities(who(['prefecture_admin']), all)).toEqual(all);
  });
});

describe("a municipality's own disaster data (shelter operations, information, 写真投稿 moderation)", () => {
  it.each([
    ['prefecture admin, any municipality', prefAdmin, '02201', true],
    ['municipality editor, own', hiranai, '02301', true],
    ['municipality editor, another', hiranai, '02201', false],
    ['municipality editor without a code', noCode, '02301', false],
    ['department editor', dxEditor, '02301', false],
    ['viewer', viewer, '02301', false],
  ])('%s', (_label, a, code, allowed) => {
    expect(canOperateShelter(a, code)).toBe(allowed);
    expect(canPostInformation(a, code)).toBe(allowed);
    expect(canModerateReports(a, code)).toBe(allowed);
    expect(canHandleCertificates(a, code)).toBe(allowed);
  });

  it.each([
    ['approve a pending one', 'pending', 'approve', '', { to: 'approved' }],
    ['reject a pending one with a reason', 'pending', 'reject', '顔が写っている', { to: 'rejected' }],
    ['reject without a reason', 'pending', 'reject', '  ', { refused: '却下の理由を入力してください。' }],
    ['an unknown decision', 'pending', 'publish', '', { refused: '承認か却下を選んでください。' }],
    ['approve a rejected one', 'rejected', 'approve', '', { refused: 'この投稿はすでに判断済みです。' }],
    ['take an approved one down, with a reason', 'approved', 'reject', '表札が写っている', { to: 'rejected' }],
    ['take an approved one down without a reason', 'approved', 'reject', '', { refused: '却下の理由を入力してください。' }],
    ['approve an approved one again', 'approved', 'approve', '', { refused: 'この投稿はすでに判断済みです。' }],
    ['reject a rejected one', 'rejected', 'reject', '理由', { refused: 'この投稿はすでに判断済みです。' }],
  ])('%s', (_label, status, decision, reason, expected) => {
    expect(reportDecision(status, decision, reason)).toEqual(expected);
  });

  it.each([
    ['municipality editor, own municipality', hiranai, '02301', true],
    ['municipality editor, another municipality', hiranai, '02201', false],
    ['municipality editor without a code', noCode, '02301', false],
    // The roster is the municipality's (災害対策基本法 第49条の10): the prefecture does not hold it.
    ['prefecture admin', prefAdmin, '02301', false],
    // A shelter reception account: a viewer of its municipality.
    ['reception (viewer of the municipality)', actor(['viewer'], { municipalityCode: '02301' }), '02301', false],
    ['department editor', dxEditor, '02301', false],
    ['approver', approver, '02301', false],
  ])('避難行動要支援者名簿: %s', (_label, a, code, allowed) => {
    expect(canUseRoster(a, code)).toBe(allowed);
  });
});

describe('安否確認 staff rules', () => {
  it.each([
    ['prefecture admin: exports all, imports for none', prefAdmin, true, undefined, null],
    ['municipality editor: own', hiranai, true, ['02301'], '02301'],
    ['municipality editor without a code', noCode, false, [], null],
    ['department editor', dxEditor, false, [], null],
    ['viewer', viewer, false, [], null],
  ])('%s', (_label, a, uses, exports, imports) => {
    expect(canUseSafety(a)).toBe(uses);
    expect(safetyMunicipalitiesOf(a)).toEqual(exports);
    expect(safetyImportMunicipality(a)).toBe(imports);
  });
});

describe('罹災証明書 steps: 受付 → 調査予定 → 判定済 → 交付', () => {
  const noGrade = { refused: '調査日を決めてから判定してください。' };
  const notDecided = { refused: '被害の程度を判定してから交付してください。' };
  const issued = { refused: 'この罹災証明書はすでに交付済みです。' };
  const decided = { refused: '被害の程度はすでに判定済みです。' };
  it.each([
    ['received', 'schedule', { to: 'scheduled' }],
    ['scheduled', 'schedule', { to: 'scheduled' }], // the survey moved
    ['decided', 'schedule', decided],
    ['issued', 'schedule', issued],
    ['received', 'decide', noGrade],
    ['scheduled', 'decide', { to: 'decided' }],
    ['decided', 'decide', decided],
    ['issued', 'decide', issued],
    ['received', 'issue', notDecided],
    ['scheduled', 'issue', notDecided],
    ['decided', 'issue', { to: 'issued' }],
    ['issued', 'issue', issued],
    ['withdrawn', 'issue', notDecided],
  ] as const)('%s, %s → %o', (status, step, expected) => {
    expect(certificateStep(status, step)).toEqual(expected);
  });
});
