// A publication's snapshot (公表版) and the dashboard computed from it. Pure: no I/O.
import { achievementRate, change, kpiIndex, type Direction, type PlanSettings, type Rate } from './achievement.ts';

export interface SnapshotValue {
  value: number | null;
  period: string;
  /** The achievement rate as officially published; null where the publication shows "ー". */
  rate: number | null;
}

export interface SnapshotIndicator {
  code: string;
  name: string;
  unit: string;
  target: number | null;
  targetYear: number | null;
  direction: Direction;
  base: number | null;
  previous: SnapshotValue | null;
  latest: SnapshotValue | null;
  source: string | null;
  notes: string | null;
}

export interface SnapshotKpi {
  code: string;
  name: string;
  field: string;
  components: string | null;
  /** The KPI index as officially published. */
  index: number | null;
  provenance: string;
  indicators: SnapshotIndicator[];
}

export interface SnapshotGoal extends SnapshotIndicator {
  measure: string | null;
  provenance: string;
}

export interface SnapshotCase {
  title: string;
  period: string | null;
  body: string;
}

export interface SnapshotField {
  code: string;
  name: string;
  nameEn: string | null;
  provenance: string;
  cases: SnapshotCase[];
}

export interface Snapshot {
  version: 1;
  plan: { id: string; name: string; owner: string; source: string };
  asOf: string;
  label: string;
  source: string;
  settings: PlanSettings;
  goals: SnapshotGoal[];
  fields: SnapshotField[];
  kpis: SnapshotKpi[];
}

export interface DashboardIndicator extends SnapshotIndicator {
  computed: { previous: Rate; latest: Rate };
}

export interface DashboardKpi extends Omit<SnapshotKpi, 'indicators'> {
  computedIndex: number | null;
  previousIndex: number | null;
  change: number | null;
  indicators: DashboardIndicator[];
}

export interface Dashboard {
  snapshot: Snapshot;
  previousAsOf: string | null;
  kpis: DashboardKpi[];
}

export function rateOf(indicator: SnapshotIndicator, which: 'previous' | 'latest', settings: PlanSettings): Rate {
  return achievementRate(
    { value: indicator[which]?.value ?? null, target: indicator.target, direction: indicator.direction, base: indicator.base },
    settings,
  );
}

/** The dashboard of a publication, with the system's recomputation and the change against the previous publication. */
export function dashboard(snapshot: Snapshot, previous: Snapshot | null): Dashboard {
  const { settings } = snapshot;
  const kpis = snapshot.kpis.map((kpi): DashboardKpi => {
    const indicators = kpi.indicators.map((i) => ({
      ...i,
      computed: { previous: rateOf(i, 'previous', settings), latest: rateOf(i, 'latest', settings) },
    }));
    const previousIndex = previous?.kpis.find((k) => k.code === kpi.code)?.index ?? null;
    return {
      ...kpi,
      indicators,
      computedIndex: kpiIndex(
        indicators.map((i) => i.computed.latest),
        settings,
      ).value,
      previousIndex,
      change: change(kpi.index, previousIndex, settings.rounding.digits),
    };
  });
  return { snapshot, previousAsOf: previous?.asOf ?? null, kpis };
}
