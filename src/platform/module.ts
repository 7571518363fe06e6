// The shape every module's index.ts returns from createXModule(deps) (ADR 0008): app.ts mounts
// `routes` the same way for every module; other modules use only `commands` and `queries`.
import type { Hono } from 'hono';

/** A module's Hono sub-apps; each keeps its own Env (the staff routes carry the signed-in actor). */
export type Routes = Hono<any, any, any>;

export interface Module<Commands extends object = object, Queries extends object = object> {
  /** Mounted at '/' in this order: public pages, staff screens, then the machine APIs. */
  routes: { public?: Routes; staff?: Routes; api?: Routes };
  /** Every write the module offers: typed input, its own transaction, and it drops what it made stale. */
  commands: Commands;
  /** Every read the module offers to the others and to its own routes. */
  queries: Queries;
  /** Loads the module's Aomori data when its tables are empty; true when it loaded. */
  loadDefaultData?: () => Promise<boolean>;
}
