// Rows and snapshots -> JSON and CSV, with explicit field lists (nothing leaks by accident).
import type { PlanRow } from './repository.ts';
import type { Dashboard, DashboardIndicator, DashboardKpi } from './snapshot.ts';
import type { Discrepancy } from './reconciliation.ts';
import type { BudgetCell } from './targets.ts';
import type { Project, Version, Vision } from './vision.ts';

export function planJson(plan: PlanRow, latestAsOf: string | null) {
  const api = `/api/v1/plans/${plan.id}`;
  const links: Record<string, Record<string, string>> = {
    dashboard: { kpis: `${api}/kpis`, reconciliation: `${api}/reconciliation`, page: `/plans/${plan.id}` },
    vision: { projects: `${api}/projects`, versions: `${api}/versions`, page: `/plans/${plan.id}` },
    policy_tree: { page: `/plans/${plan.id}` },
    development_policy: { kpis: `${api}/kpis`, targets: `${api}/targets`, page: `/plans/${plan.id}` },
  };
  return {
    id: plan.id,
    kind: plan.kind,
    name: plan.name,
    nameEn: plan.nameEn,
    owner: plan.owner,
    provenance: plan.provenance,
    latestPublication: latestAsOf,
    links: links[plan.kind] ?? {},
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
    previousSource: i.previous?.source ?? null,
    latestSource: i.latest?.source ?? null,
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
    provenance: d.snapshot.provenance,
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
      previous_source: i.previous?.source ?? null,
      latest_source: i.latest?.source ?? null,
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

// Regional vision.

const cellJson = (c: BudgetCell) => ({
  amount: typeof c === 'number' ? c : null,
  cell: typeof c === 'number' ? 'value' : c === '－' ? 'dash' : 'blank',
});

export function projectJson(p: Project, version: string, number: number | null) {
  return {
    code: p.code,
    number,
    version,
    numbers: p.numbers,
    name: p.name,
    category: p.category.map((c) => ({ code: c.code, number: c.number, level: c.level, name: c.name })),
    partners: p.partners,
    partnersText: p.partnersText,
    description: p.description,
    effect: p.effect,
    roles: p.roles,
    budgetUnit: '千円',
    budgets: Object.fromEntries(p.budgets.map((b) => [String(b.fiscalYear), cellJson(b.amount)])),
    statedTotal: cellJson(p.totals.stated).amount,
    statedTotalCell: cellJson(p.totals.stated).cell,
    computedTotal: p.totals.computed,
    totalDifference: p.totals.difference,
    indicators: p.indicators.map((i) => ({
      code: i.code,
      name: i.name,
      mark: i.mark,
      baseline: { text: i.baselineText, ...(i.baseline ?? { value: null, unit: null, period: null, qualifier: null }) },
      target: { text: i.targetText, year: 2024, ...i.target },
    })),
    footnotes: p.footnotes,
    flags: p.flags,
    evaluations: p.evaluations,
    provenance: p.provenance,
  };
}

export function versionJson(v: Version) {
  return {
    id: v.code,
    label: v.label,
    date: v.date,
    projectCount: v.projectCount,
    knownProjects: v.knownProjects,
    isCurrent: v.isCurrent,
    provenance: v.provenance,
    note: v.note,
  };
}

export function projectRecords(v: Vision) {
  return v.projects.map((p) => ({
    plan_id: v.planId,
    version: v.current,
    project_code: p.code,
    number: p.number,
    name: p.name,
    category_code: p.category.at(-1)?.code ?? null,
    category_path: p.category.map((c) => `${c.number} ${c.name}`).join(' > '),
    partners: p.partners.map((m) => m.name).join('・'),
    budget_unit: '千円',
    stated_total: typeof p.totals.stated === 'number' ? p.totals.stated : null,
    stated_total_cell: cellJson(p.totals.stated).cell,
    computed_total: p.totals.computed,
    total_difference: p.totals.difference,
    flags: p.flags.join('・'),
    provenance: p.provenance,
  }));
}

export function budgetRecords(v: Vision) {
  return v.projects.flatMap((p) =>
    p.budgets.map((b) => ({
      plan_id: v.planId,
      version: v.current,
      project_code: p.code,
      number: p.number,
      name: p.name,
      fiscal_year: b.fiscalYear,
      amount: cellJson(b.amount).amount,
      cell: cellJson(b.amount).cell,
      unit: '千円',
    })),
  );
}

export function projectIndicatorRecords(v: Vision) {
  return v.projects.flatMap((p) =>
    p.indicators.map((i) => ({
      plan_id: v.planId,
      version: v.current,
      project_code: p.code,
      number: p.number,
      indicator_code: i.code,
      indicator_name: i.name,
      baseline_text: i.baselineText,
      baseline_value: i.baseline?.value ?? null,
      baseline_unit: i.baseline?.unit ?? null,
      baseline_period: i.baseline?.period ?? null,
      baseline_qualifier: i.baseline?.qualifier ?? null,
      target_text: i.targetText,
      target_kind: i.target.kind,
      target_value: i.target.value,
      target_unit: i.unit,
      target_year: 2024,
    })),
  );
}
