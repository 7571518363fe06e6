// The page cache with two servers on one database (ADR 0006): a change made through one is served
// by the other within a second, whatever code path made it. Two real processes:
// test/several-processes.db.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb, testResidentKeys } from '../../../test/db.ts';
import { createApp } from '../../app.ts';
import type { Database } from '../../platform/db.ts';

let database: Database;
let a: Awaited<ReturnType<typeof createApp>>;
let b: Awaited<ReturnType<typeof createApp>>;
beforeAll(async () => {
  database = await createTestDb();
  a = await createApp({ residentKeys: testResidentKeys, db: database.db, baseUrl: 'http://127.0.0.1:9' });
  b = await createApp({ residentKeys: testResidentKeys, db: database.db, baseUrl: 'http://127.0.0.1:9' });
});
afterAll(() => database.close());

const asOf = async (app: typeof a) => ((await (await app.app.request('/api/v1/plans/aomori-dx/kpis')).json()) as { asOf: string }).asOf;

/** How long until `seen` holds on server b, checking every 20 ms for up to two seconds. */
async function msUntil(seen: () => Promise<boolean>) {
  const start = performance.now();
  while (!(await seen())) {
    if (performance.now() - start > 2000) return Infinity;
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - start;
}

describe('the page cache with two servers on one database', () => {
  it('a publication made through one server is served by the other within a second', async () => {
    expect([await asOf(a), await asOf(b)]).toEqual(['2025-01-31', '2025-01-31']); // both cached
    await database.db.execute(sql`
      insert into observations (indicator_id, value, period_label, period_end, provenance)
      select node_id, 150, 'R6年度', '2025-03-31', 'test' from indicators i join plan_nodes n on n.id = i.node_id where n.code = 'industry-1-1'`);
    await a.plans.commands.publish({ planId: 'aomori-dx', asOf: '2025-07-31', label: '2025年7月末時点', provenance: 'test' });
    expect(await asOf(a)).toBe('2025-07-31');
    expect(await msUntil(async () => (await asOf(b)) === '2025-07-31')).toBeLessThan(1000);
    const page = await (await b.app.request('/plans/aomori-dx')).text();
    expect(page).toContain('（2025年7月末時点）');
  });

  it('a change written by any code path (here plain SQL) moves the data version in its transaction', async () => {
    const home = async () => (await b.app.request('/')).text();
    expect(await home()).not.toContain('改称した計画');
    await database.db.execute(sql`update plans set name = '改称した計画' where id = 'aomori-city-plan'`);
    expect(await msUntil(async () => (await home()).includes('改称した計画'))).toBeLessThan(1000);
  });
});
