// The sign-in rate limit lives in the database: two server processes (two limiters here) share it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDb, rows } from '../../test/db.ts';
import type { Database } from './db.ts';
import { rateLimiter } from './rate-limit.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDb('empty');
});
afterAll(() => database.close());

describe('rateLimiter', () => {
  it('allows max attempts per window and key across processes, then refuses until the window ends', async () => {
    const a = rateLimiter(database.db, 'test', 3, 400);
    const b = rateLimiter(database.db, 'test', 3, 400);
    const answers = [];
    for (const allow of [a, b, a, b]) answers.push(await allow('10.0.0.1'));
    expect(answers).toEqual([true, true, true, false]);
    expect(await a('10.0.0.2')).toBe(true);
    expect(await rateLimiter(database.db, 'other', 3, 400)('10.0.0.1')).toBe(true);
    await new Promise((r) => setTimeout(r, 450));
    expect(await b('10.0.0.1')).toBe(true);
    expect(await a('10.0.0.1')).toBe(true);
  });

  it('sweeps ended windows, so odd keys cannot pile up', async () => {
    const allow = rateLimiter(database.db, 'sweep', 5, 1);
    for (let i = 0; i < 99; i++) await allow(`k${i}`);
    await new Promise((r) => setTimeout(r, 20));
    await allow('last');
    const left = await rows<{ n: number }>(database, sql`select count(*)::int as n from rate_limits where key like 'sweep:%'`);
    expect(left[0]!.n).toBe(1);
  });
});
