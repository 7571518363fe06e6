ALTER TABLE "plan_nodes" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "plan_nodes" ADD COLUMN "retired_reason" text;