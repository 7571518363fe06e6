// Every entity write goes through the store: in one transaction, the entity rows and what the
// change listeners derive from them (the geo index, attribute history, queued notifications), so a
// crash leaves either all of it or none.
import type { Db } from '../../platform/db.ts';
import type { StoredEntity } from './entity.ts';
import { BrokerError } from './errors.ts';
import * as repo from './repository.ts';

/** One entity's change: created (no before), modified (both) or deleted (no after). */
export interface EntityChange {
  tenant: string;
  before?: StoredEntity;
  after?: StoredEntity;
  /** When it happened (ISO 8601). */
  at: string;
}

/** Runs inside the change's transaction; throwing rolls the change back. */
export type ChangeListener = (tx: Db, changes: EntityChange[]) => Promise<void>;

export type EntityStore = ReturnType<typeof entityStore>;

/** `listeners` run inside each change's transaction; `committed` after it commits (to wake workers). */
export function entityStore(db: Db, listeners: ChangeListener[], committed: () => void = () => {}) {
  const notify = async (tx: Db, changes: EntityChange[]) => {
    if (changes.length) for (const l of listeners) await l(tx, changes);
  };
  const transaction = async <T>(run: (tx: Db) => Promise<T>): Promise<T> => {
    const result = await db.transaction(run);
    committed();
    return result;
  };

  return {
    /** Creates entities that do not exist yet; returns the ids it created. */
    async create(tenant: string, list: StoredEntity[]): Promise<Set<string>> {
      return transaction(async (tx) => {
        const created = await repo.insertEntities(tx, tenant, list);
        const first = new Map<string, StoredEntity>();
        for (const e of list) if (created.has(e.id) && !first.has(e.id)) first.set(e.id, e);
        await notify(
          tx,
          [...first.values()].map((after) => ({ tenant, after, at: after.createdAt })),
        );
        return created;
      });
    },

    /**
     * Changes an entity under a row lock: `change` gets the entity as it is and returns what it is to
     * be (or throws a BrokerError, which changes nothing). ResourceNotFound when there is none.
     */
    async modify(tenant: string, id: string, change: (before: StoredEntity) => StoredEntity): Promise<StoredEntity> {
      return transaction(async (tx) => {
        const before = await repo.findEntity(tx, tenant, id, true);
        if (!before) throw new BrokerError('ResourceNotFound', `Entity ${id} was not found.`);
        const after = change(before);
        await repo.saveEntity(tx, tenant, after);
        await notify(tx, [{ tenant, before, after, at: after.modifiedAt }]);
        return after;
      });
    },

    async remove(tenant: string, id: string): Promise<void> {
      await transaction(async (tx) => {
        const before = await repo.deleteEntity(tx, tenant, id);
        if (!before) throw new BrokerError('ResourceNotFound', `Entity ${id} was not found.`);
        await notify(tx, [{ tenant, before, at: new Date().toISOString() }]);
      });
    },
  };
}
