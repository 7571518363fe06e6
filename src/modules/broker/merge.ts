// Merge entity (ETSI GS CIM 009 v1.8, 5.6.17, PATCH /entities/{id}); the merge itself is entity-merge.ts.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { reservedEntityKeys } from './entity.ts';
import { mergeEntity } from './entity-merge.ts';
import { problem } from './errors.ts';
import { allow, entityParams } from './params.ts';
import { idParam, readBody, tenantOf } from './request.ts';
import type { RouteDeps } from './route-deps.ts';

export function mergeRoutes(deps: RouteDeps) {
  const app = new Hono();
  app.patch('/ngsi-ld/v1/entities/:id', allow(entityParams.merge), async (c: Context) => {
    const { body, map } = await readBody(c, deps.loadContext);
    const attrs = Object.keys(body).filter((k) => !reservedEntityKeys.has(k));
    if (!attrs.length && body.type === undefined && body.scope === undefined)
      throw problem('BadRequestData', 'The body names nothing to merge.');
    await mergeEntity(deps.store, tenantOf(c), idParam(c, 'entity'), body, map, new Date().toISOString());
    return c.body(null, 204);
  });
  return app;
}
