// A publication's snapshot (公表版) and the dashboard computed from it. Pure: no I/O.
import { achievementRate, change, kpiIndex, type Direction, type PlanSettings, type Rate } from './achievement.ts';

export interface SnapshotValue {
  value: number | null;
  period: string;
  /** The achievement rate as officially published; null where the publication shows "ー". */
  rate: number | null;
  /** データの出所 of this value as an editor stated it in a reporting round; null for transcribed values (and before version 3). */
  source: string | null;
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
  metric: string | null;
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

/** Version 3 gives each value its データの出所 (`source`). Version 2 names a record's 出典 `provenance` and a goal's
 * 測定項目 `metric`; version 1 called them `source` and `measure` (see `readSnapshot`). */
export interface Snapshot {
  version: 3;
  plan: { id: string; name: string; owner: string; provenance: string };
  asOf: string;
  label: string;
  provenance: string;
  settings: PlanSettings;
  goals: SnapshotGoal[];
  fields: SnapshotField[];
  kpis: SnapshotKpi[];
}

/** A value as versions 1 and 2 stored it: without its データの出所. */
type StoredValueV2 = Omit<SnapshotValue, 'source'>;
type StoredIndicatorV2<I extends SnapshotIndicator> = Omit<I, 'previous' | 'latest'> & {
  previous: StoredValueV2 | null;
  latest: StoredValueV2 | null;
};

/** A version 2 snapshot as stored: publications are never rewritten, so old shapes are read here. */
type StoredSnapshotV2 = Omit<Snapshot, 'version' | 'goals' | 'kpis'> & {
  version: 2;
  goals: StoredIndicatorV2<SnapshotGoal>[];
  kpis: (Omit<SnapshotKpi, 'indicators'> & { indicators: StoredIndicatorV2<SnapshotIndicator>[] })[];
};

/** A version 1 snapshot as stored. */
type StoredSnapshotV1 = Omit<StoredSnapshotV2, 'version' | 'plan' | 'provenance' | 'goals'> & {
  version: 1;
  plan: Omit<Snapshot['plan'], 'provenance'> & { source: string };
  source: string;
  goals: (Omit<StoredSnapshotV2['goals'][number], 'metric'> & { measure: string | null })[];
};

/** What a publication's snapshot column holds: any version ever written. */
export type StoredSnapshot = Snapshot | StoredSnapshotV2 | StoredSnapshotV1;

function readV1(stored: StoredSnapshotV1): StoredSnapshotV2 {
  const { source, plan, goals, ...rest } = stored;
  const { source: planProvenance, ...planRest } = plan;
  return {
    ...rest,
    version: 2,
    plan: { ...planRest, provenance: planProvenance },
    provenance: source,
    goals: goals.map(({ measure, ...g }) => ({ ...g, metric: measure })),
  };
}

/** Before version 3 no value named its データの出所: unknown, so null. */
function readV2(stored: StoredSnapshotV2): Snapshot {
  const value = (v: StoredValueV2 | null): SnapshotValue | null => v && { ...v, source: null };
  const indicator = <I extends SnapshotIndicator>(i: StoredIndicatorV2<I>) =>
    ({ ...i, previous: value(i.previous), latest: value(i.latest) }) as I;
  return {
    ...stored,
    version: 3,
    goals: stored.goals.map((g) => indicator<SnapshotGoal>(g)),
    kpis: stored.kpis.map((k) => ({ ...k, indicators: k.indicators.map((i) => indicator<SnapshotIndicator>(i)) })),
  };
}

/** A stored snapshot in the current shape, whichever version wrote it. */
export function readSnapshot(stored: StoredSnapshot): Snapshot {
  if (stored.version === 3) return stored;
  return readV2(stored.version === 1 ? readV1(stored) : stored);
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
  /** The plan's English name today (plans.name_en), for English pages: a snapshot keeps only the Japanese one. */
  planNameEn?: string | null;
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
