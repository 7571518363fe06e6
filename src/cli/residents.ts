// Residents' personal-data keys from the command line, against the same database as the server.
//   npm run residents -- rotate-key            new key, every value resealed under it, old keys retired;
//                                              a new consent-receipt signing key (the old one still verifies)
//   npm run residents -- remove-retired-keys   drops retired keys that no stored value uses any more
// Run it with the servers stopped (or restart them right after): a server keeps the ring it started with.
import { loadConfig } from '../config.ts';
import { cliMessage, runWithDatabase } from './database.ts';
import { loadResidentKeys, removeRetiredKeys, rotateKeys, rotateReceiptKey } from '../modules/residents/index.ts';

const usage = '使い方: npm run residents -- rotate-key | remove-retired-keys';
const fail = (err: unknown): never => {
  console.error(cliMessage(err));
  process.exit(1);
};
const command = process.argv[2];
if (process.argv.length > 3 || (command !== 'rotate-key' && command !== 'remove-retired-keys')) {
  console.error(usage);
  process.exit(2);
}

const config = (() => {
  try {
    return loadConfig();
  } catch (err) {
    return fail(err);
  }
})();
const source = (() => {
  try {
    return loadResidentKeys(config);
  } catch (err) {
    return fail(err);
  }
})();
await runWithDatabase(config, async (db) => {
  if (command === 'rotate-key') {
    const r = await rotateKeys(db, source);
    console.log(
      source.file
        ? `新しい鍵 ${r.newKeyId} を ${source.file} に追加し、${r.resealed}件の行（プロフィール・登録データ・各機能が保管する個人データ）を再暗号化しました。古い鍵は廃止済みにしました。`
        : `RESIDENTS_KEYS の先頭の鍵 ${r.newKeyId} で ${r.resealed}件の行（プロフィール・登録データ・各機能が保管する個人データ）を再暗号化しました。`,
    );
    // By place only (table, column, row id): never a value. Those values keep their key, which stays in use.
    for (const f of r.failed)
      console.error(
        `警告: ${f.table}.${f.column}（行 ${f.rowId}）の値を開けないため、再暗号化しませんでした（${f.code === 'resident_key_missing' ? '鍵がありません' : '改ざんされたか、別の行・項目の値です'}）。`,
      );
    if (r.unused.length)
      console.log(
        source.file
          ? `使われなくなった鍵: ${r.unused.join(', ')}（npm run residents -- remove-retired-keys で削除できます）`
          : `使われなくなった鍵: ${r.unused.join(', ')}（RESIDENTS_KEYS から削除できます）`,
      );
    const kid = await rotateReceiptKey(db);
    console.log(`同意の控えの署名鍵を ${kid} に替えました。以前の控えは古い公開鍵でこれからも検証できます。`);
    console.log('起動中のサーバーは新しい鍵を知らないため、再起動してください。');
    if (r.failed.length) {
      console.error(`エラー: 開けない値が${r.failed.length}件あります。その値の鍵は削除されずに残ります。`);
      return 1;
    }
  } else if (!source.file) {
    console.error('エラー: RESIDENTS_KEYS を使っているため、鍵は設定から直接削除してください（先に rotate-key を実行）。');
    return 1;
  } else {
    const r = await removeRetiredKeys(db, source.file);
    console.log(r.removed.length ? `削除した鍵: ${r.removed.join(', ')}` : '削除できる廃止済みの鍵はありません。');
    if (r.inUse.length) console.log(`まだ使われている廃止済みの鍵（rotate-key を再実行してください）: ${r.inUse.join(', ')}`);
  }
});
