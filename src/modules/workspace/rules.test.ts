import { describe, expect, it } from 'vitest';
import { dxEditor, tourismEditor, hiranai, approver, planAdmin, prefAdmin, viewer } from '../../../test/actors.ts';
import {
  auditScope,
  canSeeAuditEntry,
  canManageAccounts,
  canProtectData,
  canManageBrokerClients,
  canEnterIndicator,
  canOpenRound,
  canPublishRound,
  canReview,
  canSeeIndicator,
} from './rules.ts';

const dxIndicator = { ownerDepartment: 'sogo-seisaku.dx-suishin' };
const unowned = { ownerDepartment: null };
const sogoSeisaku = { ...dxEditor, id: 'dept', department: 'sogo-seisaku' };
const sectionOfSogoSeisaku = { ownerDepartment: 'sogo-seisaku.sogo-seisaku' };
const departmentItself = { ownerDepartment: 'sogo-seisaku' };
const prefixLookalike = { ownerDepartment: 'sogo-seisakux.dx' };

describe('rules', () => {
  it.each([
    ['department editor, own department', dxEditor, dxIndicator, true],
    ['department editor, other department', tourismEditor, dxIndicator, false],
    ['department editor, indicator without owner', dxEditor, unowned, false],
    ['editor of a department (部), a section’s indicator: covered', sogoSeisaku, dxIndicator, true],
    ['editor of a department, another section of it', sogoSeisaku, sectionOfSogoSeisaku, true],
    ['editor of a department, its own indicator', sogoSeisaku, departmentItself, true],
    ['editor of a department, an id that only starts with its id', sogoSeisaku, prefixLookalike, false],
    ['editor of a section, its department’s indicator', dxEditor, departmentItself, false],
    ['editor of a section, a sibling section’s', dxEditor, sectionOfSogoSeisaku, false],
    ['municipality editor', hiranai, dxIndicator, false],
    ['municipality editor, what their municipality owns', hiranai, { ownerDepartment: hiranai.municipalityCode }, true],
    ['municipality editor, another municipality’s', hiranai, { ownerDepartment: '02201' }, false],
    ['department editor, a municipality’s indicator', dxEditor, { ownerDepartment: '02201' }, false],
    ['approver', approver, dxIndicator, false],
    ['viewer', viewer, dxIndicator, false],
    ['plan administrator', planAdmin, dxIndicator, true],
    ['prefecture administrator', prefAdmin, unowned, true],
  ])('enter an indicator: %s -> %s', (_label, a, indicator, expected) => {
    expect(canEnterIndicator(a, indicator)).toBe(expected);
  });

  it.each([
    ['own department', dxEditor, dxIndicator, true],
    ['other department', tourismEditor, dxIndicator, false],
    ['a department sees its sections’', sogoSeisaku, dxIndicator, true],
    ['a section does not see its department’s', dxEditor, departmentItself, false],
    ['approver sees all', approver, dxIndicator, true],
    ['viewer sees all', viewer, unowned, true],
    ['municipality editor sees no department indicator', hiranai, dxIndicator, false],
  ])('see an indicator: %s', (_label, a, indicator, expected) => {
    expect(canSeeIndicator(a, indicator)).toBe(expected);
  });

  it.each([
    ['approver, someone else’s entry', approver, { enteredBy: dxEditor.id }, true],
    ['approver, own entry', approver, { enteredBy: approver.id }, false],
    ['editor', dxEditor, { enteredBy: tourismEditor.id }, false],
    ['prefecture administrator', prefAdmin, { enteredBy: dxEditor.id }, true],
  ])('review an entry: %s', (_label, a, entry, expected) => {
    expect(canReview(a, entry)).toBe(expected);
  });

  it('opening rounds, assigning owners and publishing', () => {
    expect([dxEditor, approver, planAdmin, prefAdmin, viewer].map(canOpenRound)).toEqual([false, false, true, true, false]);
    expect([dxEditor, approver, planAdmin, prefAdmin, viewer].map(canPublishRound)).toEqual([false, true, false, true, false]);
  });

  it('the data-protection page: prefecture administrators only', () => {
    expect([dxEditor, hiranai, approver, planAdmin, prefAdmin, viewer].map(canProtectData)).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
  });

  it('managing staff accounts: prefecture administrators only', () => {
    expect([dxEditor, hiranai, approver, planAdmin, prefAdmin, viewer].map(canManageAccounts)).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
  });

  it('managing the data linkage platform’s clients: prefecture administrators only', () => {
    expect([dxEditor, hiranai, approver, planAdmin, prefAdmin, viewer].map(canManageBrokerClients)).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
  });

  const nobody = { ...viewer, id: 'nobody', roles: [] };
  it.each([
    ['prefecture administrator', prefAdmin, 'all'],
    ['plan administrator', planAdmin, 'all'],
    ['approver', approver, 'all'],
    ['department editor', dxEditor, 'own'],
    ['municipality editor', hiranai, 'own'],
    ['viewer', viewer, 'own'],
    ['no role', nobody, 'none'],
  ] as const)('audit scope: %s -> %s', (_label, a, expected) => {
    expect(auditScope(a)).toBe(expected);
  });

  it.each([
    ['an editor, own entry', dxEditor, { actorId: dxEditor.id }, true],
    ["an editor, another editor's entry", dxEditor, { actorId: 'someone-else' }, false],
    ['an editor, a system entry', dxEditor, { actorId: null }, false],
    ["an approver, anyone's entry", approver, { actorId: dxEditor.id }, true],
    ['an administrator, a system entry', prefAdmin, { actorId: null }, true],
    ['no role, own entry', nobody, { actorId: 'nobody' }, false],
  ])('see an audit entry: %s', (_label, a, entry, expected) => {
    expect(canSeeAuditEntry(a, entry)).toBe(expected);
  });
});
