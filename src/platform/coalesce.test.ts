import { describe, expect, it } from 'vitest';
import { coalesce } from './coalesce.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('coalesce', () => {
  it('runs a lone call at once and groups the calls that arrive meanwhile, keeping each answer', async () => {
    const groups: number[][] = [];
    const double = coalesce(async (items: number[]) => {
      groups.push(items);
      await tick();
      return items.map((n) => n * 2);
    }, 1);
    expect(await double(1)).toBe(2);
    await tick();
    expect(await Promise.all([3, 4, 5, 6].map(double))).toEqual([6, 8, 10, 12]);
    expect(groups).toEqual([[1], [3], [4, 5, 6]]);
  });

  it('never runs more than inFlight groups at once', async () => {
    let running = 0;
    let most = 0;
    const call = coalesce(async (items: number[]) => {
      most = Math.max(most, ++running);
      await tick();
      running--;
      return items;
    }, 2);
    expect(await Promise.all(Array.from({ length: 20 }, (_, i) => call(i)))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(2);
  });

  it('rejects only the item answered with an Error, and the whole group when run throws', async () => {
    const check = coalesce(async (items: number[]) => {
      await tick();
      if (items.includes(99)) throw new Error('group failed');
      return items.map((n) => (n < 0 ? new Error(`negative ${n}`) : n));
    }, 1);
    const [a, b, c] = await Promise.allSettled([check(0), check(-1), check(2)]);
    expect(a).toEqual({ status: 'fulfilled', value: 0 });
    expect(b).toMatchObject({ status: 'rejected', reason: new Error('negative -1') });
    expect(c).toEqual({ status: 'fulfilled', value: 2 });
    await tick();
    const settled = await Promise.allSettled([check(1), check(99), check(3)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
  });
});
