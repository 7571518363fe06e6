// The lead municipality's editors update a project's budget estimates (事業費見込額).
// A cell is a figure, blank (空欄) or 「－」, as in the documents; nothing becomes 0 by accident.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import { amountColumn, type AmountCell } from '../../../platform/columns.ts';
import { notFound } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { reason } from '../inputs.ts';
import { projectForEdit, setBudgetCell } from '../repository-projects.ts';
import { canEditProjectOf } from '../rules.ts';
import { write, type PlansContext } from './context.ts';

/** One budget cell from a form field, read as the spreadsheet reads it. */
const budgetCellInput = (label: string) =>
  z.string().transform((s, ctx) => {
    const r = amountColumn(label, label).read(s);
    if ('error' in r) {
      ctx.addIssue({ code: 'custom', message: r.error });
      return z.NEVER;
    }
    return r.value as AmountCell;
  });

/** The budget form of a vision with these fiscal years: a field `y<year>` per year, and `total`. */
export const budgetInput = (fiscalYears: number[]) =>
  z
    .object({
      ...Object.fromEntries(fiscalYears.map((fy) => [`y${fy}`, budgetCellInput(`${fy}年度`)])),
      total: budgetCellInput('計'),
      reason: reason(),
    })
    .transform((v) => ({
      cells: [
        ...fiscalYears.map((fy) => ({ fiscalYear: fy as number | null, ...((v as Record<string, unknown>)[`y${fy}`] as AmountCell) })),
        { fiscalYear: null, ...v.total },
      ],
      reason: v.reason,
    }));

export interface UpdateBudgetInput {
  planId: string;
  number: number;
  /** Per fiscal year, and the total (fiscalYear null). */
  cells: ({ fiscalYear: number | null } & AmountCell)[];
  reason: string;
}

export async function updateBudget(ctx: PlansContext, actor: Actor, input: UpdateBudgetInput) {
  await write(ctx, async (tx) => {
    const project = await projectForEdit(tx, input.planId, input.number);
    // Another organisation's project answers as if it did not exist.
    if (!project || !project.leadMunicipality || !canEditProjectOf(actor, project.leadMunicipality)) throw notFound('事業');
    for (const c of input.cells) await setBudgetCell(tx, project.nodeId, c.fiscalYear, c.amount, c.cell);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'update_budget',
      entity: 'project',
      entityId: project.code,
      before: project.budgets,
      after: input.cells,
      reason: input.reason,
    });
  });
}
