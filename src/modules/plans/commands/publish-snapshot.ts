// 公表: freeze the plan's current figures into an immutable publication.
import { badRequest, notFound, conflict, unprocessable } from '../../../platform/errors.ts';
import type { Db } from '../../../platform/db.ts';
import { kpiIndex, type Direction } from '../achievement.ts';
import { findPlan, loadPlanTree, type NodeRow, type PlanTree } from '../repository.ts';
import { insertPublication, listPublications } from '../repository-publications.ts';
import { isoDate } from '../schema.ts';
import { rateOf, type Snapshot, type SnapshotIndicator, type SnapshotValue } from '../snapshot.ts';

/** Figures as officially published, for a publication transcribed from a document. */
export interface OfficialFigures {
  rates: Record<string, { previous: number | null; latest: number | null }>;
  indices: Record<string, number | null>;
}

export interface PublishInput {
  planId: string;
  asOf: string;
  label: string;
  provenance: string;
  /** Omitted for a publication the system makes: its official figures are its own computation. */
  official?: OfficialFigures;
}

function indicatorOf(tree: PlanTree, node: NodeRow): SnapshotIndicator {
  const ind = tree.indicators.get(node.id);
  if (!ind) throw unprocessable('invalid_plan', `指標「${node.name}」に目標値などの定義がありません。`);
  const obs = tree.observations.get(node.id) ?? [];
  const value = (o: (typeof obs)[number] | undefined): SnapshotValue | null =>
    o ? { value: o.value, period: o.periodLabel, rate: null, source: o.dataSource } : null;
  return {
    code: node.code,
    name: node.name,
    unit: ind.unit,
    target: ind.targetValue,
    targetYear: ind.targetYear,
    direction: ind.direction as Direction,
    base: ind.baseValue,
    previous: value(obs.at(-2)),
    latest: value(obs.at(-1)),
    source: ind.dataSource,
    notes: ind.notes,
  };
}

export function buildSnapshot(tree: PlanTree, input: PublishInput): Snapshot {
  const settings = tree.plan.settings;
  const byKind = (kind: string) => tree.nodes.filter((n) => n.kind === kind);
  const children = (parent: NodeRow, kind: string) => tree.nodes.filter((n) => n.parentId === parent.id && n.kind === kind);
  const fields = byKind('field');
  const withRates = (i: SnapshotIndicator): SnapshotIndicator => {
    const official = input.official?.rates[i.code];
    const rate = (which: 'previous' | 'latest') =>
      i[which] && { ...i[which], rate: official ? official[which] : rateOf(i, which, settings).rounded };
    return { ...i, previous: rate('previous'), latest: rate('latest') };
  };
  return {
    version: 3,
    plan: { id: tree.plan.id, name: tree.plan.name, owner: tree.plan.owner, provenance: tree.plan.provenance },
    asOf: input.asOf,
    label: input.label,
    provenance: input.provenance,
    settings,
    goals: byKind('basic_goal').map((n) => ({
      ...indicatorOf(tree, n),
      metric: tree.indicators.get(n.id)?.metric ?? null,
      provenance: n.provenance,
    })),
    fields: fields.map((f) => ({
      code: f.code,
      name: f.name,
      nameEn: f.nameEn,
      provenance: f.provenance,
      cases: (tree.cases.get(f.id) ?? []).map((c) => ({ title: c.title, period: c.periodLabel, body: c.body })),
    })),
    kpis: fields.flatMap((f) =>
      children(f, 'kpi').map((k) => {
        const indicators = children(k, 'indicator').map((n) => withRates(indicatorOf(tree, n)));
        const computed = kpiIndex(
          indicators.map((i) => rateOf(i, 'latest', settings)),
          settings,
        ).value;
        return {
          code: k.code,
          name: k.name,
          field: f.code,
          components: k.description,
          index: input.official ? (input.official.indices[k.code] ?? null) : computed,
          provenance: k.provenance,
          indicators,
        };
      }),
    ),
  };
}

export async function publishSnapshot(db: Db, input: PublishInput): Promise<number> {
  const asOf = isoDate.safeParse(input.asOf);
  if (!asOf.success) throw badRequest(asOf.error.issues[0]!.message);
  return db.transaction(async (tx) => {
    const plan = await findPlan(tx, input.planId);
    if (!plan) throw notFound('計画');
    const existing = await listPublications(tx, plan.id);
    if (existing.some((p) => p.asOf === input.asOf)) {
      throw conflict('publication_exists', `${input.asOf} 時点の公表版はすでにあります。公表版は変更できません。`);
    }
    const snapshot = buildSnapshot(await loadPlanTree(tx, plan), input);
    return insertPublication(tx, { planId: plan.id, asOf: input.asOf, label: input.label, provenance: input.provenance, snapshot });
  });
}
