import { describe, expect, it } from 'vitest';
import { mergeEntity } from './forward.ts';
import { allowsOperation, matchingInformation, registrationTimeHolds } from './registration-match.ts';
import type { RegistrationBody } from './registration.ts';

const reg = (over: Partial<RegistrationBody> = {}): RegistrationBody => ({
  id: 'urn:ngsi-ld:ContextSourceRegistration:1',
  type: 'ContextSourceRegistration',
  information: [{ entities: [{ type: 'urn:T', idPattern: '^urn:x:' }], propertyNames: ['urn:a'] }],
  endpoint: 'http://source.example.jp',
  mode: 'inclusive',
  operations: ['federationOps'],
  ...over,
});

describe('which registrations a request selects', () => {
  it.each([
    [['federationOps'], 'queryEntity', true],
    [['federationOps'], 'updateEntity', false],
    [['retrieveOps'], 'retrieveEntity', true],
    [['updateOps'], 'queryEntity', false],
    [['redirectionOps'], 'createEntity', true],
    [['queryEntity'], 'queryEntity', true],
    [['queryEntity'], 'retrieveEntity', false],
  ])('4.20 operations %j allow %s: %s (ETSI GS CIM 009 v1.8)', (operations, op, expected) => {
    expect(allowsOperation(reg({ operations }), op)).toBe(expected);
  });

  it.each([
    [{ types: ['urn:T'] }, 1],
    [{ types: ['urn:U'] }, 0],
    [{ types: ['urn:T'], ids: ['urn:x:1'] }, 1],
    [{ types: ['urn:T'], ids: ['urn:y:1'] }, 0],
    [{ attrs: ['urn:a'] }, 1],
    [{ attrs: ['urn:b'] }, 0],
    [{ types: ['urn:T'], idPattern: 'anything' }, 1],
  ])('5.10.2 a registration for urn:T entities with ids ^urn:x: and attribute urn:a answers %j: %i (ETSI GS CIM 009 v1.8)', (sel, n) => {
    expect(matchingInformation(reg(), sel)).toHaveLength(n);
  });

  it('5.10.2 temporal queries test the observation interval (ETSI GS CIM 009 v1.8)', () => {
    const r = reg({ observationInterval: { startAt: '2025-01-01T00:00:00Z', endAt: '2025-02-01T00:00:00Z' } });
    expect(registrationTimeHolds(r, 'observedAt', 'between', '2025-01-15T00:00:00Z', '2025-03-01T00:00:00Z')).toBe(true);
    expect(registrationTimeHolds(r, 'observedAt', 'between', '2025-02-02T00:00:00Z', '2025-03-01T00:00:00Z')).toBe(false);
    expect(registrationTimeHolds(r, 'observedAt', 'after', '2025-01-31T00:00:00Z')).toBe(true);
    expect(registrationTimeHolds(r, 'createdAt', 'after', '2025-01-31T00:00:00Z')).toBe(false);
  });
});

describe('merging an entity from a source', () => {
  const at = '2025-01-01T00:00:00.000Z';
  const p = (value: unknown, observedAt?: string, datasetId?: string) => ({
    type: 'Property' as const,
    value,
    createdAt: at,
    modifiedAt: at,
    ...(observedAt && { observedAt }),
    ...(datasetId && { datasetId }),
  });
  const e = (attrs: Record<string, ReturnType<typeof p>[]>) => ({ id: 'urn:x:1', types: ['urn:T'], attrs, createdAt: at, modifiedAt: at });

  it('4.3.6.2 keeps local instances unless an inclusive source observed later; joins other datasetIds (ETSI GS CIM 009 v1.8)', () => {
    const local = e({ a: [p(1, '2025-01-01T00:00:00Z')], b: [p('x')] });
    const remote = e({ a: [p(2, '2025-02-01T00:00:00Z'), p(3, undefined, 'urn:d:1')], b: [p('y')], c: [p(true)] });
    expect(mergeEntity(local, remote, 'inclusive').attrs).toEqual({
      a: [p(2, '2025-02-01T00:00:00Z'), p(3, undefined, 'urn:d:1')],
      b: [p('x')],
      c: [p(true)],
    });
    expect(mergeEntity(local, remote, 'auxiliary').attrs).toEqual({ a: local.attrs.a, b: [p('x')], c: [p(true)] });
    expect(mergeEntity(local, remote, 'exclusive').attrs.b).toEqual([p('y')]);
  });
});
