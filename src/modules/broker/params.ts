// The query parameters each entity operation takes (ETSI GS CIM 009 v1.8, clause 6): any other one is
// BadRequestData naming it, so a misspelt `georel` or `option` is not silently ignored. A parameter the
// specification defines but this broker does not implement (e.g. `pick`, `join`) is refused the same way
// rather than answered as if it had not been given.
import type { Context, MiddlewareHandler } from 'hono';
import { problem } from './errors.ts';

/** `local=true` asks not to forward to context sources; without registrations everything is local. */
const local = ['local'];
const filter = ['type', 'id', 'idPattern', 'attrs', 'q', 'georel', 'geometry', 'coordinates', 'geoproperty', 'scopeQ'];
const representation = ['options', 'format', 'geometryProperty', 'lang'];

export const entityParams = {
  create: [...local],
  retrieve: ['attrs', ...representation, ...local],
  query: [...filter, ...representation, 'limit', 'offset', 'count', ...local],
  replace: [...local],
  merge: [...local],
  delete: [...local],
  purge: ['type', 'id', 'idPattern', 'q', 'scopeQ', ...local],
  appendAttrs: ['options', ...local],
  updateAttrs: [...local],
  attr: [...local],
  deleteAttr: ['datasetId', 'deleteAll', ...local],
  batch: ['options', ...local],
  postQuery: ['options', 'format', 'geometryProperty', 'limit', 'offset', 'count', ...local],
  discovery: ['details', ...local],
} as const;

/** BadRequestData naming the first query parameter not in `allowed`. */
export function checkParams(c: Context, allowed: readonly string[]) {
  for (const name of Object.keys(c.req.queries())) {
    if (!allowed.includes(name))
      throw problem(
        'BadRequestData',
        `${name} is not a query parameter of this operation here (it takes ${allowed.join(', ') || 'none'}).`,
      );
  }
}

/** Refuses any query parameter not in `allowed`. */
export const allow =
  (allowed: readonly string[]): MiddlewareHandler =>
  async (c, next) => {
    checkParams(c, allowed);
    return next();
  };
