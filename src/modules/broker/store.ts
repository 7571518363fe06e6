// Every entity write goes through the store: in one transaction, the entity rows and what the
// change listeners derive from them (the geo index, attribute history, queued notifications), so a
// crash leaves either all of it or none.
import type { Db } from '../../platform/db.ts';
import type { Instance, StoredEntity } from './entity.ts';
import { problem } from './errors.ts';
import * as repo from './repository.ts';
import { coalesce } from '../../platform/coalesce.ts';

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

/** One entity's change: created (no before), modified (both) or deleted (no after). */
export interface EntityChange {
  tenant: string;
  before?: StoredEntity;
  after?: StoredEntity;
  /** When it happened (ISO 8601). */
  at: string;
  /**
   * A temporal write (5.6.11, 5.6.12) gives the instances it adds: the history records exactly these
   * (past observations included) instead of the difference between before and after.
   */
  recorded?: { attr: string; instance: Instance }[];
}

/**
 * Runs inside the change's transaction; throwing rolls the change back. What it returns, if
 * anything, runs once the transaction has committed (to wake a worker).
 */
export type ChangeListener = (tx: Db, changes: EntityChange[]) => Promise<void | (() => void)>;

export type EntityStore = ReturnType<typeof entityStore>;

export function entityStore(db: Db, listeners: ChangeListener[]) {
  /** Runs `run` in a transaction; the listeners it calls through `notify` may leave work for after the commit. */
  const transaction = async <T>(run: (tx: Db, notify: (changes: EntityChange[]) => Promise<void>) => Promise<T>): Promise<T> => {
    const afterCommit: (() => void)[] = [];
    const result = await db.transaction((tx) =>
      run(tx, async (changes) => {
        if (!changes.length) return;
        for (const l of listeners) {
          const then = await l(tx, changes);
          if (then) afterCommit.push(then);
        }
      }),
    );
    afterCommit.forEach((f) => f());
    return result;
  };

  /** Writes entities (with their tenants) in one transaction; says which of them it created. */
  const insert = (items: { tenant: string; entity: StoredEntity }[]) =>
    transaction(async (tx, notify) => {
      const created: boolean[] = [];
      const changes: EntityChange[] = [];
      for (const tenant of new Set(items.map((i) => i.tenant))) {
        const ids = await repo.insertEntities(
          tx,
          tenant,
          items.filter((i) => i.tenant === tenant).map((i) => i.entity),
        );
        const seen = new Set<string>();
        items.forEach((item, k) => {
          if (item.tenant !== tenant) return;
          // The first of equal ids is the one created; the others already exist.
          created[k] = ids.has(item.entity.id) && !seen.has(item.entity.id);
          seen.add(item.entity.id);
          if (created[k]) changes.push({ tenant, after: item.entity, at: item.entity.createdAt });
        });
      }
      await notify(changes);
      return created;
    });

  // Group commit: single creates that arrive while earlier ones are being written share the next
  // transaction (one commit, one statement per table), so many small writers cost about what one
  // batch does. A group that fails is retried one create at a time, so no create fails for another's fault.
  const createOne = coalesce(async (group: { tenant: string; entity: StoredEntity }[]) => {
    try {
      return await insert(group);
    } catch (err) {
      if (group.length === 1) throw err;
      return Promise.all(group.map((item) => insert([item]).then(([created]) => created!, asError)));
    }
  }, 2);

  // Reads by id likewise share a query while others are in flight: under load, one round trip answers many.
  const findOne = coalesce((keys: { tenant: string; id: string }[]) => repo.findEntities(db, keys), 2);

  return {
    /** Creates entities that do not exist yet; returns the ids it created. */
    async create(tenant: string, list: StoredEntity[]): Promise<Set<string>> {
      if (list.length !== 1) {
        const created = await insert(list.map((entity) => ({ tenant, entity })));
        return new Set(list.filter((_, k) => created[k]).map((e) => e.id));
      }
      const entity = list[0]!;
      return new Set((await createOne({ tenant, entity })) ? [entity.id] : []);
    },

    /** The entity as it is now, or undefined. */
    find: (tenant: string, id: string): Promise<StoredEntity | undefined> => findOne({ tenant, id }),

    /**
     * Changes an entity under a row lock: `change` gets the entity as it is and returns what it is to
     * be (or throws an AppError, which changes nothing). ResourceNotFound when there is none.
     */
    async modify(tenant: string, id: string, change: (before: StoredEntity) => StoredEntity): Promise<StoredEntity> {
      return transaction(async (tx, notify) => {
        const before = await repo.findEntityForUpdate(tx, tenant, id);
        if (!before) throw problem('ResourceNotFound', `Entity ${id} was not found.`);
        const after = change(before);
        await repo.saveEntity(tx, tenant, after);
        await notify([{ tenant, before, after, at: after.modifiedAt }]);
        return after;
      });
    },

    /**
     * A temporal write: creates the entity when it has no current state, else changes it under a row
     * lock; `build` returns the entity as it is to be and the instances the history records. Says
     * whether the entity was created.
     */
    async writeTemporal(
      tenant: string,
      id: string,
      build: (before: StoredEntity | undefined) => { after: StoredEntity; recorded: EntityChange['recorded'] },
    ): Promise<boolean> {
      return transaction(async (tx, notify) => {
        let before = await repo.findEntityForUpdate(tx, tenant, id);
        if (!before) {
          const { after, recorded } = build(undefined);
          if ((await repo.insertEntities(tx, tenant, [after])).size) {
            await notify([{ tenant, after, at: after.createdAt, recorded }]);
            return true;
          }
          // Created meanwhile by another request: the insert waited for it, so it can now be locked.
          before = await repo.findEntityForUpdate(tx, tenant, id);
          if (!before) throw problem('InternalError', `Entity ${id} could not be written.`);
        }
        const { after, recorded } = build(before);
        await repo.saveEntity(tx, tenant, after);
        await notify([{ tenant, before, after, at: after.modifiedAt, recorded }]);
        return false;
      });
    },

    /**
     * Puts (creates or replaces, keeping createdAt) and deletes entities, over several tenants, in one
     * transaction: a module's import lands whole or not at all. Deleting an absent entity is no error.
     * `within` runs in the same transaction (the module's audit entry).
     */
    async batch(
      ops: ({ tenant: string; put: StoredEntity } | { tenant: string; remove: string })[],
      within?: (tx: Db) => Promise<void>,
    ): Promise<void> {
      await transaction(async (tx, notify) => {
        const changes: EntityChange[] = [];
        for (const op of ops) {
          if ('remove' in op) {
            const before = await repo.deleteEntity(tx, op.tenant, op.remove);
            if (before) changes.push({ tenant: op.tenant, before, at: new Date().toISOString() });
            continue;
          }
          const before = await repo.findEntityForUpdate(tx, op.tenant, op.put.id);
          if (!before) {
            await repo.insertEntities(tx, op.tenant, [op.put]);
            changes.push({ tenant: op.tenant, after: op.put, at: op.put.createdAt });
            continue;
          }
          const after = { ...op.put, createdAt: before.createdAt };
          await repo.saveEntity(tx, op.tenant, after);
          changes.push({ tenant: op.tenant, before, after, at: after.modifiedAt });
        }
        await notify(changes);
        await within?.(tx);
      });
    },

    async remove(tenant: string, id: string): Promise<void> {
      await transaction(async (tx, notify) => {
        const before = await repo.deleteEntity(tx, tenant, id);
        if (!before) throw problem('ResourceNotFound', `Entity ${id} was not found.`);
        await notify([{ tenant, before, at: new Date().toISOString() }]);
      });
    },
  };
}
