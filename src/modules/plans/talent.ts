// A development policy (plan kind `development_policy`) as its public page and API show it: pillars with their
// figures, each indicator's targets per year against what was reached, and the cumulative totals.
// Pure: built from the plan's tree and its targets per period.
import type { PlanTree } from './repository.ts';
import type { PeriodTargetRow } from './repository-targets.ts';
import { pillarDetails, stagesShape, type PillarDetails, type Stages } from './talent-data.ts';

export interface YearRow {
  period: string;
  target: number | null;
  targetNote: string | null;
  /** The value reported for the same period, null when none is. */
  reached: number | null;
  /** Running totals from the first period; null once a target (or a value) is unknown. */
  cumulativeTarget: number | null;
  cumulativeReached: number | null;
}

export interface TalentIndicator {
  code: string;
  name: string;
  unit: string;
  target: number | null;
  targetYear: number | null;
  notes: string | null;
  dataSource: string | null;
  ownerDepartment: string | null;
  values: { value: number | null; period: string; provenance: string; source: string | null }[];
  years: YearRow[];
}

export interface TalentPillar {
  code: string;
  name: string;
  provenance: string;
  details: PillarDetails;
  indicators: TalentIndicator[];
}

export interface Talent {
  planId: string;
  name: string;
  nameEn: string | null;
  owner: string;
  provenance: string;
  pillars: TalentPillar[];
  stages: Stages | null;
}

/** Targets per year against the values of the same period, with running totals. */
export function yearRows(
  targets: { periodLabel: string; target: number | null; note: string | null }[],
  values: { period: string; value: number | null }[],
): YearRow[] {
  let target: number | null = 0;
  let reached: number | null = 0;
  return targets.map((t) => {
    const v = values.find((x) => x.period === t.periodLabel)?.value ?? null;
    target = target === null || t.target === null ? null : target + t.target;
    reached = reached === null || v === null ? null : reached + v;
    return {
      period: t.periodLabel,
      target: t.target,
      targetNote: t.note,
      reached: v,
      cumulativeTarget: target,
      cumulativeReached: reached,
    };
  });
}

export function buildTalent(tree: PlanTree, targets: Map<number, PeriodTargetRow[]>): Talent {
  const field = tree.nodes.find((n) => n.kind === 'field' && n.parentId === null);
  const stages = stagesShape.safeParse((field?.details as { stages?: unknown } | null)?.stages);
  const pillars = tree.nodes
    .filter((n) => n.kind === 'kpi')
    .map((k): TalentPillar => {
      const details = pillarDetails.safeParse(k.details);
      return {
        code: k.code,
        name: k.name,
        provenance: k.provenance,
        details: details.success ? details.data : { label: k.name, summary: null, items: [], next: [], measures: [] },
        indicators: tree.nodes
          .filter((n) => n.parentId === k.id && n.kind === 'indicator')
          .map((n) => {
            const i = tree.indicators.get(n.id)!;
            const values = (tree.observations.get(n.id) ?? []).map((o) => ({
              value: o.value,
              period: o.periodLabel,
              provenance: o.provenance,
              source: o.dataSource,
            }));
            return {
              code: n.code,
              name: n.name,
              unit: i.unit,
              target: i.targetValue,
              targetYear: i.targetYear,
              notes: i.notes,
              dataSource: i.dataSource,
              ownerDepartment: i.ownerDepartment,
              values,
              years: yearRows(targets.get(n.id) ?? [], values),
            };
          }),
      };
    });
  const { plan } = tree;
  return {
    planId: plan.id,
    name: plan.name,
    nameEn: plan.nameEn,
    owner: plan.owner,
    provenance: plan.provenance,
    pillars,
    stages: stages.success ? stages.data : null,
  };
}

export const talentIndicators = (t: Talent) => t.pillars.flatMap((p) => p.indicators);
