// A project's stated total (計) against the sum of its years. The documents' totals are kept as
// stated (ADR 0003), so a difference is never refused: staff are warned where they change a year
// (the spreadsheet preview, the budget form), and the public page shows it as a difference.
import type { AmountCell } from '../../platform/columns.ts';
import { formatNumber } from '../../web/format.ts';
import { budgetTotals, type BudgetCell } from './targets.ts';

const asBudgetCell = (c: AmountCell): BudgetCell => (c.cell === 'value' ? c.amount : c.cell === 'dash' ? '－' : null);

/** stated − sum of the years, when the total is a figure and some year is; null otherwise. */
export function totalDifference(years: AmountCell[], total: AmountCell): number | null {
  return budgetTotals(years.map(asBudgetCell), asBudgetCell(total)).difference;
}

/** The warning for a project whose stated total differs from its years (null when they agree). */
export function totalWarning(project: { number: string | number; name: string }, years: AmountCell[], total: AmountCell): string | null {
  const t = budgetTotals(years.map(asBudgetCell), asBudgetCell(total));
  if (!t.difference || typeof t.stated !== 'number' || t.computed === null) return null;
  return (
    `No.${project.number} ${project.name}: 計（${formatNumber(t.stated)}千円）が年度の合計（${formatNumber(t.computed)}千円）と` +
    `${formatNumber(Math.abs(t.difference))}千円異なります。取り込みはできますが、公開ページには差として表示されます。`
  );
}
