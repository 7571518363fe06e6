// Applies a previewed spreadsheet import: all rows or none. Each change is checked again against
// the current records, so an import previewed before someone else's edit cannot overwrite it.
import { appendAudit } from '../../../platform/audit.ts';
import { sameValue, type Change } from '../../../platform/columns.ts';
import { badRequest, conflict } from '../../../platform/errors.ts';
import type { Actor } from '../../identity/index.ts';
import { sheetDataset } from '../sheets.ts';
import { write, type PlansContext } from './context.ts';

export interface ImportSheetInput {
  /** The dataset's name (budgets, indicators, projects). */
  dataset: string;
  /** The previewed changes, as the preview showed them. */
  changes: Change[];
  fileName: string;
}

export async function importSheet(ctx: PlansContext, actor: Actor, input: ImportSheetInput) {
  const { ds, planId } = await sheetDataset(ctx.db, input.dataset);
  if (!input.changes.length) throw badRequest('変更はありません。');
  const units = await ctx.organisations.queries.units();
  await write(ctx, async (tx) => {
    const current = (await ds.load(tx, planId, actor, units)).records;
    for (const ch of input.changes) {
      const record = current.get(ch.key);
      if (!record) throw badRequest(`${ch.row}行目: 「${ch.key}」が見つかりません。`);
      if (ch.fields.some((f) => !sameValue(record[f.field] ?? null, f.before))) {
        throw conflict('stale_import', `${ch.row}行目: プレビューの後に内容が更新されています。もう一度ファイルを取り込んでください。`);
      }
      // A new owner is an active unit, as on the owners page (a retired one stays only where it was).
      const owner = ch.fields.find((f) => f.field === 'ownerDepartment')?.after;
      const unit = typeof owner === 'string' ? units.find((u) => u.id === owner) : undefined;
      if (unit?.retired)
        throw badRequest(`${ch.row}行目: 担当部局「${unit.fullName}」は廃止されています。組織一覧の部局・課を入力してください。`);
      await ds.apply(tx, planId, record, ch);
      await appendAudit(tx, {
        actorId: actor.id,
        action: `import_${ds.name}`,
        entity: ds.auditEntity,
        entityId: ch.key,
        before: Object.fromEntries(ch.fields.map((f) => [f.field, f.before])),
        after: Object.fromEntries(ch.fields.map((f) => [f.field, f.after])),
        reason: `スプレッドシートの取り込み（${input.fileName} ${ch.row}行目）`,
      });
    }
  });
}
