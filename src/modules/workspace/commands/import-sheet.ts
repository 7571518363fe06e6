// Applies a previewed spreadsheet import: all rows or none. Each change is checked again against
// the current records, so an import previewed before someone else's edit cannot overwrite it.
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { badRequest, conflict } from '../../../platform/errors.ts';
import type { SheetDataset } from '../datasets.ts';
import type { Actor } from '../rules.ts';
import { sameValue, type Change } from '../spreadsheet.ts';

export async function importSheet(db: Db, actor: Actor, ds: SheetDataset, changes: Change[], fileName: string) {
  if (!changes.length) throw badRequest('変更はありません。');
  await db.transaction(async (tx) => {
    const current = await ds.load(tx, actor);
    for (const ch of changes) {
      const record = current.get(ch.key);
      if (!record) throw badRequest(`${ch.row}行目: 「${ch.key}」が見つかりません。`);
      if (ch.fields.some((f) => !sameValue(record[f.field] ?? null, f.before))) {
        throw conflict('stale_import', `${ch.row}行目: プレビューの後に内容が更新されています。もう一度ファイルを取り込んでください。`);
      }
      await ds.apply(tx, record, ch);
      await appendAudit(tx, {
        actorId: actor.id,
        action: `import_${ds.name}`,
        entity: ds.auditEntity,
        entityId: ch.key,
        before: Object.fromEntries(ch.fields.map((f) => [f.field, f.before])),
        after: Object.fromEntries(ch.fields.map((f) => [f.field, f.after])),
        reason: `スプレッドシートの取り込み（${fileName} ${ch.row}行目）`,
      });
    }
  });
}
