// A development policy's targets per period -> JSON and CSV records, with explicit field lists.
import type { Talent } from './talent.ts';

/** `GET /api/v1/plans/{plan}/targets`: each indicator with its one target and its targets per year against what was reached. */
export function targetsJson(t: Talent) {
  return {
    plan: t.planId,
    indicators: t.pillars.flatMap((p) =>
      p.indicators.map((i) => ({
        code: i.code,
        name: i.name,
        pillar: p.code,
        pillarName: p.name,
        unit: i.unit,
        target: i.target,
        targetYear: i.targetYear,
        notes: i.notes,
        values: i.values.map((v) => ({ value: v.value, period: v.period, provenance: v.provenance, source: v.source })),
        periods: i.years.map((y) => ({
          period: y.period,
          target: y.target,
          targetNote: y.targetNote,
          reached: y.reached,
          cumulativeTarget: y.cumulativeTarget,
          cumulativeReached: y.cumulativeReached,
        })),
      })),
    ),
    stages: t.stages,
  };
}

/** `/opendata/{plan}/targets.{csv,json}`: one record per indicator and period. */
export function targetRecords(t: Talent): Record<string, string | number | null>[] {
  return t.pillars.flatMap((p) =>
    p.indicators.flatMap((i) =>
      i.years.map((y) => ({
        plan_id: t.planId,
        pillar_code: p.code,
        indicator_code: i.code,
        indicator_name: i.name,
        unit: i.unit,
        period: y.period,
        target: y.target,
        target_note: y.targetNote,
        reached: y.reached,
        cumulative_target: y.cumulativeTarget,
        cumulative_reached: y.cumulativeReached,
        final_target: i.target,
        final_target_year: i.targetYear,
      })),
    ),
  );
}
