// Applies a previewed budget import: all rows or none. Each change is checked again against the
// current figures, so an import previewed before someone else's edit cannot overwrite it.
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { AppError } from '../../../platform/errors.ts';
import { projectForEdit, setBudgetCell } from '../../plans/index.ts';
import { canEditProjectOf, type Actor } from '../rules.ts';
import type { BudgetChange } from '../spreadsheet.ts';

export async function importBudgets(db: Db, actor: Actor, planId: string, changes: BudgetChange[], fileName: string) {
  if (!changes.length) throw new AppError(400, 'bad_request', '変更はありません。');
  await db.transaction(async (tx) => {
    for (const ch of changes) {
      const p = await projectForEdit(tx, planId, ch.number);
      if (!p || p.code !== ch.code || !p.leadMunicipality || !canEditProjectOf(actor, p.leadMunicipality)) {
        throw new AppError(400, 'bad_request', `${ch.row}行目: 事業コード「${ch.code}」の事業が見つかりません。`);
      }
      for (const c of ch.cells) {
        const now = p.budgets.find((b) => b.fiscalYear === c.fiscalYear) ?? { amount: null, cell: 'blank' };
        if (now.cell !== c.before.cell || now.amount !== c.before.amount) {
          throw new AppError(
            409,
            'stale_import',
            `${ch.row}行目: プレビューの後に事業費見込額が更新されています。もう一度ファイルを取り込んでください。`,
          );
        }
        await setBudgetCell(tx, p.nodeId, c.fiscalYear, c.after.amount, c.after.cell);
      }
      await appendAudit(tx, {
        actorId: actor.id,
        action: 'import_budget',
        entity: 'project',
        entityId: p.code,
        before: ch.cells.map((c) => ({ fiscalYear: c.fiscalYear, ...c.before })),
        after: ch.cells.map((c) => ({ fiscalYear: c.fiscalYear, ...c.after })),
        reason: `スプレッドシートの取り込み（${fileName} ${ch.row}行目）`,
      });
    }
  });
}
