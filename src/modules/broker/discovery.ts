// Discovery of what a tenant holds (ETSI GS CIM 009 v1.8, 5.7.5–5.7.8): GET /types and GET /attributes.
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { BrokerDeps } from './api.ts';
import { compact } from './context.ts';
import { allow, entityParams } from './params.ts';
import * as repo from './repository.ts';
import { readContext, send, tenantOf } from './request.ts';

export function discoveryRoutes({ db, loadContext }: BrokerDeps) {
  const app = new Hono();
  app.get('/ngsi-ld/v1/types', allow(entityParams.discovery), async (c) => {
    const { link, map } = readContext(c, loadContext);
    const types = (await repo.entityTypes(db, tenantOf(c))).map((t) => compact(t, map));
    return send(c, { id: `urn:ngsi-ld:EntityTypeList:${randomUUID()}`, type: 'EntityTypeList', typeList: types }, link);
  });
  app.get('/ngsi-ld/v1/attributes', allow(entityParams.discovery), async (c) => {
    const { link, map } = readContext(c, loadContext);
    const names = (await repo.attributeNames(db, tenantOf(c))).map((a) => compact(a, map));
    return send(c, { id: `urn:ngsi-ld:AttributeList:${randomUUID()}`, type: 'AttributeList', attributeList: names }, link);
  });
  return app;
}
