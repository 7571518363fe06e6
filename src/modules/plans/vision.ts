// The regional vision as its pages and API see it: projects with their category path, partners,
// budgets and indicators; counts and budgets per category; versions and their differences. Pure.
import { badRequest } from '../../platform/errors.ts';
import type { PlanTree } from './repository.ts';
import type { VisionRows } from './repository-projects.ts';
import {
  budgetTotals,
  grade,
  parseQuantity,
  parseTarget,
  type BudgetCell,
  type BudgetTotals,
  type Grading,
  type TargetKind,
} from './targets.ts';

export interface CategoryRef {
  code: string;
  number: string;
  level: string;
  name: string;
}

export interface ProjectIndicator {
  code: string;
  name: string;
  mark: string | null;
  unit: string;
  baselineText: string;
  baseline: { value: number; unit: string; period: string | null; qualifier: string | null } | null;
  targetText: string;
  target: { kind: TargetKind; value: number | null; mergedInto: number | null };
}

export interface EvaluationIndicator {
  name: string;
  actual: string;
  target: string;
  publishedGrade: string;
  computedGrade: string;
  rate: number | null;
  finalTarget: string | null;
}

export interface Evaluation {
  fiscalYear: number;
  numberInReport: number | null;
  summary: string[];
  results: string[];
  effects: string[];
  indicators: EvaluationIndicator[];
  provenance: string;
}

export interface ProjectDetails {
  partnersText: string;
  description: string;
  effect: string;
  roles: { aomori: string; partners: string };
  footnotes: string[];
}

export interface Project extends ProjectDetails {
  code: string;
  /** Number in the current version. */
  number: number;
  name: string;
  category: CategoryRef[];
  partners: { code: string; name: string }[];
  budgets: { fiscalYear: number; amount: BudgetCell }[];
  totals: BudgetTotals;
  indicators: ProjectIndicator[];
  /** Number per version code; null where the documents do not say. */
  numbers: Record<string, number | null>;
  flags: string[];
  evaluations: Evaluation[];
  provenance: string;
}

export interface CategorySummary extends CategoryRef {
  depth: number;
  statedCount: number;
  count: number;
  budgets: (number | null)[];
  /** Projects directly in this category (leaves). */
  projectNumbers: number[];
}

export interface Version {
  code: string;
  label: string;
  date: string | null;
  projectCount: number | null;
  /** How many projects the documents place in this version with a number. */
  knownProjects: number;
  isCurrent: boolean;
  provenance: string;
  note: string | null;
}

export interface VersionChange {
  from: string;
  to: string;
  kind: string;
  project: string;
  into: string | null;
  note: string | null;
  provenance: string;
}

export interface Vision {
  planId: string;
  name: string;
  /** The fiscal years the budget estimates cover (2020–2024), as the stored budget lines give them. */
  fiscalYears: number[];
  provenance: string;
  municipalities: { code: string; name: string; role: string }[];
  categories: CategorySummary[];
  /** Projects of the current version, by number. */
  projects: Project[];
  /** Projects no longer in the current version: kept for the history and diffs. */
  endedProjects: Project[];
  versions: Version[];
  current: string;
  changes: VersionChange[];
}

const cellOf = (row: { amount: number | null; cell: string }): BudgetCell =>
  row.cell === 'value' ? row.amount : row.cell === 'dash' ? '－' : null;

