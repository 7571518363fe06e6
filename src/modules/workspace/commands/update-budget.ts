// The lead municipality's editors update a project's budget estimates (事業費見込額).
// A cell is a figure, blank (空欄) or 「－」, as in the documents; nothing becomes 0 by accident.
import { z } from 'zod';
import { reason } from '../inputs.ts';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { notFound } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import { projectForEdit, setBudgetCell } from '../../plans/index.ts';
import { canEditProjectOf, type Actor } from '../rules.ts';
import { budgetColumn, type BudgetCell } from '../spreadsheet.ts';

/** One budget cell from a form field, read as the spreadsheet reads it. */
const budgetCellInput = (label: string) =>
  z.string().transform((s, ctx) => {
    const r = budgetColumn(label, label).read(s);
    if ('error' in r) {
      ctx.addIssue({ code: 'custom', message: r.error });
      return z.NEVER;
    }
    return r.value as BudgetCell;
  });

const input = z.object({
  y2020: budgetCellInput('2020年度'),
  y2021: budgetCellInput('2021年度'),
  y2022: budgetCellInput('2022年度'),
  y2023: budgetCellInput('2023年度'),
  y2024: budgetCellInput('2024年度'),
  total: budgetCellInput('計'),
  reason: reason(),
});

export async function updateBudget(db: Db, actor: Actor, planId: string, number: number, raw: unknown) {
  const project = await projectForEdit(db, planId, number);
  // Another organisation's project answers as if it did not exist.
  if (!project || !project.leadMunicipality || !canEditProjectOf(actor, project.leadMunicipality)) throw notFound('事業');
  const v = parse(input, raw, '事業費見込額');
  const cells: [number | null, BudgetCell][] = [
    [2020, v.y2020],
    [2021, v.y2021],
    [2022, v.y2022],
    [2023, v.y2023],
    [2024, v.y2024],
    [null, v.total],
  ];
  await db.transaction(async (tx) => {
    for (const [fy, c] of cells) await setBudgetCell(tx, project.nodeId, fy, c.amount, c.cell);
    await appendAudit(tx, {
      actorId: actor.id,
      action: 'update_budget',
      entity: 'project',
      entityId: project.code,
      before: project.budgets,
      after: cells.map(([fiscalYear, c]) => ({ fiscalYear, ...c })),
      reason: v.reason,
    });
  });
}
