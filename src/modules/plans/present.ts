// Rows and snapshots -> JSON and CSV, with explicit field lists (nothing leaks by accident).
import type { PlanRow } from './repository.ts';
import type { Dashboard, DashboardIndicator, DashboardKpi } from './snapshot.ts';
import type { Discrepancy } from './reconciliation.ts';

export function planJson(plan: PlanRow, latestAsOf: string | null) {
  return {
    id: plan.id,
    name: plan.name,
    nameEn: plan.nameEn,
    owner: plan.owner,
    source: plan.source,
    latestPublication: latestAsOf,
    links: {
      kpis: `/api/v1/plans/${plan.id}/kpis`,
      reconciliation: `/api/v1/plans/${plan.id}/reconciliation`,
      dashboard: `/plans/${plan.id}`,
    },
  };
}

function indicatorJson(i: DashboardIndicator) {
  const value = (which: 'previous' | 'latest') => ({
    value: i[which]?.value ?? null,
    period: i[which]?.period ?? null,
    rate: i[which]?.rate ?? null,
    computedRate: i.computed[which].rounded,
  });
  return {
    code: i.code,
    name: i.name,
    unit: i.unit,
    target: i.target,
    direction: i.direction,
    base: i.base,
    previous: value('previous'),
    latest: value('latest'),
    source: i.source,
    notes: i.notes,
  };
}

export function kpiJson(k: DashboardKpi, fieldName: string) {
  return {
    code: k.code,
    name: k.name,
    field: k.field,
    fieldName,
    components: k.components,
    index: k.index,
    computedIndex: k.computedIndex,
    previousIndex: k.previousIndex,
    change: k.change,
    provenance: k.provenance,
    indicators: k.indicators.map(indicatorJson),
  };
}

export function fieldName(d: Dashboard, code: string): string {
  return d.snapshot.fields.find((f) => f.code === code)?.name ?? code;
}

export function kpisJson(d: Dashboard) {
  return {
    plan: d.snapshot.plan.id,
    asOf: d.snapshot.asOf,
    label: d.snapshot.label,
    previousAsOf: d.previousAsOf,
    source: d.snapshot.source,
    kpis: d.kpis.map((k) => kpiJson(k, fieldName(d, k.field))),
  };
}

export function reconciliationJson(d: Dashboard, items: Discrepancy[]) {
  return { plan: d.snapshot.plan.id, asOf: d.snapshot.asOf, settings: d.snapshot.settings, discrepancies: items };
}

// Open data: one header row, one record per row, ISO dates, units in their own column.
// The UTF-8 BOM lets spreadsheet software on Japanese Windows detect the encoding.
function csv(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function kpiRecords(d: Dashboard) {
  return d.kpis.map((k) => ({
    plan_id: d.snapshot.plan.id,
    as_of: d.snapshot.asOf,
    field_code: k.field,
    field_name: fieldName(d, k.field),
    kpi_code: k.code,
    kpi_name: k.name,
    unit: '%',
    index: k.index,
    computed_index: k.computedIndex,
    previous_index: k.previousIndex,
    change: k.change,
    components: k.components,
    provenance: k.provenance,
  }));
}

export function indicatorRecords(d: Dashboard) {
  return d.kpis.flatMap((k) =>
    k.indicators.map((i) => ({
      plan_id: d.snapshot.plan.id,
      as_of: d.snapshot.asOf,
      kpi_code: k.code,
      indicator_code: i.code,
      indicator_name: i.name,
      unit: i.unit,
      target: i.target,
      direction: i.direction,
      previous_value: i.previous?.value ?? null,
      previous_period: i.previous?.period ?? null,
      previous_rate: i.previous?.rate ?? null,
      latest_value: i.latest?.value ?? null,
      latest_period: i.latest?.period ?? null,
      latest_rate: i.latest?.rate ?? null,
      latest_computed_rate: i.computed.latest.rounded,
      rate_unit: '%',
      source: i.source,
      notes: i.notes,
      provenance: k.provenance,
    })),
  );
}

export function toCsv<T extends Record<string, string | number | null>>(records: T[], columns: (keyof T & string)[]): string {
  return csv(
    columns,
    records.map((r) => columns.map((c) => r[c] ?? null)),
  );
}
