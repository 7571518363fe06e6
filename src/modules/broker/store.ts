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
  type Waiting = { tenant: string; entity: StoredEntity; done: (created: boolean) => void; failed: (err: unknown) => void };
  let waiting: Waiting[] = [];
  let writing = 0;
  const MAX_GROUPS_IN_FLIGHT = 2;
  const drain = () => {
    while (waiting.length && writing < MAX_GROUPS_IN_FLIGHT) {
      const group = waiting;
      waiting = [];
      writing++;
      void insert(group)
        .then(
          (created) => group.forEach((w, k) => w.done(created[k]!)),
          (err) =>
            group.length === 1 ? group[0]!.failed(err) : group.forEach((w) => insert([w]).then(([created]) => w.done(created!), w.failed)),
        )
        .finally(() => {
          writing--;
          drain();
        });
    }
  };

  return {
    /** Creates entities that do not exist yet; returns the ids it created. */
    async create(tenant: string, list: StoredEntity[]): Promise<Set<string>> {
      if (list.length !== 1) {
        const created = await insert(list.map((entity) => ({ tenant, entity })));
        return new Set(list.filter((_, k) => created[k]).map((e) => e.id));
      }
      const entity = list[0]!;
      const created = await new Promise<boolean>((done, failed) => {
        waiting.push({ tenant, entity, done, failed });
        drain();
      });
      return new Set(created ? [entity.id] : []);
    },

    /**
     * Changes an entity under a row lock: `change` gets the entity as it is and returns what it is to
     * be (or throws a BrokerError, which changes nothing). ResourceNotFound when there is none.
     */
    async modify(tenant: string, id: string, change: (before: StoredEntity) => StoredEntity): Promise<StoredEntity> {
      return transaction(async (tx, notify) => {
        const before = await repo.findEntity(tx, tenant, id, true);
        if (!before) throw new BrokerError('ResourceNotFound', `Entity ${id} was not found.`);
        const after = change(before);
        await repo.saveEntity(tx, tenant, after);
        await notify([{ tenant, before, after, at: after.modifiedAt }]);
        return after;
      });
    },

    async remove(tenant: string, id: string): Promise<void> {
      await transaction(async (tx, notify) => {
        const before = await repo.deleteEntity(tx, tenant, id);
        if (!before) throw new BrokerError('ResourceNotFound', `Entity ${id} was not found.`);
        await notify([{ tenant, before, at: new Date().toISOString() }]);
      });
    },
  };
}
