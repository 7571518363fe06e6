-- Public provenance in words (issue 11): a database loaded from data/aomori before this change names
-- the seed files and their lines in 出典, and shows our transcription remarks; the data files no
-- longer do. Bring the loaded records to the same text. Publications are records of what was
-- published and stay as they are (the trigger of 0001 forbids any change).
UPDATE "plans" SET "provenance" = regexp_replace("provenance", '\s*\(shared/seeds/\d+\)', '', 'g') WHERE "provenance" ~ 'shared/seeds';--> statement-breakpoint
-- A project sheet, its indicators and their baseline values: 「（seed 000 673–714行）」 -> the sheet by its number.
UPDATE "plan_nodes" SET "provenance" = '青森圏域連携中枢都市圏ビジョン（変更案）資料3-2 第4章 具体的取組の個表（事業名 ' || substring("code" from '^p(\d+)') || '）'
  WHERE "provenance" ~ '^資料3-2 具体的取組の個表（seed 000 \d+–\d+行）$';--> statement-breakpoint
UPDATE "observations" o SET "provenance" = n."provenance" FROM "plan_nodes" n
  WHERE o."indicator_id" = n."id" AND o."provenance" ~ '^資料3-2 具体的取組の個表（seed 000 \d+–\d+行）$';--> statement-breakpoint
UPDATE "plan_nodes" SET "details" = "details" - 'budgetNote' - 'doubts' WHERE "kind" = 'project' AND ("details" ? 'budgetNote' OR "details" ? 'doubts');--> statement-breakpoint
-- The city plan's headings: 「…(shared/seeds/003) 33行」 -> the document and its chapter and section.
UPDATE "plan_nodes" SET "provenance" = '青森市総合計画 前期基本計画 第' || split_part("code", '-', 1) || '章' || CASE WHEN "kind" = 'chapter' THEN '' ELSE ' ' || "code" END
  WHERE "provenance" ~ '\(shared/seeds/003\) \d+行$';--> statement-breakpoint
UPDATE "plan_versions" SET "provenance" = '青森圏域連携中枢都市圏ビジョン（変更案）の概要「具体的取組の総数 : [現在] 44事業」', "note" = 'この版の事業番号は資料に記載がありません。'
  WHERE "code" = 'v44' AND "provenance" = '資料（seed 002）「具体的取組の総数 : [現在] 44事業」';--> statement-breakpoint
UPDATE "plan_versions" SET "provenance" = '青森圏域連携中枢都市圏ビジョン（変更案）の概要、令和2年度の取組実績 の事業番号',
  "note" = '事業番号が資料にあるのは新規4事業・変更3事業（ビジョン（変更案）の概要）と令和2年度実績の8事業のみです。ビジョンの変更時期（R4年3月）は資料3-2の注記によります。'
  WHERE "code" = 'v48' AND "provenance" LIKE '%(seed 002)%';--> statement-breakpoint
UPDATE "plan_versions" SET "provenance" = '青森圏域連携中枢都市圏ビジョン（変更案）資料3-2', "note" = '事業費見込額はビジョン変更時（R4年3月）のもの（新規事業を除く）。'
  WHERE "code" = 'v55' AND "provenance" = '青森圏域連携中枢都市圏ビジョン（変更案）資料3-2 (seed 000)';--> statement-breakpoint
UPDATE "version_changes" SET "provenance" = regexp_replace("provenance", '^seed 002 ', 'ビジョン（変更案）の概要') WHERE "provenance" ~ '^seed 002 ';--> statement-breakpoint
UPDATE "version_changes" SET "provenance" = '資料3-2 第4章 具体的取組の個表（事業名 36・46・55）の「新規」表示',
  "note" = '個表に「新規」と表示された事業。48事業から55事業への変更で増えた7事業のうち、資料で新規と示されているのはこの3事業です。'
  WHERE "provenance" = 'seed 000 個表の「新規」表示（2299・2750・3158行）';--> statement-breakpoint
UPDATE "evaluations" SET "provenance" = '令和2年度の取組実績「ビジョンに記載している取組」' WHERE "provenance" = 'seed 001「ビジョンに記載している取組」令和2年度の実績';--> statement-breakpoint
UPDATE "indicators" SET "notes" = 'R4年時間当たり給与 1,827円、R5年時間当たり給与 1,822円'
  WHERE "notes" = 'R4年時間当たり給与 1,827円、R5年時間当たり給与 1,822円（直近の値は資料では「▲0.3%」と表記）';
