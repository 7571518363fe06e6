import { describe, expect, it } from 'vitest';
import { createCache, freshness } from './cache.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createCache with a data version', () => {
  it('reads the version at most once per interval however many hits, and drops the cache when it moves', async () => {
    let version = 1;
    let reads = 0;
    const fresh = freshness(async () => (reads++, version), 100);
    const cache = createCache<string>(1000, fresh);
    let computed = 0;
    const page = () => cache.get('/', async () => `page ${version} (${++computed})`);
    expect(await Promise.all(Array.from({ length: 50 }, page))).toEqual(Array(50).fill('page 1 (1)'));
    for (let i = 0; i < 1000; i++) await page();
    expect(reads).toBe(1);
    version = 2; // another process changed the data
    expect(await page()).toBe('page 1 (1)'); // within the interval: still the cached page
    await sleep(110);
    expect(await page()).toBe('page 2 (2)');
    expect(reads).toBe(2);
  });

  it('keeps serving what it holds while the version cannot be read', async () => {
    let up = true;
    const fresh = freshness(async () => {
      if (!up) throw new Error('database unreachable');
      return 1;
    }, 10);
    const cache = createCache<string>(1000, fresh);
    expect(await cache.get('/', async () => 'page')).toBe('page');
    up = false;
    await sleep(20);
    expect(await cache.get('/', async () => 'recomputed')).toBe('page');
  });
});
