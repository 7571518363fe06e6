import { describe, expect, it } from 'vitest';
import { rateLimiter } from './rate-limit.ts';

describe('rateLimiter', () => {
  it('allows max attempts per window and per key, then refuses until the window ends', () => {
    const allow = rateLimiter(3, 1000);
    expect([1, 2, 3, 4].map(() => allow('a', 0))).toEqual([true, true, true, false]);
    expect(allow('b', 0)).toBe(true);
    expect(allow('a', 999)).toBe(false);
    expect(allow('a', 1000)).toBe(true);
  });
});
