// What the entity, query, discovery and temporal routes are built from (index.ts makes them once).
import type { Db } from '../../platform/db.ts';
import type { ContextLoader } from './context.ts';
import type { ContextSources } from './forward.ts';
import type { EntityStore } from './store.ts';

export interface RouteDeps {
  db: Db;
  store: EntityStore;
  loadContext: ContextLoader;
  /** Registered context sources that entity reads also ask (forward.ts); absent: local entities only. */
  sources?: ContextSources;
}
