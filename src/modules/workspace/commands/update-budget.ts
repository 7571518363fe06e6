// The lead municipality's editors update a project's budget estimates (事業費見込額).
// A cell is a figure, blank (空欄) or 「－」, as in the documents; nothing becomes 0 by accident.
import { z } from 'zod';
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { notFound } from '../../../platform/errors.ts';
import { parse } from '../../../platform/http.ts';
import { projectForEdit, setBudgetCell } from '../../plans/index.ts';
import { canEditProjectOf, type Actor } from '../rules.ts';

export const budgetCellInput = z
  .string()
  .trim()
  .regex(/^(|[－—-]|\d{1,3}(,\d{3})*|\d+)$/, '事業費見込額は千円単位の整数、「－」、または空欄で入力してください。')
  .transform((s): { amount: number | null; cell: 'value' | 'blank' | 'dash' } =>
    s === ''
      ? { amount: null, cell: 'blank' }
      : /^[－—-]$/.test(s)
        ? { amount: null, cell: 'dash' }
        : { amount: Number(s.replace(/,/g, '')), cell: 'value' },
  );

const input = z.object({
  y2020: budgetCellInput,
  y2021: budgetCellInput,
  y2022: budgetCellInput,
  y2023: budgetCellInput,
  y2024: budgetCellInput,
  total: budgetCellInput,
  reason: z.string().trim().min(1, '変更の理由を入力してください。').max(500),
});

export async function updateBudget(db: Db, actor: Actor, planId: string, number: number, raw: unknown) {
  const project = await projectForEdit(db, planId, number);
  // Another organisation's project answers as if it did not exist.
  if (!project || !project.leadMunicipality || !canEditProjectOf(actor, project.leadMunicipality)) throw notFound('事業');
  const v = parse(input, raw, '事業費見込額');
  const cells: [number | null, { amount: number | null; cell: 'value' | 'blank' | 'dash' }][] = [
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
