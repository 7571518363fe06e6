import { describe, expect, it } from 'vitest';
import { achievementRate, change, clip, defaultSettings, kpiIndex, rawRate, roundTo, type PlanSettings } from './achievement.ts';

const s = defaultSettings;

describe('rawRate', () => {
  it('higher is better: value / target × 100', () => {
    expect(rawRate({ value: 109, target: 375, direction: 'higher' })).toBeCloseTo(29.0667, 4);
  });
  it('lower is better: target / value × 100, and a value of 0 has met the target', () => {
    expect(rawRate({ value: 20, target: 10, direction: 'lower' })).toBe(50);
    expect(rawRate({ value: 0, target: 10, direction: 'lower' })).toBe(100);
    expect(rawRate({ value: 5, target: 0, direction: 'lower' })).toBeNull();
  });
  it('change from a base value: the share of the way from base to target, either way', () => {
    expect(rawRate({ value: 6, target: 15, direction: 'change_from_base', base: 0 })).toBe(40);
    // a reduction: from 19.07 hours toward 16.2 hours
    expect(rawRate({ value: 17.93, target: 16.2, direction: 'change_from_base', base: 19.07 })).toBeCloseTo(39.72, 2);
    expect(rawRate({ value: 6, target: 15, direction: 'change_from_base', base: null })).toBeNull();
    expect(rawRate({ value: 6, target: 15, direction: 'change_from_base', base: 15 })).toBeNull();
  });
  it('missing value or target gives null, never 0', () => {
    expect(rawRate({ value: null, target: 375, direction: 'higher' })).toBeNull();
    expect(rawRate({ value: 1, target: null, direction: 'higher' })).toBeNull();
    expect(rawRate({ value: 1, target: 0, direction: 'higher' })).toBeNull();
  });
});

describe('roundTo', () => {
  it('half-up rounds the decimal value, not its binary approximation', () => {
    expect(roundTo(0.145, 2, 'half-up')).toBe(0.15);
    expect(roundTo(1.005, 2, 'half-up')).toBe(1.01);
    expect(roundTo(66.45, 1, 'half-up')).toBe(66.5);
    expect(roundTo(-0.25, 1, 'half-up')).toBe(-0.3);
  });
  it('truncate and half-even', () => {
    expect(roundTo(66.5557, 1, 'truncate')).toBe(66.5);
    expect(roundTo(-1.89, 1, 'truncate')).toBe(-1.8);
    expect(roundTo(0.25, 1, 'half-even')).toBe(0.2);
    expect(roundTo(0.35, 1, 'half-even')).toBe(0.4);
    expect(roundTo(0.351, 1, 'half-even')).toBe(0.4);
  });
  it('never returns -0', () => {
    expect(Object.is(roundTo(-0.01, 1, 'half-up'), 0)).toBe(true);
  });
});

describe('achievementRate', () => {
  it('clips to [0, 100] by default', () => {
    expect(achievementRate({ value: -0.3, target: 16.6, direction: 'higher' }, s).rounded).toBe(0);
    expect(achievementRate({ value: 120, target: 100, direction: 'higher' }, s).rounded).toBe(100);
  });
  it('the clip is a plan setting', () => {
    const open: PlanSettings = { ...s, clip: null };
    expect(achievementRate({ value: 120, target: 100, direction: 'higher' }, open).rounded).toBe(120);
    expect(achievementRate({ value: -0.3, target: 16.6, direction: 'higher' }, open).rounded).toBe(-1.8);
    expect(clip(150, { min: 0, max: 120 })).toBe(120);
  });
  it('the rounding is a plan setting', () => {
    const truncating: PlanSettings = { ...s, rounding: { digits: 1, mode: 'truncate' } };
    expect(achievementRate({ value: 40, target: 60.1, direction: 'higher' }, s).rounded).toBe(66.6);
    expect(achievementRate({ value: 40, target: 60.1, direction: 'higher' }, truncating).rounded).toBe(66.5);
    expect(
      achievementRate({ value: 40, target: 60.1, direction: 'higher' }, { ...s, rounding: { digits: 2, mode: 'half-up' } }).rounded,
    ).toBe(66.56);
  });
  it('an unknown value stays unknown', () => {
    expect(achievementRate({ value: null, target: 80, direction: 'higher' }, s)).toEqual({ raw: null, clipped: null, rounded: null });
  });
});

describe('kpiIndex', () => {
  const rate = (value: number | null, target: number) => achievementRate({ value, target, direction: 'higher' }, s);
  it('is the simple mean of the rounded rates by default', () => {
    // 資料1-2 KPI②: 40.0, 70.4 (recomputed), 66.4, 30.0
    const r = kpiIndex([rate(6, 15), rate(2113, 3000), rate(99658, 150000), rate(3, 10)], s);
    expect(r.used).toEqual([40, 70.4, 66.4, 30]);
    expect(r.value).toBe(51.7);
  });
  it('averaging unrounded rates is a plan setting', () => {
    const rates = [rate(1, 3), rate(1, 3), rate(2, 3)]; // 33.333…, 33.333…, 66.666…; rounded 33.3, 33.3, 66.7
    expect(kpiIndex(rates, s)).toMatchObject({ value: 44.4, mean: 44.43333333333334 });
    expect(kpiIndex(rates, { ...s, averaging: 'raw-rates' }).value).toBe(44.4);
    expect(kpiIndex(rates, { ...s, averaging: 'raw-rates' }).mean).toBeCloseTo(44.4444, 4);
  });
  it('leaves out indicators without a rate and counts them', () => {
    const r = kpiIndex([rate(50, 100), rate(null, 100)], s);
    expect(r).toMatchObject({ value: 50, missing: 1 });
  });
  it('is null when no indicator has a rate', () => {
    expect(kpiIndex([rate(null, 100)], s).value).toBeNull();
    expect(kpiIndex([], s).value).toBeNull();
  });
});

describe('change (前期差)', () => {
  it('is null without a previous figure, and rounded otherwise', () => {
    expect(change(35.9, null, 1)).toBeNull();
    expect(change(40.1, 35.9, 1)).toBe(4.2);
    expect(change(35.9, 40.1, 1)).toBe(-4.2);
  });
});