export function buildVision(tree: PlanTree, rows: VisionRows, grading: Grading): Vision {
  const fiscalYears = [...new Set(rows.budgets.flatMap((b) => (b.fiscalYear === null ? [] : [b.fiscalYear])))].sort((x, y) => x - y);
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const versionCode = new Map(rows.versions.map((v) => [v.id, v.code]));
  const current = rows.versions.find((v) => v.isCurrent)!;
  const municipalityName = new Map(rows.municipalities.map((m) => [m.code, m.name]));
  const codeOf = (id: number | null) => (id === null ? null : (byId.get(id)?.code ?? null));

  const categoryRef = (id: number): CategoryRef => {
    const n = byId.get(id)!;
    const d = n.details as { level: string; number: string };
    return { code: n.code, number: d.number, level: d.level, name: n.name };
  };
  const path = (id: number | null): CategoryRef[] => {
    const out: CategoryRef[] = [];
    for (
      let n = id === null ? undefined : byId.get(id);
      n && n.kind === 'category';
      n = n.parentId === null ? undefined : byId.get(n.parentId)
    ) {
      out.unshift(categoryRef(n.id));
    }
    return out;
  };

  const allProjects: Project[] = tree.nodes
    .filter((n) => n.kind === 'project')
    .map((n) => {
      const numbers = Object.fromEntries(rows.versions.map((v) => [v.code, null])) as Record<string, number | null>;
      for (const vp of rows.versionProjects.filter((x) => x.nodeId === n.id)) numbers[versionCode.get(vp.versionId)!] = vp.number;
      const budgetRows = rows.budgets.filter((b) => b.nodeId === n.id);
      const budgets = fiscalYears.map((fy) => {
        const row = budgetRows.find((b) => b.fiscalYear === fy);
        return { fiscalYear: fy, amount: row ? cellOf(row) : null };
      });
      const totalRow = budgetRows.find((b) => b.fiscalYear === null);
      const indicators = tree.nodes
        .filter((c) => c.parentId === n.id && c.kind === 'indicator')
        .map((c): ProjectIndicator => {
          const ind = tree.indicators.get(c.id)!;
          const baseline = parseQuantity(ind.baselineText ?? '');
          const target = parseTarget(ind.targetText ?? '', baseline, c.name);
          return {
            code: c.code,
            name: c.name,
            mark: ind.mark,
            unit: ind.unit,
            baselineText: ind.baselineText ?? '',
            baseline,
            targetText: ind.targetText ?? '',
            target: { kind: target.kind, value: target.value, mergedInto: target.mergedInto },
          };
        });
      const evaluations = rows.evaluations
        .filter((e) => e.nodeId === n.id)
        .map((e): Evaluation => ({
          fiscalYear: e.fiscalYear,
          numberInReport: e.numberInReport,
          summary: e.summary,
          results: e.results,
          effects: e.effects,
          provenance: e.provenance,
          indicators: rows.evaluationIndicators
            .filter((i) => i.evaluationId === e.id)
            .map((i) => {
              const g = grade(i.actualText, i.targetText, grading);
              return {
                name: i.name,
                actual: i.actualText,
                target: i.targetText,
                publishedGrade: i.publishedGrade,
                computedGrade: g.grade,
                rate: g.rate,
                finalTarget: i.finalTargetText,
              };
            }),
        }));
      const merged = indicators.find((i) => i.target.kind === 'merged');
      const addedIn = rows.changes.filter((c) => c.nodeId === n.id && c.kind === 'added').map((c) => versionCode.get(c.toVersionId));
      const known = Object.values(numbers).filter((x): x is number => x !== null);
      return {
        ...(n.details as ProjectDetails),
        code: n.code,
        // In the current version; for a project that has ended, its last known number.
        number: numbers[current.code] ?? known.at(-1) ?? 0,
        name: n.name,
        category: path(n.parentId),
        partners: rows.partners
          .filter((p) => p.nodeId === n.id)
          .map((p) => ({ code: p.municipalityCode, name: municipalityName.get(p.municipalityCode)! })),
        budgets,
        totals: budgetTotals(
          budgets.map((b) => b.amount),
          totalRow ? cellOf(totalRow) : null,
        ),
        indicators,
        numbers,
        flags: [...(addedIn.includes(current.code) ? ['新規'] : []), ...(merged ? [`NO.${merged.target.mergedInto}に統合`] : [])],
        evaluations,
        provenance: n.provenance,
      };
    })
    .sort((a, b) => a.number - b.number);
  const projects = allProjects.filter((p) => p.numbers[current.code] !== null);
  const endedProjects = allProjects.filter((p) => p.numbers[current.code] === null);

  const categories: CategorySummary[] = [];
  const visit = (parentId: number | null, depth: number) => {
    for (const n of tree.nodes.filter((x) => x.kind === 'category' && x.parentId === parentId)) {
      const d = n.details as { statedCount: number };
      const inside = projects.filter((p) => p.category.some((c) => c.code === n.code));
      categories.push({
        ...categoryRef(n.id),
        depth,
        statedCount: d.statedCount,
        count: inside.length,
        budgets: fiscalYears.map((_, i) => sumOf(inside.map((p) => p.budgets[i]!.amount))),
        projectNumbers: projects.filter((p) => p.category.at(-1)?.code === n.code).map((p) => p.number),
      });
      visit(n.id, depth + 1);
    }
  };
  visit(null, 0);

  return {
    planId: tree.plan.id,
    name: tree.plan.name,
    fiscalYears,
    provenance: tree.plan.provenance,
    municipalities: rows.municipalities,
    categories,
    projects,
    endedProjects,
    current: current.code,
    versions: rows.versions.map((v) => ({
      code: v.code,
      label: v.label,
      date: v.date,
      projectCount: v.projectCount,
      knownProjects: rows.versionProjects.filter((x) => x.versionId === v.id).length,
      isCurrent: v.isCurrent,
      provenance: v.provenance,
      note: v.note,
    })),
    changes: rows.changes.map((c) => ({
      from: versionCode.get(c.fromVersionId)!,
      to: versionCode.get(c.toVersionId)!,
      kind: c.kind,
      project: codeOf(c.nodeId)!,
      into: codeOf(c.intoNodeId),
      note: c.note,
      provenance: c.provenance,
    })),
  };
}

