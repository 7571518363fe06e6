// The entity store: group commit of concurrent single creates, and a failing create in a group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb, rows } from '../../../test/db.ts';
import type { Database } from '../../platform/db.ts';
import type { StoredEntity } from './entity.ts';
import { entityStore, type EntityChange } from './store.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDb('empty');
});
afterAll(() => database.close());

const now = '2026-01-01T00:00:00.000Z';
const entity = (id: string): StoredEntity => ({
  id,
  types: ['urn:T'],
  attrs: { 'urn:n': [{ type: 'Property', value: 1, createdAt: now, modifiedAt: now }] },
  createdAt: now,
  modifiedAt: now,
});

describe('entity store', () => {
  it('writes concurrent single creates in shared transactions, each with its own answer', async () => {
    const seen: EntityChange[][] = [];
    const store = entityStore(database.db, [async (_tx, changes) => void seen.push(changes)]);
    const ids = Array.from({ length: 30 }, (_, i) => `urn:e:${i % 25}`); // 5 ids come twice
    const answers = await Promise.all(ids.map((id) => store.create('', [entity(id)])));
    expect(answers.filter((a) => a.size === 1)).toHaveLength(25);
    expect(answers.filter((a) => a.size === 0)).toHaveLength(5);
    expect(await rows(database, sql`select id from broker_entities where tenant = ''`)).toHaveLength(25);
    expect(seen.flat()).toHaveLength(25);
    expect(seen.length).toBeLessThan(25); // some creates shared a transaction
  });

  it('retries a failed group one create at a time: only the failing create fails, and leaves nothing', async () => {
    const store = entityStore(database.db, [
      async (_tx, changes) => {
        if (changes.some((c) => c.after?.id === 'urn:bad')) throw new Error('listener refused');
      },
    ]);
    const results = await Promise.allSettled(
      ['urn:a', 'urn:bad', 'urn:b', 'urn:c', 'urn:d', 'urn:e'].map((id) => store.create('t', [entity(id)])),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(
      (await rows<{ id: string }>(database, sql`select id from broker_entities where tenant = 't' order by id`)).map((r) => r.id),
    ).toEqual(['urn:a', 'urn:b', 'urn:c', 'urn:d', 'urn:e']);
  });

  it('answers concurrent reads, grouped into shared queries, each with its own entity (or none)', async () => {
    const store = entityStore(database.db, []);
    const keys = [
      ['', 'urn:e:1'],
      ['t', 'urn:a'],
      ['', 'urn:nope'],
      ['t', 'urn:e:1'],
      ['', 'urn:e:24'],
      ['other', 'urn:a'],
    ] as const;
    const found = await Promise.all(keys.map(([tenant, id]) => store.find(tenant, id)));
    expect(found.map((e) => e?.id)).toEqual(['urn:e:1', 'urn:a', undefined, undefined, 'urn:e:24', undefined]);
  });
});
