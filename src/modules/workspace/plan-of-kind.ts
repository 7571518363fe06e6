// The plans the staff screens work on, found in the data rather than by id: reporting rounds are
// for the plans with indicators to report (the `dashboard`, the comprehensive plan, `policy_tree`, and
// the development policy, `development_policy`);
// budgets and revisions for the plan of kind `vision`.
import { badRequest, notFound } from '../../platform/errors.ts';
import type { PlanRow, PlansModule } from '../plans/index.ts';

export async function planOfKind(plans: Pick<PlansModule, 'queries'>, kind: 'dashboard' | 'vision'): Promise<PlanRow> {
  const [plan] = await plans.queries.plansOfKind(kind);
  if (!plan) throw notFound('計画');
  return plan;
}

/** The plans a reporting round can be for: those whose indicators staff report (the DX plan first). */
export async function reportablePlans(plans: Pick<PlansModule, 'queries'>): Promise<PlanRow[]> {
  return [
    ...(await plans.queries.plansOfKind('dashboard')),
    ...(await plans.queries.plansOfKind('policy_tree')),
    ...(await plans.queries.plansOfKind('development_policy')),
  ];
}

/** The reportable plan a form names (400 naming the field when it is none); the DX plan when it names none. */
export async function reportablePlan(plans: Pick<PlansModule, 'queries'>, id: unknown): Promise<PlanRow> {
  const all = await reportablePlans(plans);
  const plan = id === undefined || id === '' ? all[0] : all.find((p) => p.id === id);
  if (!plan) throw badRequest('計画: 報告ラウンドを開ける計画を選んでください。', { field: 'planId' });
  return plan;
}
