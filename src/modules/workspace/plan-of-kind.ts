// The plans the staff screens work on, found in the data rather than by id: reporting rounds are
// for the plan of kind `dashboard`; budgets and revisions for the plan of kind `vision`.
import { notFound } from '../../platform/errors.ts';
import type { PlanRow, PlansModule } from '../plans/index.ts';

export async function planOfKind(plans: Pick<PlansModule, 'queries'>, kind: 'dashboard' | 'vision'): Promise<PlanRow> {
  const [plan] = await plans.queries.plansOfKind(kind);
  if (!plan) throw notFound('計画');
  return plan;
}
