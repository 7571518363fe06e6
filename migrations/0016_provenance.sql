-- 出典 (where a transcribed record comes from) is `provenance` in docs/glossary.md; `source` is データの出所.
-- Renamed in place: the data, and the publications that may not be updated, stay as they are.
ALTER TABLE "cases" RENAME COLUMN "source" TO "provenance";--> statement-breakpoint
ALTER TABLE "evaluations" RENAME COLUMN "source" TO "provenance";--> statement-breakpoint
ALTER TABLE "observations" RENAME COLUMN "source" TO "provenance";--> statement-breakpoint
ALTER TABLE "plan_nodes" RENAME COLUMN "source" TO "provenance";--> statement-breakpoint
ALTER TABLE "plan_versions" RENAME COLUMN "source" TO "provenance";--> statement-breakpoint
ALTER TABLE "plans" RENAME COLUMN "source" TO "provenance";--> statement-breakpoint
ALTER TABLE "publications" RENAME COLUMN "source" TO "provenance";--> statement-breakpoint
ALTER TABLE "version_changes" RENAME COLUMN "source" TO "provenance";--> statement-breakpoint
-- 測定項目 is `metric`: `measure` is 施策, a node kind of the comprehensive plan.
ALTER TABLE "indicators" RENAME COLUMN "measure" TO "metric";
