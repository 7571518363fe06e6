// Quantities and targets as the vision's sheets print them, budgets, and grades. Pure: no I/O.

export type TargetKind = 'value' | 'cumulative' | 'at_least_per_year' | 'maintain' | 'merged' | 'unknown';

export interface Quantity {
  value: number;
  unit: string;
  /** 2019年度 — when the figure was measured, if printed. */
  period: string | null;
  /** 見込 (estimate) or 実績 (actual), if printed. */
  qualifier: string | null;
}

const DASHES = /^[－—\-ー]?$/;

/** "21件 (2019年度見込)", "51.8％ (2018年度実績)", "6,936千人", "100%※" -> a quantity; "－" or "" -> null. */
export function parseQuantity(text: string): Quantity | null {
  const s = text.normalize('NFKC').trim();
  if (DASHES.test(s)) return null;
  const m = /^(-?[\d,]+(?:\.\d+)?)\s*([^\s(（\d※]*)\s*※?\s*(?:[(（]\s*(.*?)\s*[)）])?$/.exec(s);
  if (!m) return null;
  const inner = m[3] ?? '';
  const p = /^(.*?年度?)(見込|実績)?$/.exec(inner);
  return {
    value: Number(m[1]!.replace(/,/g, '')),
    unit: m[2] ?? '',
    period: p ? p[1]! : null,
    qualifier: p?.[2] ?? null,
  };
}

export interface Target {
  kind: TargetKind;
  value: number | null;
  unit: string;
  /** For kind `merged`: the number of the project it was merged into. */
  mergedInto: number | null;
}

/**
 * "52事業" (a number to reach), "1回以上/年度" (at least N every year), "NO.4に統合" (merged),
 * "－" (none). A target equal to its baseline (100% and 100%) is one to maintain; one whose
 * indicator counts 累計 is a cumulative count.
 */
export function parseTarget(text: string, baseline?: Quantity | null, indicatorName = ''): Target {
  const s = text.normalize('NFKC').trim();
  const merged = /^NO\.?(\d+)に統合$/i.exec(s);
  if (merged) return { kind: 'merged', value: null, unit: '', mergedInto: Number(merged[1]) };
  const perYear = /^([\d,.]+)\s*(\S*?)以上\/年度?$/.exec(s);
  if (perYear) return { kind: 'at_least_per_year', value: Number(perYear[1]!.replace(/,/g, '')), unit: perYear[2]!, mergedInto: null };
  const q = parseQuantity(s);
  if (!q) return { kind: 'unknown', value: null, unit: '', mergedInto: null };
  const maintain = baseline && baseline.value === q.value && baseline.unit === q.unit;
  const kind = maintain ? 'maintain' : indicatorName.includes('累計') ? 'cumulative' : 'value';
  return { kind, value: q.value, unit: q.unit, mergedInto: null };
}

/** "1回以上" in a yearly report: at least N in that year. */
export function parseYearTarget(text: string): Target {
  const s = text.normalize('NFKC').trim();
  const atLeast = /^([\d,.]+)\s*(\S*?)以上$/.exec(s);
  if (atLeast) return { kind: 'at_least_per_year', value: Number(atLeast[1]!.replace(/,/g, '')), unit: atLeast[2]!, mergedInto: null };
  return parseTarget(s);
}

export type BudgetCell = number | null | '－';

export interface BudgetTotals {
  stated: BudgetCell;
  /** Sum of the years that have a figure; null when none has. */
  computed: number | null;
  /** stated − computed, when both are numbers and differ; 0 when they agree. */
  difference: number | null;
}

export function budgetTotals(years: BudgetCell[], stated: BudgetCell): BudgetTotals {
  const figures = years.filter((y): y is number => typeof y === 'number');
  const computed = figures.length ? figures.reduce((a, b) => a + b, 0) : null;
  const difference = typeof stated === 'number' && computed !== null ? stated - computed : null;
  return { stated, computed, difference };
}

export interface GradeThreshold {
  grade: string;
  /** The lowest achievement (%) that earns the grade; null for the last one. */
  min: number | null;
}

export interface Grading {
  thresholds: GradeThreshold[];
  notEvaluable: string;
  /** higher: actual ÷ target (the default); lower: target ÷ actual, for indicators that should fall. */
  direction?: 'higher' | 'lower';
}

export interface GradeResult {
  grade: string;
  /** actual ÷ target × 100, or null when not evaluable. */
  rate: number | null;
}

/** The grade of an actual against a year's target: thresholds from the plan's settings. */
export function grade(actualText: string, targetText: string, grading: Grading): GradeResult {
  const actual = parseQuantity(actualText);
  const target = parseYearTarget(targetText);
  if (!actual || target.value === null || target.value <= 0) return { grade: grading.notEvaluable, rate: null };
  const rate =
    grading.direction === 'lower'
      ? actual.value <= 0
        ? Infinity
        : (target.value / actual.value) * 100
      : (actual.value / target.value) * 100;
  const hit = grading.thresholds.find((t) => t.min === null || rate >= t.min);
  return { grade: hit?.grade ?? grading.notEvaluable, rate };
}
