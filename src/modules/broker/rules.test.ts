import { describe, expect, it } from 'vitest';
import { allows, neededScope } from './rules.ts';

describe('broker access rules', () => {
  it.each([
    ['GET', '/ngsi-ld/v1/entities', '', null],
    ['HEAD', '/ngsi-ld/v1/entities/urn:x:1', '', null],
    ['GET', '/ngsi-ld/v1/temporal/entities', '', null],
    ['GET', '/ngsi-ld/v1/subscriptions', '', 'ngsi-ld:read'],
    ['GET', '/ngsi-ld/v1/csourceRegistrations', '', 'ngsi-ld:read'],
    ['GET', '/ngsi-ld/v1/csourceRegistrations/urn:x:1', '', 'ngsi-ld:read'],
    ['GET', '/ngsi-ld/v1/csourceSubscriptions', '', 'ngsi-ld:read'],
    ['POST', '/ngsi-ld/v1/csourceRegistrations', 'aomori', 'ngsi-ld:write:aomori'],
    ['POST', '/ngsi-ld/v1/entities', '', 'ngsi-ld:write'],
    ['DELETE', '/ngsi-ld/v1/jsonldContexts/x', '', 'ngsi-ld:write'],
    ['GET', '/ngsi-ld/v1/entities', 'aomori', 'ngsi-ld:read:aomori'],
    ['PATCH', '/ngsi-ld/v1/entities/urn:x:1/attrs', 'aomori', 'ngsi-ld:write:aomori'],
    ['GET', '/ngsi-ld/v1/subscriptions', 'aomori', 'ngsi-ld:read:aomori'],
    ['POST', '/ngsi-ld/v1/entityOperations/query', '', null],
    ['POST', '/ngsi-ld/v1/entityOperations/query', 'aomori', 'ngsi-ld:read:aomori'],
    ['POST', '/ngsi-ld/v1/entityOperations/merge', '', 'ngsi-ld:write'],
  ])('%s %s on tenant %j needs %s', (method, path, tenant, scope) => {
    expect(neededScope(method, path, tenant)).toBe(scope);
  });

  it.each([
    [['ngsi-ld:write:aomori'], 'ngsi-ld:write:aomori', true],
    [['ngsi-ld:write:aomori'], 'ngsi-ld:read:aomori', true],
    [['ngsi-ld:read:aomori'], 'ngsi-ld:write:aomori', false],
    [['ngsi-ld:write'], 'ngsi-ld:write:aomori', false],
    [['ngsi-ld:write:aomori'], 'ngsi-ld:write', false],
    [['ngsi-ld:write:aomori'], 'ngsi-ld:write:aomori2', false],
    [['ngsi-ld:read'], 'ngsi-ld:read', true],
    [[], 'ngsi-ld:read', false],
  ])('scopes %j allow %s: %s', (scopes, needed, expected) => {
    expect(allows(new Set(scopes), needed)).toBe(expected);
  });
});
