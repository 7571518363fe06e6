// A KPI across publications (公表版): its published index and each indicator's latest value as each
// publication printed them. Pure: no I/O.
import type { Snapshot, SnapshotValue } from './snapshot.ts';

export interface PublishedSnapshot {
  asOf: string;
  label: string;
  snapshot: Snapshot;
}

export interface TrendPoint {
  asOf: string;
  label: string;
  /** The KPI's index as published; null where the publication has none (or not the KPI). */
  index: number | null;
  /** Per indicator of the trend, in its order: the publication's latest value, or null when it has none. */
  values: (SnapshotValue | null)[];
}

export interface Trend {
  indicators: { code: string; name: string; unit: string }[];
  points: TrendPoint[];
}

/** The trend of KPI `kpi` (its indicators as the shown publication lists them) over `history`, oldest first. */
export function kpiTrend(
  history: PublishedSnapshot[],
  kpi: { code: string; indicators: { code: string; name: string; unit: string }[] },
): Trend {
  const indicators = kpi.indicators.map(({ code, name, unit }) => ({ code, name, unit }));
  const points = history.map(({ asOf, label, snapshot }) => {
    const k = snapshot.kpis.find((x) => x.code === kpi.code);
    return {
      asOf,
      label,
      index: k?.index ?? null,
      values: indicators.map((i) => k?.indicators.find((x) => x.code === i.code)?.latest ?? null),
    };
  });
  return { indicators, points };
}