/** Sum of the cells with a figure; null when none has one. */
export function sumOf(cells: BudgetCell[]): number | null {
  const figures = cells.filter((c): c is number => typeof c === 'number');
  return figures.length ? figures.reduce((a, b) => a + b, 0) : null;
}

export interface ProjectFilter {
  category?: string;
  municipality?: string;
  q?: string;
}

/** Filters the current version's projects, or (with `all`) every project any version has had. */
/**
 * The version a request names (`?version=`), the current one when it names none; 400 for one the
 * vision does not have, and, where only the current version is shown (pages, open data), for another.
 */
export function versionOf(v: Vision, code: string | undefined, currentOnly = false): string {
  const version = code ?? v.current;
  if (!v.versions.some((x) => x.code === version))
    throw badRequest(`版「${version}」はありません。${v.versions.map((x) => x.code).join('・')} のいずれかを指定してください。`);
  if (currentOnly && version !== v.current)
    throw badRequest(
      `ここでは現行版（${v.current}）のみを公開しています。ほかの版は API（/api/v1/plans/${v.planId}/projects?version=${version}）で取得できます。`,
    );
  return version;
}

export function filterProjects(v: Vision, f: ProjectFilter, all = false): Project[] {
  const words = (f.q ?? '').normalize('NFKC').toLowerCase().split(/\s+/).filter(Boolean);
  return (all ? [...v.projects, ...v.endedProjects] : v.projects).filter((p) => {
    if (f.category && !p.category.some((c) => c.code === f.category)) return false;
    if (
      f.municipality &&
      !p.partners.some((m) => m.code === f.municipality) &&
      v.municipalities.find((m) => m.code === f.municipality)?.role !== 'center'
    )
      return false;
    if (words.length) {
      const text = [p.name, p.description, p.effect, p.roles.aomori, p.roles.partners, ...p.indicators.map((i) => i.name)]
        .join(' ')
        .normalize('NFKC')
        .toLowerCase();
      if (!words.every((w) => text.includes(w))) return false;
    }
    return true;
  });
}

export interface DiffRow {
  project: Project;
  from: number | null;
  to: number | null;
  /** What the documents say happened between the two versions. */
  changes: VersionChange[];
  status: 'added' | 'ended' | 'merged' | 'changed' | 'renumbered' | 'unchanged_number' | 'unknown';
}

/** The difference between two versions, from what the documents record; unknown stays unknown. */
export function diffVersions(v: Vision, fromCode: string, toCode: string): { from: Version; to: Version; rows: DiffRow[] } | null {
  const order = v.versions.map((x) => x.code);
  const a = order.indexOf(fromCode);
  const b = order.indexOf(toCode);
  if (a < 0 || b < 0 || a === b) return null;
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const between = new Set(order.slice(lo + 1, hi + 1));
  const rows = [...v.projects, ...v.endedProjects].map((p): DiffRow => {
    const changes = v.changes.filter((c) => c.project === p.code && between.has(c.to));
    const from = p.numbers[fromCode] ?? null;
    const to = p.numbers[toCode] ?? null;
    const kinds = new Set(changes.map((c) => c.kind));
    const status = kinds.has('added')
      ? 'added'
      : kinds.has('ended')
        ? 'ended'
        : kinds.has('merged')
          ? 'merged'
          : kinds.has('changed')
            ? 'changed'
            : from !== null && to !== null
              ? from === to
                ? 'unchanged_number'
                : 'renumbered'
              : 'unknown';
    return { project: p, from, to, changes, status };
  });
  return { from: v.versions[a]!, to: v.versions[b]!, rows };
}
