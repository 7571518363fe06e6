// Achievement math: pure, no I/O. Settings are per plan, because each plan's owner
// decides how its figures are clipped, rounded and averaged.

import type { Grading } from './targets.ts';

export type Direction = 'higher' | 'lower' | 'change_from_base';
export type RoundingMode = 'half-up' | 'half-even' | 'truncate';

export interface PlanSettings {
  /** Bounds a rate is clipped to, or null to leave it as computed. */
  clip: { min: number; max: number } | null;
  rounding: { digits: number; mode: RoundingMode };
  /** KPI index = mean of the indicators' rates, as rounded (the published practice) or unrounded. */
  averaging: 'rounded-rates' | 'raw-rates';
  /** Grade thresholds for yearly evaluations (進捗評価), for plans that grade. */
  grading?: Grading;
}

export const defaultSettings: PlanSettings = {
  clip: { min: 0, max: 100 },
  rounding: { digits: 1, mode: 'half-up' },
  averaging: 'rounded-rates',
};

export const roundingModes: readonly RoundingMode[] = ['half-up', 'half-even', 'truncate'];

export interface RateInput {
  value: number | null;
  target: number | null;
  direction: Direction;
  /** The starting point, for direction `change_from_base`. */
  base?: number | null;
}

/**
 * The unclipped, unrounded achievement rate in percent, or null when it cannot be computed
 * (no value, no target, or a target that leaves nothing to divide by).
 * - higher: value / target × 100
 * - lower: target / value × 100 (a value of 0 or less has met any positive target: 100)
 * - change_from_base: (value − base) / (target − base) × 100, the share of the way from base to target
 */
export function rawRate({ value, target, direction, base }: RateInput): number | null {
  if (value === null || target === null) return null;
  switch (direction) {
    case 'higher':
      return target === 0 ? null : (value / target) * 100;
    case 'lower':
      if (target <= 0) return null;
      return value <= 0 ? 100 : (target / value) * 100;
    case 'change_from_base':
      if (base === null || base === undefined || target === base) return null;
      return ((value - base) / (target - base)) * 100;
  }
}

export function clip(x: number, bounds: PlanSettings['clip']): number {
  return bounds ? Math.min(bounds.max, Math.max(bounds.min, x)) : x;
}

/**
 * Decimal rounding that does not trip over binary floating point: 0.145 rounds half-up to 0.15.
 * Scaling through toPrecision(15) drops the representation error before the rounding step.
 */
export function roundTo(x: number, digits: number, mode: RoundingMode): number {
  const sign = x < 0 ? -1 : 1;
  const scaled = Number((Math.abs(x) * 10 ** digits).toPrecision(15));
  let n: number;
  if (mode === 'truncate') n = Math.trunc(scaled);
  else if (mode === 'half-up') n = Math.floor(scaled + 0.5);
  else {
    const floor = Math.floor(scaled);
    const diff = scaled - floor;
    n = diff > 0.5 || (diff === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  }
  const result = (sign * n) / 10 ** digits;
  return result === 0 ? 0 : result; // no "-0"
}

export interface Rate {
  raw: number | null;
  clipped: number | null;
  rounded: number | null;
}

export function achievementRate(input: RateInput, settings: PlanSettings): Rate {
  const raw = rawRate(input);
  if (raw === null) return { raw: null, clipped: null, rounded: null };
  const clipped = clip(raw, settings.clip);
  return { raw, clipped, rounded: roundTo(clipped, settings.rounding.digits, settings.rounding.mode) };
}

export interface IndexResult {
  /** The rounded index, or null when no indicator has a rate. */
  value: number | null;
  /** The unrounded mean. */
  mean: number | null;
  /** Rates that went into the mean. */
  used: number[];
  /** How many indicators had no rate and were left out. */
  missing: number;
}

/** KPI index: the simple mean of the indicators' rates; indicators without a rate are left out and counted. */
export function kpiIndex(rates: readonly Rate[], settings: PlanSettings): IndexResult {
  const pick = (r: Rate) => (settings.averaging === 'rounded-rates' ? r.rounded : r.clipped);
  const used = rates.map(pick).filter((x): x is number => x !== null);
  const missing = rates.length - used.length;
  if (used.length === 0) return { value: null, mean: null, used, missing };
  const mean = used.reduce((a, b) => a + b, 0) / used.length;
  return { value: roundTo(mean, settings.rounding.digits, settings.rounding.mode), mean, used, missing };
}

/** Difference between two published figures (前期差), or null when either is unknown. */
export function change(current: number | null, previous: number | null, digits: number): number | null {
  if (current === null || previous === null) return null;
  return roundTo(current - previous, digits, 'half-up');
}
